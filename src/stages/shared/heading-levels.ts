// Heading levels of the outline, the same in the EPUB and the PDF: the title is level 1, each
// section's heading level 2, and a sub-heading one level below the heading it belongs to.
//
// WCAG 1.3.1 (axe `heading-order`) and PDF/UA-1 §7.4.2 (Matterhorn 14-003): numbered headings
// must not skip a level. A Markdown heading that jumps (`##` then `####`) is set one level
// below the heading it belongs to, and the level the source implied is returned so the stage
// can say what it changed, with the source line.

export interface HeadingLevel {
  /** The level to tag and style with (1–6). */
  readonly level: number;
  /** The deeper level the source implied, when a skipped level had to be closed. */
  readonly requested?: number;
}

interface OpenHeading {
  readonly sourceDepth: number;
  readonly level: number;
}

export class HeadingLevels {
  readonly #sectioningDepth: number;
  /** The headings a new one may belong to, outermost first; the first is the part's own. */
  #open: OpenHeading[];

  /** `sectioningDepth`: the source heading depth that opens a section (usually 1 or 2). */
  constructor(sectioningDepth: number) {
    this.#sectioningDepth = sectioningDepth;
    this.#open = [{ sourceDepth: sectioningDepth - 1, level: 1 }];
  }

  /** The title: always level 1. */
  title(): HeadingLevel {
    this.lead();
    return { level: 1 };
  }

  /** The lead section: no heading of its own, so its headings follow the title (one source level above a section's). */
  lead(): void {
    this.#open = [{ sourceDepth: this.#sectioningDepth - 1, level: 1 }];
  }

  /** A section heading (or a section without one, drawn with its title, `sourceDepth` 0): always level 2. */
  section(sourceDepth: number): HeadingLevel {
    this.#open = [{ sourceDepth: sourceDepth > 0 ? sourceDepth : this.#sectioningDepth, level: 2 }];
    return { level: 2 };
  }

  /**
   * A heading inside the current part at source depth `depth` (1–6). It belongs to the nearest
   * open heading of a smaller source depth and sits one level below it, so a shallower heading
   * never ends up nested under a deeper one whose level was raised.
   */
  subheading(depth: number): HeadingLevel {
    while (this.#open.length > 1 && this.#open.at(-1)!.sourceDepth >= depth) this.#open.pop();
    const part = this.#open[0]!;
    const parent = this.#open.at(-1)!;
    const level = Math.min(parent.level + 1, 6);
    this.#open.push({ sourceDepth: depth, level });
    // What the source implied, measured from the part's own heading (a `####` in a `##` section is level 4).
    const requested = Math.max(part.level + 1, part.level + depth - part.sourceDepth);
    return requested > level ? { level, requested } : { level };
  }
}

/** The source heading depth that opens sections: the shallowest depth any section has (1 when none has a heading). */
export function sectioningDepth(sections: readonly { readonly depth: number }[]): number {
  const depths = sections.map((section) => section.depth).filter((depth) => depth > 0);
  return depths.length > 0 ? Math.min(...depths) : 1;
}
