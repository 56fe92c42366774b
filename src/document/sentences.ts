// Sentences with stable ids, computed once per document: every writer that needs to name a
// sentence (the talking EPUB's XHTML and SMIL, the speech text and its captions, the audio
// clips) reads these nodes, so they agree on what a sentence is by construction.
//
// A section's blocks are copied with `sentence` nodes inserted around each sentence's phrasing
// content; a block spoken as a whole without phrasing (a fenced code block, a raw HTML block)
// carries its unit id in `data.unitId`. Ids are `<section slug>-s<n>`, n from 1 in document
// order: the section's heading, its blocks, then the footnotes it refers to (where the EPUB and
// the speech place them, at the section's end).
import { raw } from "hast-util-raw";
import type { ElementContent, Root as HastRoot } from "hast";
import type { Code, Data, FootnoteDefinition, Heading, Html, Nodes, Paragraph, Parent, PhrasingContent, RootContent, Table, TableRow } from "mdast";
import type { Point, Position } from "unist";
import { endsWithAbbreviation } from "./abbreviations.js";
import { isHiddenHtmlElement, separatesHtmlWords } from "./display-text.js";
import type { LecternDocument, Section } from "./model.js";

/** What a unit is, for the reader's skipping and escaping (EPUB `epub:type`) and for speech. */
export type SentenceKind = "heading" | "paragraph" | "list-item" | "quote" | "table-cell" | "caption" | "footnote" | "code" | "image";

export interface SentenceData extends Data {
  readonly id: string;
  /** Rendered by mdast-util-to-hast as `<span id="…">`, with no handler of its own. */
  hName: "span";
  hProperties: { id: string };
}

/** A sentence (or a unit spoken whole, such as a heading): phrasing content with its stable id. */
export interface Sentence extends Parent {
  type: "sentence";
  data: SentenceData;
  children: PhrasingContent[];
}

declare module "mdast" {
  interface PhrasingContentMap {
    sentence: Sentence;
  }
  interface RootContentMap {
    sentence: Sentence;
  }
  interface CodeData {
    /** The unit id of a code block, which is spoken (and highlighted) as a whole. */
    unitId?: string;
  }
  interface HtmlData {
    /** The unit id of a raw HTML block that has text to speak. */
    unitId?: string;
  }
}

export interface SentenceInfo {
  readonly id: string;
  /** The unit's text as written, on one line (whitespace collapsed): what a caption shows. */
  readonly text: string;
  readonly kind: SentenceKind;
  /** Source line of its first piece. */
  readonly line?: number;
}

export interface SentencedSection {
  readonly section: Section;
  /**
   * The section's own heading with its one sentence node: `section.heading`, or for a body
   * section without one a heading of its title (which the speech says and the EPUB shows).
   * Absent for a lead section and for end matter without a heading.
   */
  readonly heading?: Heading;
  /** Copies of section.blocks with sentence nodes inserted (section.blocks are not changed). */
  readonly blocks: readonly RootContent[];
  /** Copies of the footnote definitions this section references, in first-reference order, ids continuing its numbering. */
  readonly footnotes: ReadonlyMap<string, FootnoteDefinition>;
  /** Every unit in document order: ids `${section.slug}-s${n}`, n from 1. */
  readonly sentences: readonly SentenceInfo[];
}

const memo = new WeakMap<LecternDocument, { readonly list: readonly SentencedSection[]; readonly bySection: ReadonlyMap<Section, SentencedSection> }>();
const loose = new WeakMap<Section, SentencedSection>();

function memoized(doc: LecternDocument): { readonly list: readonly SentencedSection[]; readonly bySection: ReadonlyMap<Section, SentencedSection> } {
  let entry = memo.get(doc);
  if (!entry) {
    const list = doc.sections.map((section) => sentenceSection(doc, section));
    entry = { list, bySection: new Map(list.map((sentenced) => [sentenced.section, sentenced])) };
    memo.set(doc, entry);
  }
  return entry;
}

/** The document's sections with their sentences, one per `doc.sections` entry; computed once per document. */
export function sentenceSections(doc: LecternDocument): readonly SentencedSection[] {
  return memoized(doc).list;
}

/** One section's sentences: the memoized entry when `section` is one of `doc.sections`. */
export function sentencedSection(doc: LecternDocument, section: Section): SentencedSection {
  const found = memoized(doc).bySection.get(section);
  if (found) return found;
  let entry = loose.get(section);
  if (!entry) {
    entry = sentenceSection(doc, section);
    loose.set(section, entry);
  }
  return entry;
}

/** A node that is a sentence. */
export function isSentence(node: Nodes): node is Sentence {
  return node.type === "sentence";
}

function sentenceSection(doc: LecternDocument, section: Section): SentencedSection {
  const builder = new SectionBuilder(section.slug, doc.metadata.language);
  let heading: Heading | undefined;
  const source =
    section.heading ??
    (section.role === "body" ? ({ type: "heading", depth: headingDepth(section.depth), children: [{ type: "text", value: section.title }] } satisfies Heading) : undefined);
  if (source) heading = builder.block(source, "paragraph") as Heading;
  const blocks = section.blocks.map((block) => builder.block(block, "paragraph"));
  const footnotes = new Map<string, FootnoteDefinition>();
  for (const identifier of footnoteOrder(source ? [source, ...section.blocks] : section.blocks)) {
    const definition = doc.footnotes.get(identifier);
    if (!definition || footnotes.has(identifier)) continue;
    footnotes.set(identifier, { ...definition, children: definition.children.map((child) => builder.block(child, "footnote")) as FootnoteDefinition["children"] });
  }
  return { section, ...(heading ? { heading } : {}), blocks, footnotes, sentences: builder.sentences };
}

const headingDepth = (depth: number): Heading["depth"] => Math.min(6, Math.max(1, depth || 1)) as Heading["depth"];

/** Footnote identifiers in the order the nodes first refer to them (iterative: nesting may be deep). */
function footnoteOrder(nodes: readonly Nodes[]): string[] {
  const order = new Set<string>();
  const stack: Nodes[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "footnoteReference") order.add(node.identifier);
    if ("children" in node) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as Nodes);
  }
  return [...order];
}

/** Numbers the units of one section and builds the sentenced copies of its blocks. */
class SectionBuilder {
  readonly sentences: SentenceInfo[] = [];

  constructor(
    private readonly slug: string,
    private readonly language: string,
  ) {}

  private nextId(): string {
    return `${this.slug}-s${this.sentences.length + 1}`;
  }

  /** A sentenced copy of a block; `kind` is what a paragraph inside it is (a list item's, a quote's). */
  block(node: RootContent, kind: SentenceKind): RootContent {
    switch (node.type) {
      case "paragraph":
        return { ...node, children: this.phrasing(node.children, isImageOnly(node) ? "image" : kind, "sentences") };
      case "heading":
        return { ...node, children: this.phrasing(node.children, "heading", "whole") };
      case "blockquote":
        return { ...node, children: node.children.map((child) => this.block(child, kind === "paragraph" ? "quote" : kind)) as typeof node.children };
      case "list":
        return { ...node, children: node.children.map((item) => this.block(item, kind === "paragraph" || kind === "quote" ? "list-item" : kind)) as typeof node.children };
      case "listItem":
        return { ...node, children: node.children.map((child) => this.block(child, kind === "paragraph" ? "list-item" : kind)) as typeof node.children };
      case "table":
        return this.table(node);
      case "code":
        return this.code(node);
      case "html":
        return this.html(node);
      default:
        return this.unknown(node, kind);
    }
  }

  private unknown(node: RootContent, kind: SentenceKind): RootContent {
    if (!("children" in node) || !Array.isArray(node.children)) return { ...node };
    const children = node.children as Nodes[];
    // A container of inline content (a directive's label, an unknown extension) is read as a paragraph.
    if (children.length > 0 && children.every((child) => phrasingTypes.has(child.type)))
      return { ...node, children: this.phrasing(children as PhrasingContent[], kind, "sentences") } as RootContent;
    return { ...node, children: children.map((child) => this.block(child as RootContent, kind)) } as RootContent;
  }

  /** Header cells name the columns (the speech says them before each cell); every other cell is a unit, cut into sentences only when it holds a full stop. */
  private table(node: Table): Table {
    const [header, ...rows] = node.children;
    const copyRow = (row: TableRow, sentenced: boolean): TableRow => ({
      ...row,
      children: row.children.map((cell) => ({
        ...cell,
        children: sentenced ? this.phrasing(cell.children, "table-cell", /[.!?…。！？]/.test(flatten(cell.children).text) ? "sentences" : "whole") : cell.children.map(copyDeep),
      })),
    });
    return { ...node, children: [...(header ? [copyRow(header, false)] : []), ...rows.map((row) => copyRow(row, true))] };
  }

  private code(node: Code): Code {
    if (node.value.trim() === "") return { ...node };
    const id = this.add(
      "code",
      node.value
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .join(" "),
      node.position?.start.line,
    );
    return { ...node, data: { ...node.data, unitId: id } };
  }

  private html(node: Html): Html {
    const text = htmlBlockText(node.value);
    if (text === "") return { ...node };
    const id = this.add("paragraph", text, node.position?.start.line);
    return { ...node, data: { ...node.data, unitId: id } };
  }

  private add(kind: SentenceKind, text: string, line: number | undefined): string {
    const id = this.nextId();
    this.sentences.push({ id, text: oneLine(text), kind, ...(line === undefined ? {} : { line }) });
    return id;
  }

  /**
   * Phrasing content cut into sentence nodes (`whole`: one node). Content with nothing to show
   * (only whitespace or comments) is copied without a unit.
   */
  private phrasing(children: readonly PhrasingContent[], kind: SentenceKind, mode: "sentences" | "whole"): PhrasingContent[] {
    const flat = flatten(children);
    if (flat.text.trim() === "" && !flat.hasImage) return children.map(copyDeep);
    const boundaries = mode === "whole" ? [] : sentenceBoundaries(flat, this.language);
    const pieces = splitPhrasing(children, boundaries);
    return pieces.map((piece) => {
      const id = this.add(kind, piece.text, piece.start?.line);
      const sentence: Sentence = { type: "sentence", data: { id, hName: "span", hProperties: { id } }, children: piece.children };
      if (piece.start && piece.end) sentence.position = { start: piece.start, end: piece.end };
      return sentence;
    });
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

const phrasingTypes = new Set([
  "text",
  "emphasis",
  "strong",
  "delete",
  "link",
  "linkReference",
  "inlineCode",
  "break",
  "image",
  "imageReference",
  "html",
  "footnoteReference",
  "sentence",
]);

function isImageOnly(node: Paragraph): boolean {
  let image = false;
  for (const child of node.children) {
    if (child.type === "image" || child.type === "imageReference") image = true;
    else if (!(child.type === "text" && child.value.trim() === "") && child.type !== "break") return false;
  }
  return image;
}

function copyDeep<T extends Nodes>(node: T): T {
  return structuredClone(node);
}

// ---------------------------------------------------------------------------------------------
// The text a sentence splitter reads, and where it may not break.

/** How a phrasing node counts in the text: its characters, or none. */
function leafText(node: Nodes): string {
  switch (node.type) {
    case "text":
      return node.value;
    case "inlineCode":
      return node.value;
    case "break":
      return " ";
    // A picture takes one place (U+FFFC, the object replacement character), so a sentence may end before or after it.
    case "image":
    case "imageReference":
      return "\uFFFC";
    case "html":
    case "footnoteReference":
      return "";
    default:
      return "value" in node && typeof node.value === "string" ? node.value : "";
  }
}

/** The written text of phrasing: what a caption shows (an image is its alt text). */
function writtenLeaf(node: Nodes): string {
  if (node.type === "image" || node.type === "imageReference") return node.alt ?? "";
  return leafText(node);
}

interface FlatText {
  readonly text: string;
  /** Ranges `[from, to]` no break may fall strictly inside (inline code, a link, an open inline HTML element). */
  readonly unbreakable: readonly (readonly [number, number])[];
  readonly hasImage: boolean;
}

const voidElements = new Set(["br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "param", "track"]);

/** Walks phrasing depth-first without recursion (emphasis may nest thousands deep). */
function eachLeaf(children: readonly PhrasingContent[], visit: (node: PhrasingContent, event: "leaf" | "enter" | "exit") => void): void {
  const stack: { nodes: readonly PhrasingContent[]; index: number; parent?: PhrasingContent }[] = [{ nodes: children, index: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      if (frame.parent) visit(frame.parent, "exit");
      continue;
    }
    const node = frame.nodes[frame.index++]!;
    if ("children" in node && Array.isArray(node.children) && node.children.length > 0) {
      visit(node, "enter");
      stack.push({ nodes: node.children as PhrasingContent[], index: 0, parent: node });
    } else {
      visit(node, "leaf");
    }
  }
}

function flatten(children: readonly PhrasingContent[]): FlatText {
  const parts: string[] = [];
  const unbreakable: [number, number][] = [];
  const openTags: { name: string; at: number }[] = [];
  let offset = 0;
  let hasImage = false;
  let linkStart = -1;
  eachLeaf(children, (node, event) => {
    // A link cut in two would be announced as two links, each with half the text.
    if (node.type === "link" || node.type === "linkReference") {
      if (event === "enter") linkStart = offset;
      else if (event === "exit" && linkStart !== -1) {
        unbreakable.push([linkStart, offset]);
        linkStart = -1;
      }
      return;
    }
    if (event !== "leaf") return;
    const text = leafText(node);
    if (node.type === "image" || node.type === "imageReference") hasImage = true;
    if (node.type === "html") {
      // An inline element opened in one HTML node and closed in a later one must close in the
      // sentence it opened in, or the rendered spans would interleave with it.
      for (const tag of node.value.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
        const name = tag[2]!.toLowerCase();
        if (tag[3] || voidElements.has(name)) continue;
        if (!tag[1]) openTags.push({ name, at: offset });
        else {
          let index = openTags.length - 1;
          while (index >= 0 && openTags[index]!.name !== name) index--;
          if (index !== -1) {
            unbreakable.push([openTags[index]!.at, offset]);
            openTags.length = index;
          }
        }
      }
    } else if (text.length > 1 && node.type !== "text") {
      unbreakable.push([offset, offset + text.length]); // inline code and the like: never cut inside
    }
    // A line break inside a paragraph is a soft one (Markdown joins the lines); ICU would end a sentence at it.
    parts.push(node.type === "text" ? text.replace(/[\r\n\u0085\u2028\u2029]/g, " ") : text);
    offset += text.length;
  });
  for (const open of openTags) unbreakable.push([open.at, Number.POSITIVE_INFINITY]);
  unbreakable.sort((a, b) => a[0] - b[0]);
  return { text: parts.join(""), unbreakable, hasImage };
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(language, { granularity: "sentence" });
    } catch {
      segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
    }
    segmenters.set(language, segmenter);
  }
  return segmenter;
}

/** ICU reads this much text at a time: V8's sentence segmenter slows down more than linearly on a long text (40,000 sentences take 30 s). */
const segmentWindow = 4_000;
/** A break this close to a window's end may depend on what lies beyond it: decided by the next window. */
const segmentMargin = 200;

/**
 * ICU's sentence breaks in `text` (offsets after 0), found window by window. Each window starts
 * at a break already found (where ICU's rules start afresh), or, inside a sentence longer than
 * a window, `segmentMargin` before the text still undecided; so the breaks are those of the
 * whole text, in time linear in its length (but for a run of spaces longer than a window after
 * a full stop, which hides that break: the two sentences then share one node, losing nothing).
 */
export function icuBreaks(text: string, language: string): number[] {
  const segmenter = segmenterFor(language);
  const breaks: number[] = [];
  let start = 0;
  let decidedTo = 0;
  while (decidedTo < text.length) {
    const end = Math.min(text.length, start + segmentWindow);
    const limit = end === text.length ? text.length : end - segmentMargin;
    let last = -1;
    for (const { index } of segmenter.segment(text.slice(start, end))) {
      const at = start + index;
      if (index === 0 || at < decidedTo) continue;
      if (at >= limit) break;
      breaks.push(at);
      last = at;
    }
    decidedTo = limit;
    start = last !== -1 ? last : Math.max(start + 1, limit - segmentMargin);
  }
  return breaks;
}

/**
 * Offsets in `flat.text` where a new sentence starts: ICU's sentence breaks (Intl.Segmenter, by
 * the language's rules), moved past the closing quotes and brackets that end the sentence before
 * them, less those after an abbreviation of the language ("Dr. Smith", which ICU breaks before a
 * capital), those before a lower-case word and those inside code, a link or an open inline HTML
 * element; then pieces with nothing to say are joined to a neighbour (`joinSilentPieces`).
 */
export function sentenceBoundaries(flat: Pick<FlatText, "text" | "unbreakable">, language: string): number[] {
  const boundaries: number[] = [];
  let range = 0;
  let sentenceStart = 0;
  for (const icu of icuBreaks(flat.text, language)) {
    const index = pastClosers(flat.text, icu);
    if (index <= sentenceStart || index >= flat.text.length) continue;
    // Ranges are sorted by start: skip those ended by now; the first left holds the break if any does.
    while (range < flat.unbreakable.length && flat.unbreakable[range]![1] <= index) range++;
    const holder = flat.unbreakable[range];
    if (holder && holder[0] < index) continue;
    // A question or exclamation the sentence goes on after (`»Was?« dachte er`, `"Why?" she asked`): ICU breaks after `?` and `!` whatever follows.
    if (/^\p{Ll}/u.test(flat.text.slice(index, index + 1))) continue;
    if (endsWithAbbreviation(flat.text.slice(Math.max(sentenceStart, index - 100), index), language, flat.text.slice(index, index + 40))) continue;
    boundaries.push(index);
    sentenceStart = index;
  }
  return joinSilentPieces(flat.text, boundaries);
}

/** Spaces a closing mark may follow: French typography puts a narrow no-break space before `»`. */
const isSpace = (character: string): boolean => /\s/u.test(character);
const closers = new Set(["»", "”", "’", ")", "]"]);
/** How far past a break closing marks are looked for: a run of spaces longer than this hides them. */
const closerReach = 64;

/**
 * A break moved past the closing marks (and the spaces around them) that follow it: ICU ends a
 * sentence after a space, so in `« Je viens. »` (U+202F before `»`) it breaks before the `»`.
 * A mark directly before a letter or digit opens something instead (`’Tis`), and stays.
 */
function pastClosers(text: string, index: number): number {
  let at = index;
  let moved = -1;
  const limit = Math.min(text.length, index + closerReach);
  while (at < limit) {
    const character = text[at]!;
    if (closers.has(character) && !/[\p{L}\p{N}]/u.test(text[at + 1] ?? " ")) moved = at + 1;
    else if (!isSpace(character)) break;
    at++;
  }
  return moved === -1 ? index : at;
}

/** A number or, at a block's start, a letter that only numbers what follows: `1.`, `(2)`, `a)`. */
const numberEnumerator = /^\(?\d{1,3}[.)]$/;
const letterEnumerator = /^[A-Za-z][.)]$/;
/** A piece with something to say or show: a letter, a digit or a picture (U+FFFC). */
const sayable = /[\p{L}\p{N}\uFFFC]/u;

/**
 * `boundaries` less those that would leave a piece with nothing to say (`"""`, `..`: a clip and a
 * caption of a few milliseconds), which joins the sentence before it (the next when first), or
 * a piece that is only an enumerator (`**1. Build it.**`), which joins the sentence it numbers.
 * A letter counts as an enumerator only at the block's start: elsewhere `A.` may end a sentence.
 */
function joinSilentPieces(text: string, boundaries: readonly number[]): number[] {
  if (boundaries.length === 0) return [...boundaries];
  const dropped = new Uint8Array(boundaries.length);
  for (let piece = 0; piece <= boundaries.length; piece++) {
    const written = text.slice(piece === 0 ? 0 : boundaries[piece - 1], piece === boundaries.length ? text.length : boundaries[piece]).trim();
    const silent = !sayable.test(written);
    if (silent && piece > 0) dropped[piece - 1] = 1;
    else if ((silent || numberEnumerator.test(written) || (piece === 0 && letterEnumerator.test(written))) && piece < boundaries.length) dropped[piece] = 1;
  }
  return boundaries.filter((_, index) => dropped[index] === 0);
}

// ---------------------------------------------------------------------------------------------
// Cutting phrasing at the boundaries: each sentence gets its own copies of the markup around it.

interface Piece {
  children: PhrasingContent[];
  text: string;
  start?: Point;
  end?: Point;
}

/**
 * Phrasing cut at `boundaries` (offsets in its flattened text) into one run of nodes per
 * sentence. Markup a boundary falls inside (`*One. Two.*`) is copied into both sentences; a node
 * that takes no place in the text (a footnote reference, an HTML tag) stays with the sentence
 * before it. One pass over the nodes, so the work is linear in the text and the copies made.
 */
function splitPhrasing(children: readonly PhrasingContent[], boundaries: readonly number[]): Piece[] {
  const pieces: Piece[] = [{ children: [], text: "" }];
  // The open markup around the current node, and its copy in the current sentence (made when first needed).
  const path: { node: Parent; copy?: Parent }[] = [];
  let next = 0;
  let offset = 0;
  const current = (): Piece => pieces[pieces.length - 1]!;
  const newSentence = (): void => {
    pieces.push({ children: [], text: "" });
    for (const open of path) open.copy = undefined;
  };
  const target = (): PhrasingContent[] => {
    let children = current().children;
    for (const open of path) {
      if (!open.copy) {
        open.copy = { ...(open.node as PhrasingContent & Parent), children: [] };
        children.push(open.copy as PhrasingContent);
      }
      children = open.copy.children as PhrasingContent[];
    }
    return children;
  };
  const place = (node: PhrasingContent, written: string, start?: Point, end?: Point): void => {
    target().push(node);
    const piece = current();
    piece.text += written;
    if (start && !piece.start) piece.start = start;
    if (end) piece.end = end;
  };
  eachLeaf(children, (node, event) => {
    if (event === "enter") {
      path.push({ node: node as Parent });
      return;
    }
    if (event === "exit") {
      path.pop();
      return;
    }
    const width = leafText(node).length;
    if (width === 0) {
      place(leafCopy(node), writtenLeaf(node), node.position?.start, node.position?.end);
      return;
    }
    while (next < boundaries.length && boundaries[next]! <= offset) {
      next++;
      if (current().children.length > 0) newSentence();
    }
    if (node.type !== "text") {
      // Atomic: a boundary inside it was never allowed.
      while (next < boundaries.length && boundaries[next]! < offset + width) next++;
      place(leafCopy(node), writtenLeaf(node), node.position?.start, node.position?.end);
      offset += width;
      return;
    }
    let from = 0;
    let point = node.position?.start;
    while (next < boundaries.length && boundaries[next]! < offset + width) {
      const cut = boundaries[next++]! - offset;
      const value = node.value.slice(from, cut);
      const end = point && advance(point, value);
      place(textPiece(node, value, point, end), value, point, end);
      newSentence();
      from = cut;
      point = end;
    }
    const value = from === 0 ? node.value : node.value.slice(from);
    const end = from === 0 ? node.position?.end : point && advance(point, value);
    place(from === 0 ? leafCopy(node) : textPiece(node, value, point, end), value, point, end);
    offset += width;
  });
  return pieces.filter((piece) => piece.children.length > 0);
}

function leafCopy<T extends PhrasingContent>(node: T): T {
  return { ...node };
}

function textPiece(node: PhrasingContent & { type: "text" }, value: string, start: Point | undefined, end: Point | undefined): PhrasingContent {
  const piece: PhrasingContent = { type: "text", value };
  if (node.data) piece.data = node.data;
  if (start && end) piece.position = { start, end } satisfies Position;
  return piece;
}

/**
 * The source point after `text` written from `point`. Exact for text without escapes or
 * entities; a column after a line break inside a list or quote does not count its indentation.
 */
function advance(point: Point, text: string): Point {
  const lastBreak = text.lastIndexOf("\n");
  if (lastBreak === -1) return { line: point.line, column: point.column + text.length, ...(point.offset === undefined ? {} : { offset: point.offset + text.length }) };
  let lines = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) lines++;
  return { line: point.line + lines, column: text.length - lastBreak, ...(point.offset === undefined ? {} : { offset: point.offset + text.length }) };
}

// ---------------------------------------------------------------------------------------------
// Raw HTML blocks.

/**
 * The text a raw HTML block shows, as speech reads it: parsed as the EPUB parses it, without
 * what a reader never sees as text (scripts, styles, comments: src/document/display-text.ts).
 */
export function htmlBlockText(value: string): string {
  const tree = raw({ type: "root", children: [{ type: "raw", value }] }) as HastRoot;
  const parts: string[] = [];
  const stack: ElementContent[] = [...(tree.children as ElementContent[])].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "text") parts.push(node.value);
    if (node.type !== "element" || isHiddenHtmlElement(node)) continue;
    if (node.tagName === "br" || separatesHtmlWords(node.tagName)) parts.push(" ");
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return oneLine(parts.join(""));
}
