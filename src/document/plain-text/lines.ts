// Lines and blocks of a plain-text source: the units every plain-text heuristic reads.

export interface Line {
  /** The line without its line ending and trailing white space; leading indentation is kept. */
  readonly text: string;
  /** 1-based line number in the source file. */
  readonly number: number;
  /** 0-based offset of the line's first character in the source (unist positions carry it). */
  readonly offset: number;
}

/** Lines with no blank line between them. */
export type Block = readonly Line[];

/** What the whole text's shape says, measured once and read by every block heuristic. */
export interface Layout {
  /** Blank lines separate paragraphs and the line breaks inside them are wrapping. */
  readonly wrapped: boolean;
  /** The width text was wrapped at (Infinity for one paragraph per line). */
  readonly wrapWidth: number;
  /**
   * The indentation of running text: 0 for most text, 3 in an RFC, whose headings stand at
   * the margin and whose paragraphs are indented. Deeper lines are indented relative to it.
   */
  readonly bodyIndent: number;
  /**
   * The indentation of a paragraph's first line when the text sets it deeper than the lines
   * after it (the GPL's two spaces), else the body indent. Numbered headings stand there too.
   */
  readonly paragraphIndent: number;
}

/**
 * Splits the source into lines. A form feed (the page break of paginated text, RFCs and
 * printer output) is no character of the text: it is removed, and its line is marked so page
 * furniture can be recognised next to it.
 */
export function toLines(source: string): { lines: Line[]; pageBreaks: Set<number> } {
  let offset = 0;
  const pageBreaks = new Set<number>();
  const lines = source.split("\n").map((raw, index) => {
    if (raw.includes("\f")) pageBreaks.add(index + 1);
    const line = { text: raw.replace(/\f/g, "").replace(/\s+$/, ""), number: index + 1, offset };
    offset += raw.length + 1;
    return line;
  });
  return { lines, pageBreaks };
}

export function splitBlocks(lines: readonly Line[]): Block[] {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (line.text.trim() === "") {
      if (current.length) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length) blocks.push(current);
  return blocks;
}

/** Leading spaces of a line; a tab counts as the 8 columns a terminal shows. */
export function indentOf(line: Line): number {
  let width = 0;
  for (const character of line.text) {
    if (character === " ") width++;
    else if (character === "\t") width += 8 - (width % 8);
    else break;
  }
  return width;
}

/** The smallest indentation of a block's lines (a loop: a block may have more lines than a call has arguments). */
export function sharedIndent(block: Block): number {
  let shared = Infinity;
  for (const line of block) shared = Math.min(shared, indentOf(line));
  return Number.isFinite(shared) ? shared : 0;
}

export function singleLine(block: Block): string | undefined {
  return block.length === 1 ? block[0]!.text : undefined;
}

/** The unist position of a run of lines. */
export function span(block: Block) {
  const first = block[0]!;
  const last = block.at(-1)!;
  return {
    start: { line: first.number, column: 1, offset: first.offset },
    end: { line: last.number, column: last.text.length + 1, offset: last.offset + last.text.length },
  };
}

export type Span = ReturnType<typeof span>;

/**
 * Measures the layout. Hard-wrapped when most text lines sit in blocks of several lines, or
 * those blocks break tight at one width, and those lines are no longer than a wrapping editor
 * makes them; one-paragraph-per-line text has
 * long lines. The body indent is the indentation most lines of multi-line blocks share.
 */
export function measureLayout(blocks: readonly Block[]): Layout {
  const total = blocks.reduce((sum, block) => sum + block.length, 0);
  const multiLine = blocks.filter((block) => block.length > 1);
  const inMultiLine = multiLine.reduce((sum, block) => sum + block.length, 0);
  const width = typicalWidth(multiLine);
  // A short text may have more one-line blocks (title, byline, headings) than wrapped lines:
  // its multi-line blocks still show wrapping when they break tight at one width.
  const wrapped = total > 0 && width <= 100 && (inMultiLine / total > 0.5 || breaksTight(multiLine, width));
  const indents = new Map<number, number>();
  for (const line of multiLine.flat()) indents.set(indentOf(line), (indents.get(indentOf(line)) ?? 0) + 1);
  let bodyIndent = 0;
  let most = 0;
  for (const [indent, count] of indents) if (count > most) [bodyIndent, most] = [indent, count];
  // An indented body is a convention of whole documents (RFCs); a few indented poems are not one.
  if (bodyIndent > 8 || most < inMultiLine * 0.5) bodyIndent = 0;
  return { wrapped, wrapWidth: wrapped ? width : Infinity, bodyIndent, paragraphIndent: firstLineIndent(multiLine, bodyIndent) };
}

/** The first-line indentation most multi-line paragraphs share, when deeper than the body's and at most 8 columns; else the body's. */
function firstLineIndent(blocks: readonly Block[], bodyIndent: number): number {
  const counts = new Map<number, number>();
  for (const block of blocks) {
    const first = indentOf(block[0]!);
    if (first > bodyIndent && first <= 8 && block.slice(1).every((line) => indentOf(line) === bodyIndent)) counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  let indent = bodyIndent;
  let most = 0;
  for (const [first, count] of counts) if (count > most) [indent, most] = [first, count];
  return most >= blocks.length * 0.5 ? indent : bodyIndent;
}

/**
 * Whether multi-line blocks break where a wrapping editor does: at least two of them, and
 * nearly every line before a block's last one full, its next word too long to have fitted on
 * it. Verse, lists and addresses are ragged; one such line in ten may fall short (a URL or a
 * long word carried over).
 */
function breaksTight(blocks: readonly Block[], width: number): boolean {
  if (blocks.length < 2) return false;
  const inner = blocks.flatMap((block) => block.slice(0, -1).map((line, at) => [line.text, block[at + 1]!.text.trim().split(/\s/, 1)[0]!] as const));
  const tight = inner.filter(([text, nextWord]) => text.length >= width * 0.75 && text.length + 1 + nextWord.length > width).length;
  return tight >= inner.length - Math.floor(inner.length / 10) && inner.length >= 2;
}

/** The width text was wrapped at: the 90th percentile of line lengths in multi-line blocks. */
function typicalWidth(blocks: readonly Block[]): number {
  const lengths = blocks.flatMap((block) => block.map((line) => line.text.length)).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 72;
}
