// Sections → safe, semantic hast: Markdown rendered, raw HTML parsed and sanitized, headings
// ordered, images packaged, footnotes turned into EPUB 3 notes, links checked.
import { randomUUID } from "node:crypto";
import GithubSlugger, { slug as plainSlug } from "github-slugger";
import type { Element, ElementContent, Nodes, Parents, Root, RootContent as HastRootContent } from "hast";
import { raw } from "hast-util-raw";
import { sanitize } from "hast-util-sanitize";
import type { FootnoteDefinition, Heading, RootContent } from "mdast";
import { toHast, type State } from "mdast-util-to-hast";
import { toString } from "mdast-util-to-string";
import type { LecternDocument, Section } from "../../document/model.js";
import { fill, wordsFor, type Words } from "../../document/words/index.js";
import type { ImageAssets } from "./assets.js";
import { chapterHandlers, unknownNodeHandler, type HandlerContext } from "./handlers.js";
import { element, interfaceText, text } from "./hast-builders.js";
import { repairContentModel, repairLanguageTags } from "./content-model.js";
import type { Schema } from "hast-util-sanitize";
import { chapterSchema } from "./sanitize-schema.js";
import { HeadingLevels, sectioningDepth } from "../shared/heading-levels.js";
import { cleanDisplayText } from "../../document/display-text.js";
import { headingIds, type HeadingId } from "../../document/heading-ids.js";
import type { LanguageSpan } from "../../document/language-spans.js";

/** A sub-heading of a chapter, for the nested table of contents. */
export interface OutlineEntry {
  /** HTML heading level after normalisation (2–6). */
  readonly level: number;
  readonly text: string;
  readonly id: string;
}

/** A section rendered to hast, before it is placed in a file. */
export interface RenderedSection {
  readonly section: Section;
  /** The id of the section's own heading; undefined for a lead section (it sits under the title). */
  readonly headingId?: string;
  /** Headings inside the section, in order (not the section's own heading). */
  readonly outline: OutlineEntry[];
  /** The section's content: its heading, blocks and footnotes, ready to wrap. */
  readonly content: ElementContent[];
}

/** What the book holds, counted while rendering, for the accessibility metadata and summary. */
export interface ContentStatistics {
  describedImages: number;
  decorativeImages: number;
  droppedImages: number;
  /** Dropped images whose alt text now stands in for them. */
  droppedDescribedImages: number;
  tables: number;
  footnotes: number;
  codeBlocks: number;
  /** Languages of inline parts that differ from the document's (`ar`). */
  readonly otherLanguages: Set<string>;
}

/**
 * What a narrated (talking) book renders for a section instead of its own blocks: the same
 * content with sentence nodes inside (src/document/sentences.ts), whose ids the XHTML keeps so
 * a media overlay can point at them.
 */
export interface NarratedSectionContent {
  /** The section's own heading with its unit inside; absent: the section's heading as usual. */
  readonly heading?: Heading;
  readonly blocks: readonly RootContent[];
  /** The section's copies of the footnotes it cites, with their units. */
  readonly footnotes: ReadonlyMap<string, FootnoteDefinition>;
}

/** Reports a recoverable problem with its 1-based source line and column, when known. */
export type Reporter = (rule: string, reason: string, line?: number, column?: number) => void;

/**
 * Marks an image already packaged, so it passes the sanitizer (which allows this scheme on
 * `src`) and is not resolved twice; the mark is removed after sanitizing.
 */
export const resolvedScheme = "lectern-image:";

const headingTags = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

export class SectionRenderer {
  readonly #document: LecternDocument;
  /** The source heading depth that opens sections (the shallowest any section has). */
  readonly #sectioningDepth: number;
  readonly #assets: ImageAssets;
  readonly #report: Reporter;
  readonly #footnoteNumbers = new Map<string, number>();
  /**
   * Ids for headings the document has no id for (raw HTML `<h3>` inside a block): seeded with
   * every slug src/document/heading-ids.ts gave out, so they never clash with those.
   */
  readonly #rawHeadingSlugger = new GithubSlugger();
  readonly statistics: ContentStatistics = {
    describedImages: 0,
    decorativeImages: 0,
    droppedImages: 0,
    droppedDescribedImages: 0,
    tables: 0,
    footnotes: 0,
    codeBlocks: 0,
    otherLanguages: new Set(),
  };
  readonly #handlerContext: HandlerContext;
  /** First source line of each Markdown link target, for link warnings made after positions are gone. */
  readonly #linkLines = new Map<string, number>();
  /**
   * In a narrated book, the mark that unit ids carry through sanitizing: the sanitizer keeps
   * no id from raw HTML, and only ids with this per-book random mark, which raw HTML cannot
   * guess, pass; the mark is removed after sanitizing.
   */
  readonly #unitMark: string | undefined;
  /** Unit ids already placed: a unit id appears on one element only (EPUBCheck RSC-005 duplicate id). */
  readonly #placedUnits = new Set<string>();
  /** The footnote definitions of the section being rendered, in a narrated book. */
  #sectionFootnotes: ReadonlyMap<string, FootnoteDefinition> | undefined;

  /** The source line where a link to `href` was first written in Markdown, if known. */
  linkLine(href: string): number | undefined {
    return this.#linkLines.get(href);
  }

  /** `narrated`: unit ids in the sections' content (sentence nodes, `data.unitId`) are kept as element ids. */
  constructor(document: LecternDocument, assets: ImageAssets, report: Reporter, narrated = false) {
    this.#document = document;
    this.#unitMark = narrated ? `lectern-unit-${randomUUID()}-` : undefined;
    this.#sectioningDepth = sectioningDepth(document.sections);
    this.#assets = assets;
    this.#report = report;
    for (const slug of headingIds(document).slugs) this.#rawHeadingSlugger.slug(slug);
    this.#handlerContext = {
      footnoteNumber: (identifier) => {
        if (!document.footnotes.has(identifier)) return undefined;
        let number = this.#footnoteNumbers.get(identifier);
        if (number === undefined) {
          number = this.#footnoteNumbers.size + 1;
          this.#footnoteNumbers.set(identifier, number);
        }
        return number;
      },
      warn: (rule, reason, node) => this.#report(rule, reason, node.position?.start.line, node.position?.start.column),
      recordLink: (href, node) => {
        const line = node.position?.start.line;
        if (line !== undefined && !this.#linkLines.has(href)) this.#linkLines.set(href, line);
      },
      ...(this.#unitMark === undefined ? {} : { unitId: (id: string) => `${this.#unitMark}${id}` }),
    };
  }

  /**
   * Renders sections in reading order (footnote numbers follow the order of first reference).
   * `narrated`: the section's content with its units, in a narrated book.
   */
  async render(section: Section, narrated?: NarratedSectionContent): Promise<RenderedSection> {
    let blocks: RootContent[] = [...(narrated?.blocks ?? section.blocks)];
    this.#sectionFootnotes = narrated?.footnotes;
    if (section.role !== "lead") {
      // A body section opens with its heading. End matter has none in the source; its title
      // becomes one, so the table of contents has a target and the file a heading (WCAG 2.4.6).
      // The lead sits under the book's `h1` title on the title page.
      const heading: Heading = narrated?.heading ??
        section.heading ?? {
          type: "heading",
          depth: Math.min(6, this.#sectioningDepth) as Heading["depth"],
          children: [{ type: "text", value: section.title }],
        };
      blocks = [heading, ...blocks];
    }
    this.#warnSkippedHeadings(section, blocks);

    const ids = headingIds(this.#document).bySection.get(section);
    const documentIds = !ids ? [] : section.role === "lead" ? ids.subheadings : [ids.own, ...ids.subheadings];
    const { tree, headingIds: foundIds } = await this.#toSafeHast(blocks, documentIds);
    const outline = this.#normalizeHeadings(tree, section, foundIds);
    this.#scopeTableHeaders(tree);
    const noteNumbers = this.#identifyNoteReferences(tree);
    const notes: ElementContent[] = [];
    const empty = new Set<number>();
    for (const number of noteNumbers) {
      const note = await this.#footnote(number);
      if (note) notes.push(note);
      else empty.add(number);
    }
    if (empty.size) removeNoteReferences(tree, empty);
    this.#countContent(tree);

    const [first, ...rest] = outline;
    const isOwnHeading = section.role !== "lead" && first !== undefined;
    return {
      section,
      ...(isOwnHeading ? { headingId: first.id } : {}),
      outline: isOwnHeading ? rest : outline,
      content: [...(tree.children as ElementContent[]), ...notes],
    };
  }

  /** Reports footnote definitions no text refers to: they have no place in the book. Call after every section. */
  reportUnreferencedFootnotes(): void {
    for (const [identifier, definition] of this.#document.footnotes) {
      if (this.#footnoteNumbers.has(identifier)) continue;
      this.#report(
        "footnote-unreferenced",
        `footnote \`[^${definition.label ?? identifier}]\` is never referred to in the text; it is left out`,
        definition.position?.start.line,
        definition.position?.start.column,
      );
    }
  }

  /**
   * mdast → hast with Lectern's handlers, raw HTML parsed (hast-util-raw) and the whole
   * tree sanitized against the allow-list, so Markdown and raw HTML are held to one rule.
   * Markdown images are resolved before hast-util-raw (which drops source positions), so
   * their warnings name a line; images from raw HTML are resolved after sanitizing.
   */
  async #toSafeHast(blocks: readonly RootContent[], documentIds: readonly (HeadingId | undefined)[] = []): Promise<{ tree: Root; headingIds: (string | undefined)[] }> {
    const hast = toHast(
      { type: "root", children: [...blocks] },
      {
        allowDangerousHtml: true,
        handlers: { ...chapterHandlers(this.#handlerContext), languageSpan: languageSpanElement },
        unknownHandler: unknownNodeHandler(this.#handlerContext),
      },
    ) as Root;
    markHeadingIds(hast, documentIds);
    prepareForSanitizer(hast, wordsFor(this.#document.metadata.language).words);
    await this.#packageImages(hast, false);
    dropPositionsWithoutOffsets(hast);
    // Raw HTML is parsed block by block: an unclosed `<em>` in one block must not swallow
    // the lists and paragraphs after it (HTML's adoption rules would nest them inside).
    const parsed: Root = { type: "root", children: hast.children.flatMap((block) => (raw({ type: "root", children: [block] }) as Root).children) };
    const headingIds = markedHeadingIds(parsed);
    const safe = sanitize(parsed, this.#unitMark === undefined ? chapterSchema : narratedChapterSchema(this.#unitMark)) as Root;
    if (this.#unitMark !== undefined) this.#unmarkUnitIds(safe, this.#unitMark);
    // What the parser allows but XHTML does not (orphan `<li>`, `<hr>` in a heading, `lang="en_US"`):
    // the raw HTML's repairs were reported with their line already (raw-html-report.ts).
    repairContentModel(safe);
    repairLanguageTags(safe);
    await this.#packageImages(safe, true);
    return { tree: safe, headingIds };
  }

  /** Marked unit ids become the unit's id; a second element claiming one (a footnote cited twice in a section) loses it. */
  #unmarkUnitIds(tree: Root, mark: string): void {
    visitElements(tree, (node) => {
      const id = node.properties.id;
      if (typeof id !== "string" || !id.startsWith(mark)) return;
      const unit = id.slice(mark.length);
      if (this.#placedUnits.has(unit)) delete node.properties.id;
      else {
        node.properties.id = unit;
        this.#placedUnits.add(unit);
      }
    });
  }

  /** Heading levels for one section, by the rule the PDF follows too (src/stages/shared/heading-levels.ts). */
  #headingLevels(section: Section): HeadingLevels {
    const levels = new HeadingLevels(this.#sectioningDepth);
    if (section.role === "lead") levels.lead();
    else levels.section(section.depth);
    return levels;
  }

  /**
   * Warns about Markdown headings that skip a level (WCAG 1.3.1), with their source line; the
   * output closes the gap itself (#normalizeHeadings). Empty sub-headings are dropped there and
   * take no level here either.
   */
  #warnSkippedHeadings(section: Section, blocks: readonly RootContent[]): void {
    const levels = this.#headingLevels(section);
    const headings = blocks.filter((node): node is Heading => node.type === "heading");
    headings.forEach((node, index) => {
      if (index === 0 && section.role !== "lead") return; // the section's own heading: always h2
      if (toString(node).trim() === "") return;
      const { level, requested } = levels.subheading(node.depth);
      if (requested === undefined) return;
      this.#report(
        "heading-level-skipped",
        `heading level ${node.depth} skips a level; the EPUB uses h${level} instead of h${requested} so no level is skipped`,
        node.position?.start.line,
        node.position?.start.column,
      );
    });
  }

  /**
   * Heading levels follow the book's outline: the title is `h1`, sections `h2`, their
   * sub-headings one level below the heading they belong to, never skipping a level (WCAG
   * 1.3.1, axe `heading-order`; the same rule as the PDF's H1–H6). Every heading gets an id
   * for the table of contents: the document's (`ids`, one per heading element in order, from
   * markedHeadingIds), or for a heading raw HTML wrote, one of its own.
   */
  #normalizeHeadings(tree: Root, section: Section, ids: readonly (string | undefined)[]): OutlineEntry[] {
    const outline: OutlineEntry[] = [];
    const levels = this.#headingLevels(section);
    const ownTitle = section.role === "lead" ? undefined : section.title;
    let headingNumber = 0;
    visitElements(tree, (node, ancestors) => {
      if (!headingTags.has(node.tagName)) return;
      const documentId = ids[headingNumber++];
      const isOwnHeading = ownTitle !== undefined && outline.length === 0;
      // Plain text as every title is shown (src/document/display-text.ts): no bidi overrides or controls in the nav.
      let label = cleanDisplayText(accessibleText(node));
      if (!label && isOwnHeading) {
        // An empty heading still names its section (axe `empty-heading`): the reader's title.
        node.children = [text(ownTitle)];
        label = ownTitle;
      } else if (!label) {
        // An empty sub-heading announces nothing and has nothing to list in the contents.
        const parent = ancestors.at(-1);
        if (parent) replaceChild(parent, node, []);
        return;
      }
      const level = isOwnHeading ? 2 : levels.subheading(Number(node.tagName.slice(1))).level;
      node.tagName = `h${level}`;
      const id = documentId ?? `h-${this.#rawHeadingSlugger.slug(plainSlug(label) === "" ? "heading" : label)}`;
      node.properties.id = id;
      outline.push({ level, text: label, id });
    });
    return outline;
  }

  /**
   * Header cells say what they head (WCAG 1.3.1, H63): header-row cells get `scope="col"`,
   * a header cell opening a body row `scope="row"`. A header cell anywhere else, or in a
   * table with no data cells at all, heads nothing (axe `th-has-data-cells`) and becomes a
   * data cell.
   */
  #scopeTableHeaders(tree: Root): void {
    visitElements(tree, (table) => {
      if (table.tagName !== "table") return;
      let dataCells = 0;
      visitElements(table, (cell) => {
        if (cell.tagName === "td") dataCells += 1;
      });
      visitElements(table, (cell, ancestors) => {
        if (cell.tagName !== "th") return;
        const row = ancestors.at(-1);
        const inHead = ancestors.some((ancestor) => ancestor.type === "element" && ancestor.tagName === "thead");
        const firstInRow = row?.type === "element" && row.children.find((child) => child.type === "element") === cell;
        if (dataCells === 0 || (!inHead && !firstInRow)) {
          cell.tagName = "td";
          delete cell.properties.scope;
          return;
        }
        cell.properties.scope = inHead ? "col" : "row";
      });
    });
  }

  /** Resolves every `img` (Markdown or raw HTML): packaged from disk, or replaced by its alt text. */
  async #packageImages(tree: Root, final: boolean): Promise<void> {
    const found: { node: Element; parent: Parents; grandparent: Parents | undefined }[] = [];
    visitElements(tree, (node, ancestors) => {
      const parent = ancestors.at(-1);
      if (node.tagName === "img" && parent) found.push({ node, parent, grandparent: ancestors.at(-2) });
    });
    for (const { node, parent, grandparent } of found) {
      const source = typeof node.properties.src === "string" ? node.properties.src : "";
      const alt = typeof node.properties.alt === "string" ? node.properties.alt.trim() : "";
      if (source.startsWith(resolvedScheme)) {
        // Resolved in the first pass; only Lectern's own marks survive, and only for files it packaged.
        const href = source.slice(resolvedScheme.length);
        if (this.#assets.images.some((image) => image.href === href)) {
          node.properties.src = href;
          continue;
        }
      }
      const resolution = source ? await this.#assets.resolve(source) : undefined;
      if (resolution?.kind === "packaged") {
        if (resolution.cleaned) this.#report(resolution.cleaned.rule, resolution.cleaned.reason, node.position?.start.line, node.position?.start.column);
        node.properties.src = final ? resolution.href : `${resolvedScheme}${resolution.href}`;
        node.properties.alt = alt;
        if (alt) this.statistics.describedImages += 1;
        else this.statistics.decorativeImages += 1;
        continue;
      }
      this.statistics.droppedImages += 1;
      if (alt) this.statistics.droppedDescribedImages += 1;
      const { line, column } = node.position?.start ?? {};
      if (resolution) this.#report(resolution.rule, resolution.reason, line, column);
      else this.#report("image-source-missing", "an image without a source was left out; its description is shown instead", line, column);
      // The alt text stays where the image was, said to be a picture's description, as the
      // PDF draws it (`[Image: …]`): without the label a listener hears it as running text.
      const replacement: ElementContent[] = alt
        ? [
            element("span", { className: ["image-omitted"], ...unitIdOf(node) }, [
              text("["),
              interfaceText(wordsFor(this.#document.metadata.language).words.image, this.#document.metadata.language),
              text(` ${alt}]`),
            ]),
          ]
        : [];
      if (parent.type === "element" && parent.tagName === "figure" && grandparent) {
        const caption = parent.children.find((child): child is Element => child.type === "element" && child.tagName === "figcaption");
        const paragraphChildren = caption ? [...replacement, text(" "), ...caption.children] : replacement;
        replaceChild(grandparent, parent, paragraphChildren.length ? [element("p", {}, paragraphChildren)] : []);
      } else {
        replaceChild(parent, node, replacement);
      }
    }
  }

  /**
   * Gives each note reference its id (`fnref-2`, `fnref-2-2` when cited again); returns the
   * notes cited, in order. A note reference from raw HTML that names no footnote of the
   * document (`<a href="#fn1" epub:type="noteref">`) loses its note semantics (an empty
   * footnote would be made for it otherwise) and is reported; links.ts then keeps its text.
   */
  #identifyNoteReferences(tree: Root): number[] {
    const cited: number[] = [];
    const defined = new Set(this.#footnoteNumbers.values());
    visitElements(tree, (node) => {
      if (node.tagName !== "a" || node.properties["epub:type"] !== "noteref") return;
      const href = String(node.properties.href ?? "");
      const match = /^#fn-(\d+)$/.exec(href);
      if (!match || !defined.has(Number(match[1]))) {
        delete node.properties["epub:type"];
        delete node.properties.role;
        this.#report("footnote-undefined", `a note reference to \`${href.slice(0, 40)}\` names no footnote of the document; its text is kept without the note`);
        return;
      }
      const number = Number(match[1]);
      const times = cited.filter((seen) => seen === number).length;
      node.properties.id = times === 0 ? `fnref-${number}` : `fnref-${number}-${times + 1}`;
      cited.push(number);
    });
    return [...new Set(cited)];
  }

  /**
   * One footnote as an EPUB 3 footnote: `aside` with `epub:type="footnote"` and
   * `role="doc-footnote"` (EPUB 3.3 SSV, DPUB-ARIA; Ace `epub-type-has-matching-role`),
   * ending with a back link to where it was cited (WCAG 2.4.3 focus order).
   */
  async #footnote(number: number): Promise<Element | undefined> {
    const identifier = [...this.#footnoteNumbers].find(([, value]) => value === number)?.[0];
    const definition: FootnoteDefinition | undefined = identifier === undefined ? undefined : (this.#sectionFootnotes?.get(identifier) ?? this.#document.footnotes.get(identifier));
    const { tree } = await this.#toSafeHast(definition?.children ?? []);
    const children = tree.children.filter((child): child is ElementContent => child.type !== "doctype");
    if (!accessibleText(tree).trim() && !children.some((child) => child.type === "element" && hasImage(child))) {
      // A note with nothing to read (`[^1]:` alone, or only a comment) would be an empty
      // aside a screen reader announces as a footnote: the reference is removed instead.
      this.#report(
        "footnote-empty",
        `footnote \`[^${definition?.label ?? identifier ?? number}]\` has no text; it and its references are left out`,
        definition?.position?.start.line,
        definition?.position?.start.column,
      );
      return undefined;
    }
    const backLink = element(
      "a",
      { href: `#fnref-${number}`, "epub:type": "backlink", role: "doc-backlink", ariaLabel: fill(wordsFor(this.#document.metadata.language).words.backToReference, { number }) },
      // U+FE0E asks for the text glyph: iOS and some Android readers draw a bare ↩ as a
      // coloured emoji (Pandoc writes the same pair).
      [text("↩\uFE0E")],
    );
    const lastElement = [...children].reverse().find((child): child is Element => child.type === "element");
    if (lastElement?.tagName === "p") lastElement.children.push(text(" "), backLink);
    else children.push(element("p", {}, [backLink]));
    const label = element("span", { className: ["footnote-number"] }, [text(`${number}. `)]);
    const firstParagraph = children.find((child): child is Element => child.type === "element" && child.tagName === "p");
    if (firstParagraph) firstParagraph.children.unshift(label);
    else children.unshift(label);
    this.statistics.footnotes += 1;
    return element("aside", { id: `fn-${number}`, "epub:type": "footnote", role: "doc-footnote", className: ["footnote"] }, children);
  }

  #countContent(tree: Root): void {
    visitElements(tree, (node) => {
      if (node.tagName === "table") this.statistics.tables += 1;
      if (node.tagName === "pre") this.statistics.codeBlocks += 1;
      const lang = node.properties.lang;
      if (typeof lang === "string" && lang && lang.toLowerCase() !== this.#document.metadata.language.toLowerCase()) {
        this.statistics.otherLanguages.add(lang);
      }
    });
  }
}

/** Elements that carry a unit's id in a narrated book: sentences (`span`), code (`pre`), a spoken HTML block (`div`), an image alone in its paragraph (`img`). */
const unitElements = ["span", "pre", "div", "img"] as const;

/** A narrated image's unit id, kept by the description standing in for a missing image. */
function unitIdOf(node: Element): { id?: string } {
  return typeof node.properties.id === "string" ? { id: node.properties.id } : {};
}

/** The chapter allow-list plus ids bearing the book's unit mark on the elements that carry units. */
function narratedChapterSchema(mark: string): Schema {
  const escaped = mark.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const markedId: [string, RegExp] = ["id", new RegExp(`^${escaped}\\S+$`)];
  const attributes = { ...chapterSchema.attributes };
  for (const tag of unitElements) attributes[tag] = [...(attributes[tag] ?? []), markedId];
  return { ...chapterSchema, attributes };
}

function hasImage(node: Element): boolean {
  return node.tagName === "img" || node.children.some((child) => child.type === "element" && hasImage(child));
}

/** Removes the note references to `numbers` (with the `sup` that holds one alone). */
function removeNoteReferences(tree: Root, numbers: ReadonlySet<number>): void {
  const found: { node: Element; parent: Parents; grandparent: Parents | undefined }[] = [];
  visitElements(tree, (node, ancestors) => {
    const match = /^#fn-(\d+)$/.exec(String(node.properties.href ?? ""));
    const parent = ancestors.at(-1);
    if (node.tagName === "a" && node.properties["epub:type"] === "noteref" && match && numbers.has(Number(match[1])) && parent) {
      found.push({ node, parent, grandparent: ancestors.at(-2) });
    }
  });
  for (const { node, parent, grandparent } of found) {
    const alone = parent.type === "element" && parent.tagName === "sup" && parent.children.length === 1;
    if (alone && grandparent) replaceChild(grandparent, parent, []);
    else replaceChild(parent, node, []);
  }
}

/**
 * Before sanitizing: task-list checkboxes become a text mark with a label (a book is not a
 * form; an unlabeled `input` fails axe `label`), and GFM column alignment becomes a class
 * (`align` is obsolete in HTML 5: EPUBCheck RSC-005).
 */
function prepareForSanitizer(tree: Root, words: Words): void {
  visitElements(tree, (node, ancestors) => {
    if (node.tagName === "input" && node.properties.type === "checkbox") {
      const checked = Boolean(node.properties.checked);
      const mark = element("span", { className: ["task-state"], role: "img", ariaLabel: checked ? words.done : words.notDone }, [text(checked ? "☑" : "☐")]);
      const parent = ancestors.at(-1);
      if (parent) replaceChild(parent, node, [mark]);
      return;
    }
    if ((node.tagName === "td" || node.tagName === "th") && typeof node.properties.align === "string") {
      node.properties.className = [`align-${node.properties.align}`];
      delete node.properties.align;
    }
  });
}

/** A passage in another language (src/document/language-spans.ts): its element, with `lang` and `dir`. */
function languageSpanElement(state: State, node: LanguageSpan): Element {
  const result = element(node.data.hName, { ...node.data.hProperties }, state.all(node));
  state.patch(node, result);
  return result;
}

/**
 * Marks each heading element rendered from Markdown with the document's id for it (the n-th
 * heading element is the n-th heading of the blocks: src/document/heading-ids.ts), before raw
 * HTML is parsed. The mark starts with U+0000, which HTML parsing turns into U+FFFD, so no raw
 * HTML can forge one.
 */
function markHeadingIds(tree: Root, ids: readonly (HeadingId | undefined)[]): void {
  let headingNumber = 0;
  visitElements(tree, (node) => {
    if (headingTags.has(node.tagName)) node.properties.id = headingMark + (ids[headingNumber++]?.id ?? "");
  });
}

/**
 * After raw HTML is parsed and before the sanitizer drops every `id`: the document's id of
 * each heading element the sanitizer keeps, in order; undefined for a heading raw HTML wrote.
 */
function markedHeadingIds(tree: Root): (string | undefined)[] {
  const ids: (string | undefined)[] = [];
  const stripped = new Set(chapterSchema.strip ?? []);
  visitElements(tree, (node, ancestors) => {
    if (!headingTags.has(node.tagName)) return;
    if (ancestors.some((ancestor) => ancestor.type === "element" && stripped.has(ancestor.tagName))) return;
    const mark = node.properties.id;
    ids.push(typeof mark === "string" && mark.startsWith(headingMark) && mark.length > 1 ? mark.slice(1) : undefined);
  });
  return ids;
}

const headingMark = "\u0000";

/**
 * hast-util-raw maps positions onto parse5 and asserts (in development builds, as under
 * vitest) that each has an `offset`; the plain-text reader's positions carry only line and
 * column. raw() drops positions anyway, and the first image pass has used them already.
 */
function dropPositionsWithoutOffsets(node: Nodes): void {
  if (node.position && (node.position.start.offset === undefined || node.position.end.offset === undefined)) delete node.position;
  if ("children" in node) for (const child of node.children as Nodes[]) dropPositionsWithoutOffsets(child);
}

/** Visits elements depth-first in document order; `ancestors` runs from the root to the parent. */
export function visitElements(tree: Root | Element, visit: (node: Element, ancestors: Parents[]) => void): void {
  const walk = (node: Parents, ancestors: Parents[]): void => {
    for (const child of [...node.children]) {
      if (child.type !== "element") continue;
      visit(child, [...ancestors, node]);
      walk(child, [...ancestors, node]);
    }
  };
  walk(tree, []);
}

export function replaceChild(parent: Parents, child: Nodes, replacement: readonly ElementContent[]): void {
  const index = (parent.children as Nodes[]).indexOf(child);
  if (index >= 0) (parent.children as HastRootContent[]).splice(index, 1, ...replacement);
}

/** Text a screen reader would announce for an element: its text and its images' alt text. */
export function accessibleText(node: Nodes): string {
  if (node.type === "text") return node.value;
  if (node.type === "element" && node.tagName === "img") return typeof node.properties.alt === "string" ? node.properties.alt : "";
  if ("children" in node) return (node.children as Nodes[]).map(accessibleText).join("");
  return "";
}

export function textContent(node: Nodes): string {
  if (node.type === "text") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(textContent).join("");
  return "";
}
