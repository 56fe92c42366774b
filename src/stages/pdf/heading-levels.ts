// Heading levels for the structure tree: H1 is the title, sections are H2, and no level is skipped.
//
// PDF/UA-1 §7.4.2 / Matterhorn 14-003: numbered headings must not skip a level. A Markdown
// heading that jumps (## then ####) is drawn one level below its predecessor instead of
// copied, and the change is reported with its source line.

export interface HeadingLevel {
  /** The H level to tag and style with (1–6). */
  readonly level: number;
  /** The level the source asked for, when it had to be changed. */
  readonly requested?: number;
}

export class HeadingLevels {
  readonly #sectioningDepth: number;
  #previous = 1;
  #base = 1;

  /** `sectioningDepth`: the source heading depth that opens a section (usually 1 or 2). */
  constructor(sectioningDepth: number) {
    this.#sectioningDepth = sectioningDepth;
  }

  /** The title: always H1. */
  title(): HeadingLevel {
    this.#previous = 1;
    return { level: 1 };
  }

  /** The lead section: no heading of its own, so a heading inside it follows the H1 title. */
  lead(): void {
    this.#base = this.#sectioningDepth;
    this.#previous = 1;
  }

  /** A section heading (or a section without one, drawn with its title): always H2. */
  section(sourceDepth: number): HeadingLevel {
    this.#base = sourceDepth > 0 ? sourceDepth : this.#sectioningDepth;
    this.#previous = 2;
    return { level: 2 };
  }

  /** A heading inside a section's blocks, at source depth `depth` (1–6). */
  subheading(depth: number): HeadingLevel {
    const requested = Math.max(2, 2 + depth - this.#base);
    const level = Math.min(requested, this.#previous + 1, 6);
    this.#previous = level;
    return level === requested ? { level } : { level, requested };
  }
}
