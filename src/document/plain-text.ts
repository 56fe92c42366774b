// The plain-text reader: infers paragraphs, headings, verse, lists and breaks, and builds mdast.
//
// Two shapes of plain text are common and both are handled:
// - "one paragraph per line" (web articles pasted as text): every non-empty line is a block;
// - "hard-wrapped" (Project Gutenberg books, e-mail): blank lines separate blocks, and the
//   line breaks inside a block are wrapping, unless the block is verse or an address, whose
//   short lines are kept.
import type { Emphasis, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Text } from "mdast";

export interface TextParse {
  readonly tree: Root;
  readonly title?: string;
  readonly author?: string;
  readonly language?: string;
  /** Source lines the title and author were read from, for messages. */
  readonly titleLine?: number;
  readonly authorLine?: number;
}

interface Line {
  readonly text: string;
  /** 1-based line number in the source file. */
  readonly number: number;
  /** 0-based offset of the line's first character in the source (unist positions carry it). */
  readonly offset: number;
}

type Block = readonly Line[];

/** Words that title case leaves in lower case (unless first). */
const minorWords = new Set(
  "a an the and but or nor for so yet of in on at to by up as from into onto with without via per vs v is are was be de la le du von van der al el".split(" "),
);

/** Chapter-like headings: `CHAPTER I. Down the Rabbit-Hole`, `Chapter 12`, `BOOK TWO`, `PART III: The End`. */
const chapterPattern =
  /^(chapter|book|part|stave|letter|canto|volume|section)\s+((?:[ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty[a-z-]*|thirty[a-z-]*|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last))\b\.?:?\s*(.*)$/i;
/** A line of only `*`, `-`, `_`, `=`, `~`, `#` or bullets, three or more: a scene break. */
const breakPattern = /^\s*(?:([*\-_=~#•·])\s*){3,}$/;
const bulletPattern = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;
const gutenbergStart = /^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG/i;
const gutenbergEnd = /^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG/i;

/** Reads plain text into mdast, with title and author when the text states them. */
export function parsePlainText(source: string): TextParse {
  let offset = 0;
  let lines: Line[] = source.split("\n").map((text, index) => {
    const line = { text: text.replace(/\s+$/, ""), number: index + 1, offset };
    offset += text.length + 1;
    return line;
  });
  let title: string | undefined;
  let author: string | undefined;
  let language: string | undefined;
  let titleLine: number | undefined;
  let authorLine: number | undefined;

  // Project Gutenberg boilerplate: keep the book, read its header for metadata.
  const startIndex = lines.findIndex((line) => gutenbergStart.test(line.text));
  if (startIndex >= 0) {
    for (const line of lines.slice(0, startIndex)) {
      const field = /^(Title|Author|Language):\s*(.+)$/.exec(line.text);
      if (field?.[1] === "Title") [title, titleLine] = [field[2]!.trim(), line.number];
      if (field?.[1] === "Author") [author, authorLine] = [field[2]!.trim(), line.number];
      if (field?.[1] === "Language") language = languageFromName(field[2]!.trim());
    }
    lines = lines.slice(startIndex + 1);
  }
  const endIndex = lines.findIndex((line) => gutenbergEnd.test(line.text));
  if (endIndex >= 0) lines = lines.slice(0, endIndex);

  const paragraphBlocks = splitBlocks(lines);
  const wrapped = isHardWrapped(paragraphBlocks);
  const blocks: Block[] = wrapped ? paragraphBlocks : paragraphBlocks.flatMap((block) => block.map((line) => [line]));
  const wrapWidth = wrapped ? typicalWidth(paragraphBlocks) : Infinity;

  const chapterCount = blocks.filter((block) => chapterHeading(block) !== undefined).length;
  const useChapters = chapterCount >= 2;

  const children: RootContent[] = [];
  let index = 0;

  // Title page: a short title-like first block, maybe "by Name" or a name after it.
  if (title === undefined && blocks.length > 1) {
    const firstText = singleLine(blocks[0]!);
    if (firstText !== undefined && isTitleLike(firstText, { allowTerminal: false }) && chapterHeading(blocks[0]!) === undefined) {
      const next = blocks[1] ? singleLine(blocks[1]) : undefined;
      const byline = next === undefined ? undefined : /^by\s+(.+)$/i.exec(next.trim());
      const nameLine = next !== undefined && isPersonName(next.trim()) ? next.trim() : undefined;
      // Only treat it as a title when the text is long enough for a title page to make sense.
      if (byline || nameLine || wrapped) {
        title = fromAllCaps(firstText.trim());
        titleLine = blocks[0]![0]!.number;
        index = 1;
        if (byline) {
          author = byline[1]!.trim();
          index = 2;
        } else if (nameLine) {
          author = nameLine;
          index = 2;
        }
        if (index === 2) authorLine = blocks[1]![0]!.number;
      }
    }
  } else if (title !== undefined && blocks[0] && singleLine(blocks[0]) !== undefined && sameWords(singleLine(blocks[0])!, title)) {
    index = 1;
  }

  for (; index < blocks.length; index++) {
    const block = blocks[index]!;
    const chapter = chapterHeading(block);
    if (chapter !== undefined) {
      // `CHAPTER I.` alone, with the chapter's name as the next one-line block.
      let text = chapter.text;
      if (!chapter.hasName && blocks[index + 1]) {
        const name = singleLine(blocks[index + 1]!);
        if (name !== undefined && isTitleLike(name, { allowTerminal: true }) && chapterHeading(blocks[index + 1]!) === undefined) {
          text = `${text}. ${stripTerminalPeriod(fromAllCaps(name.trim()))}`;
          index++;
        }
      }
      children.push(heading(chapter.depth, text, block));
      continue;
    }
    const only = singleLine(block);
    if (only !== undefined && breakPattern.test(only)) {
      if (children.at(-1)?.type !== "thematicBreak") children.push({ type: "thematicBreak", position: span(block) });
      continue;
    }
    if (!useChapters && only !== undefined && isInferredHeading(blocks, index)) {
      children.push(heading(2, stripTerminalPeriod(only.trim()), block));
      continue;
    }
    if (block.every((line) => bulletPattern.test(line.text)) || (block.length > 1 && bulletPattern.test(block[0]!.text) && block.every((line) => bulletPattern.test(line.text) || /^\s{2,}\S/.test(line.text)))) {
      children.push(listFromBlock(block));
      continue;
    }
    const keepBreaks = block.length > 1 && isLineBroken(block, wrapWidth);
    children.push(paragraph(block, keepBreaks));
  }

  return {
    tree: { type: "root", children },
    ...(title ? { title } : {}),
    ...(author ? { author } : {}),
    ...(language ? { language } : {}),
    ...(titleLine ? { titleLine } : {}),
    ...(authorLine ? { authorLine } : {}),
  };
}

function splitBlocks(lines: readonly Line[]): Block[] {
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

/**
 * Hard-wrapped when most text lines sit in blocks of several lines and those lines are no
 * longer than a wrapping editor makes them; one-paragraph-per-line text has long lines.
 */
function isHardWrapped(blocks: readonly Block[]): boolean {
  const total = blocks.reduce((sum, block) => sum + block.length, 0);
  const inMultiLine = blocks.filter((block) => block.length > 1).reduce((sum, block) => sum + block.length, 0);
  return total > 0 && inMultiLine / total > 0.5 && typicalWidth(blocks) <= 100;
}

/** The width text was wrapped at: the 90th percentile of line lengths in multi-line blocks. */
function typicalWidth(blocks: readonly Block[]): number {
  const lengths = blocks
    .filter((block) => block.length > 1)
    .flatMap((block) => block.map((line) => line.text.length))
    .sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length * 0.9)] ?? 72;
}

/**
 * Verse, addresses and other line-broken text: every line indented, or a line before the last
 * that ends well short of the wrap width (wrapping never leaves a short line mid-paragraph).
 */
function isLineBroken(block: Block, wrapWidth: number): boolean {
  if (block.every((line) => /^(\s{2,}|\t)/.test(line.text))) return true;
  return block.slice(0, -1).some((line) => line.text.length < wrapWidth * 0.6);
}

function singleLine(block: Block): string | undefined {
  return block.length === 1 ? block[0]!.text : undefined;
}

function chapterHeading(block: Block): { text: string; depth: number; hasName: boolean } | undefined {
  const first = block[0]!.text.trim();
  if (block.length > 2 || first.length > 100) return undefined;
  const match = chapterPattern.exec(first);
  if (!match) return undefined;
  const keyword = match[1]!.toLowerCase();
  const depth = keyword === "book" || keyword === "part" || keyword === "volume" ? 1 : 2;
  let name = (match[3] ?? "").trim();
  if (block.length === 2) {
    // The chapter's name on the next line; a scene-break or prose line is not a name.
    const second = block[1]!.text.trim();
    if (breakPattern.test(second) || !isTitleLike(second, { allowTerminal: true })) return undefined;
    name = [name, second].filter(Boolean).join(" ");
  }
  // "Chapter 3 was the longest" is prose, not a heading.
  if (name && !isTitleLike(name, { allowTerminal: true }) && !/^[\p{Lu}\d\s\W]+$/u.test(name)) return undefined;
  const label = `${capitalize(keyword)} ${/^[ivxlcdm]+$/i.test(match[2]!) ? match[2]!.toUpperCase() : capitalize(match[2]!.toLowerCase())}`;
  return { text: name ? `${label}. ${stripTerminalPeriod(fromAllCaps(name))}` : label, depth, hasName: name !== "" };
}

/**
 * A one-line block that reads as a heading: short, title case, a single sentence, and
 * followed by a longer paragraph. A trailing `.`, `?` or `!` is allowed (news headlines
 * often carry one), a trailing `,`, `;` or `:` is not.
 */
function isInferredHeading(blocks: readonly Block[], index: number): boolean {
  const text = singleLine(blocks[index]!)!.trim();
  if (!isTitleLike(text, { allowTerminal: true })) return false;
  const next = blocks[index + 1];
  if (!next) return false;
  const nextText = next.map((line) => line.text.trim()).join(" ");
  if (next.length === 1 && isTitleLike(nextText, { allowTerminal: true })) return false;
  return nextText.length > text.length;
}

/** Title case, short, one sentence, not a list item or quotation. */
export function isTitleLike(text: string, options: { allowTerminal: boolean }): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 120) return false;
  if (/^[“"'‘(\[\-*•]|^\d+[.)]\s/.test(trimmed)) return false;
  if (/[,;:]$/.test(trimmed)) return false;
  if (!options.allowTerminal && /[.!?]$/.test(trimmed) && !endsWithAbbreviation(trimmed)) return false;
  // A second sentence inside ("It fell. Then it rose") makes it prose.
  const inner = trimmed.replace(/[.!?]["”’)]*$/, "");
  for (const match of inner.matchAll(/([\p{L}.]+)[.!?]["”’)]*\s+\p{Lu}/gu)) {
    if (!isAbbreviation(match[1]! + ".")) return false;
  }
  const words = trimmed.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  if (words.length === 0 || words.length > 16) return false;
  const first = words[0]!.replace(/^[^\p{L}\d]+/u, "");
  if (!/^[\p{Lu}\d]/u.test(first)) return false;
  if (words.length === 1) return !/[.!?]$/.test(trimmed) || /^[\p{Lu}\d\W]+$/u.test(trimmed);
  const significant = words.slice(1).filter((word) => !minorWords.has(word.toLowerCase().replace(/[^\p{L}]/gu, "")));
  if (significant.length === 0) return true;
  const capitalized = significant.filter((word) => /^[^\p{L}]*[\p{Lu}\d]/u.test(word)).length;
  return capitalized / significant.length >= 0.75;
}

const abbreviations = new Set(["mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "inc.", "ltd.", "co.", "vs.", "etc.", "no.", "mt.", "ft.", "gen.", "col.", "lt.", "sgt.", "prof.", "rev.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "approx.", "fig.", "vol."]);

function isAbbreviation(word: string): boolean {
  return abbreviations.has(word.toLowerCase()) || /^(?:\p{L}\.){2,}$/u.test(word) || /^\p{Lu}\.$/u.test(word);
}

/** True when the text ends with an abbreviation ("U.S.", "Dr.", "Inc."), whose period ends no sentence. */
export function endsWithAbbreviation(text: string): boolean {
  const last = text.split(/\s+/).at(-1) ?? "";
  return isAbbreviation(last.replace(/^[^\p{L}]+/u, ""));
}

/** Drops a closing period from a heading, but not one that belongs to "U.S." or "Inc.". */
export function stripTerminalPeriod(text: string): string {
  if (!text.endsWith(".") || text.endsWith("..")) return text;
  return endsWithAbbreviation(text) ? text : text.slice(0, -1);
}

function isPersonName(text: string): boolean {
  return /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,3}$/u.test(text) && text.length <= 60;
}

function sameWords(a: string, b: string): boolean {
  const fold = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  return fold(a) === fold(b);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `ALICE'S ADVENTURES IN WONDERLAND` → `Alice's Adventures in Wonderland`; mixed case is kept. */
export function fromAllCaps(text: string): string {
  if (/\p{Ll}/u.test(text) || !/\p{Lu}{2}/u.test(text)) return text;
  const words = text.toLowerCase().split(/(\s+)/);
  let seen = 0;
  const significantCount = words.filter((word) => word.trim()).length;
  return words
    .map((word) => {
      if (!word.trim()) return word;
      seen++;
      const bare = word.replace(/[^\p{L}]/gu, "");
      if (seen > 1 && seen < significantCount && minorWords.has(bare)) return word;
      return word.replace(/\p{L}/u, (letter) => letter.toUpperCase());
    })
    .join("");
}

function languageFromName(name: string): string | undefined {
  const known: Record<string, string> = { english: "en", french: "fr", german: "de", spanish: "es", italian: "it", portuguese: "pt", dutch: "nl", finnish: "fi", latin: "la" };
  return known[name.toLowerCase()];
}

function span(block: Block) {
  const first = block[0]!;
  const last = block.at(-1)!;
  return {
    start: { line: first.number, column: 1, offset: first.offset },
    end: { line: last.number, column: last.text.length + 1, offset: last.offset + last.text.length },
  };
}

function heading(depth: number, text: string, block: Block): Heading {
  return {
    type: "heading",
    depth: depth as Heading["depth"],
    children: inlineContent(text, block),
    position: span(block),
  };
}

/** One paragraph; verse keeps its line breaks (mdast `break`), prose is unwrapped. */
function paragraph(block: Block, keepBreaks: boolean): Paragraph {
  const children: PhrasingContent[] = [];
  if (keepBreaks) {
    block.forEach((line, offset) => {
      if (offset > 0) children.push({ type: "break" });
      children.push(...inlineContent(line.text.trim(), [line]));
    });
  } else {
    children.push(...inlineContent(block.map((line) => line.text.trim()).join(" "), block));
  }
  return { type: "paragraph", children, position: span(block) };
}

function listFromBlock(block: Block): List {
  const ordered = /^\s*\d/.test(block[0]!.text);
  const items: ListItem[] = [];
  let current: Line[] = [];
  const flush = () => {
    if (!current.length) return;
    const text = current.map((line, offset) => (offset === 0 ? line.text.replace(bulletPattern, "") : line.text).trim()).join(" ");
    items.push({
      type: "listItem",
      spread: false,
      children: [{ type: "paragraph", children: inlineContent(text, current), position: span(current) }],
      position: span(current),
    });
    current = [];
  };
  for (const line of block) {
    if (bulletPattern.test(line.text)) flush();
    current.push(line);
  }
  flush();
  const start = ordered ? Number(/\d+/.exec(block[0]!.text)![0]) : undefined;
  return { type: "list", ordered, ...(start !== undefined ? { start } : {}), spread: false, children: items, position: span(block) };
}

/**
 * Inline text: `_italics_` become emphasis (the Gutenberg convention), a double hyphen between
 * words becomes an em dash, and bare URLs become links. Unwrapping changes the text, so inline
 * nodes carry the position of the lines they come from, not exact columns.
 */
function inlineContent(text: string, lines: Block): PhrasingContent[] {
  const position = span(lines);
  const normalized = text.replace(/(?<=\S)--(?=\S)/g, "—").replace(/\s--\s/g, " — ");
  const nodes: PhrasingContent[] = [];
  const pattern = /(?<![\p{L}\p{N}_])_([^_\s](?:[^_]*[^_\s])?)_(?![\p{L}\p{N}_])|(https?:\/\/[^\s<>"”’)]+[^\s<>"”’).,;:!?])/gu;
  let last = 0;
  for (const match of normalized.matchAll(pattern)) {
    if (match.index > last) nodes.push(textNode(normalized.slice(last, match.index), position));
    if (match[1] !== undefined) {
      const emphasis: Emphasis = { type: "emphasis", children: [textNode(match[1], position)], position };
      nodes.push(emphasis);
    } else {
      nodes.push({ type: "link", url: match[2]!, children: [textNode(match[2]!, position)], position });
    }
    last = match.index + match[0].length;
  }
  if (last < normalized.length) nodes.push(textNode(normalized.slice(last), position));
  return nodes;
}

function textNode(value: string, position: ReturnType<typeof span>): Text {
  return { type: "text", value, position };
}
