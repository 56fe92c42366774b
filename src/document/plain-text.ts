// The plain-text reader: infers paragraphs, headings, verse, lists, preformatted text and
// breaks, and builds mdast. The heuristics live in src/document/plain-text/, one file each.
//
// Two shapes of plain text are common and both are handled:
// - "one paragraph per line" (web articles pasted as text): every non-empty line is a block;
// - "hard-wrapped" (Project Gutenberg books, RFCs, e-mail): blank lines separate blocks, and
//   the line breaks inside a block are wrapping, unless the block is verse or an address,
//   whose short lines are kept, or preformatted (a grammar, a table), kept as it is.
import type { Code, Emphasis, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Text } from "mdast";
import { toString } from "mdast-util-to-string";
import { removeBoxes } from "./plain-text/boxes.js";
import { illustrationCaptions } from "./plain-text/illustrations.js";
import { contentsLength } from "./plain-text/contents.js";
import { indentOf, measureLayout, sharedIndent, singleLine, span, splitBlocks, toLines, type Block, type Layout, type Line } from "./plain-text/lines.js";
import { findNumberedHeadings } from "./plain-text/numbered-headings.js";
import { removePageFurniture } from "./plain-text/page-furniture.js";
import { preformattedKind, preformattedText } from "./plain-text/preformatted.js";
import { gutenbergCredit, gutenbergTitlePage, memoFront, splitUnderlined, underlinedHeading, underlinedTitle } from "./plain-text/title-page.js";
import { collectVocabulary, joinWrappedLines, noVocabulary, type Vocabulary } from "./plain-text/unwrap.js";
import { capitalize, fromAllCaps, isLetterSpaced, isPersonName, isTitleLike, sameWords, stripTerminalPeriod } from "./title-case.js";

export { endsWithAbbreviation, fromAllCaps, isTitleLike, stripTerminalPeriod } from "./title-case.js";

declare module "mdast" {
  interface ParagraphData {
    /**
     * Set by the plain-text reader on text that never describes the document: text about
     * something else (a Gutenberg `[Illustration: …]` caption, about a picture) or the same in
     * every document of its kind (an RFC's Status of This Memo and Copyright Notice).
     */
    lecternBoilerplate?: boolean;
  }
}

export interface TextParse {
  readonly tree: Root;
  readonly title?: string;
  readonly author?: string;
  readonly language?: string;
  /** What the text says it is about: the first paragraph of its `Abstract`, when it has one. */
  readonly description?: string;
  /** Source lines the title and author were read from, for messages. */
  readonly titleLine?: number;
  readonly authorLine?: number;
}

/**
 * Chapter-like headings: `CHAPTER I. Down the Rabbit-Hole`, `Chapter 12`, `BOOK TWO`, `PART III: The End`,
 * and their French, German, Spanish, Italian, Portuguese and Dutch equivalents (`CHAPITRE PREMIER`,
 * `Kapitel 3`, `Capítulo primero`, `Hoofdstuk II`). The `u` flag makes `i` fold accented letters.
 */
const chapterPattern = new RegExp(
  `^(${[
    "chapter|book|part|stave|letter|canto|volume|section",
    "chapitre|livre|partie|tome",
    "kapitel|teil|buch",
    "cap[ií]tulo|libro|parte|capitolo|livro",
    "hoofdstuk|boek|deel",
  ].join("|")})\\s+(${[
    "[ivxlcdm]+|\\d+",
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty[a-z-]*|thirty[a-z-]*",
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last",
    "premier|premi[eè]re|deuxi[eè]me|second|seconde|troisi[eè]me|quatri[eè]me|cinqui[eè]me|dernier|derni[eè]re",
    "erstes|erster|erste|zweites|zweiter|zweite|drittes|dritter|dritte|letztes|letzter|letzte",
    "primero|primera|segundo|segunda|tercero|tercera|cuarto|cuarta|quinto|quinta|primeiro|primeira|terceiro|terceira",
    "primo|prima|secondo|seconda|terzo|terza|quarto|quarta",
    "eerste|tweede|derde|vierde|vijfde",
  ].join("|")})(?![\\p{L}\\p{N}])\\.?:?\\s*(.*)$`,
  "iu",
);
/** Keywords of a division above chapters: a heading of depth 1. */
const partWords = new Set(["book", "part", "volume", "livre", "partie", "tome", "teil", "buch", "libro", "parte", "livro", "boek", "deel"]);
/** A line of only `*`, `-`, `_`, `=`, `~`, `#` or bullets, three or more: a scene break. */
const breakPattern = /^\s*(?:([*\-_=~#•·])\s*){3,}$/;
/** List markers: `-`, `*`, `•`, `1.`, `1)`, and the RFC bullet, `o` and two spaces. */
const bulletPattern = /^\s*(?:[-*•]|\d{1,3}[.)]|o(?=\s{2}))\s+/;
const gutenbergStart = /^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG/i;
const gutenbergEnd = /^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG/i;

/** Reads plain text into mdast, with title and author when the text states them. */
export function parsePlainText(source: string): TextParse {
  const split = toLines(source);
  let lines: Line[] = removeBoxes(removePageFurniture(split.lines, split.pageBreaks));
  let title: string | undefined;
  let author: string | undefined;
  let language: string | undefined;
  let titleLine: number | undefined;
  let authorLine: number | undefined;

  // Project Gutenberg boilerplate: keep the book, read its header for metadata.
  const startIndex = lines.findIndex((line) => gutenbergStart.test(line.text));
  const gutenberg = startIndex >= 0;
  if (gutenberg) {
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

  const paragraphBlocks = splitUnderlined(splitBlocks(lines));
  const layout = measureLayout(paragraphBlocks);
  const blocks: Block[] = layout.wrapped ? paragraphBlocks : paragraphBlocks.flatMap((block) => (underlinedHeading(block) ? [block] : block.map((line) => [line])));
  // The text's own words decide line-end hyphens; most texts have none, and skip the count.
  const vocabulary = lines.some((line) => /\p{L}-$/u.test(line.text)) ? collectVocabulary(lines) : noVocabulary;
  const numbered = findNumberedHeadings(blocks, layout);

  const romanChapters = bareRomanChapters(blocks);
  const chapterAt = (at: number) => romanChapters.get(at) ?? chapterHeading(blocks[at]!);
  const chapterCount = blocks.filter((_, at) => chapterAt(at) !== undefined).length;
  const useChapters = chapterCount >= 2;
  const isHeadingBlock = (at: number) => numbered.has(at) || chapterAt(at) !== undefined || underlinedHeading(blocks[at]!) !== undefined;
  const isChapterLine = (text: string) => chapterHeading([{ text, number: 0, offset: 0 }]) !== undefined;
  const headingTexts = blocks.flatMap((_, index) => numbered.get(index)?.text ?? chapterAt(index)?.text ?? []);

  const children: RootContent[] = [];
  /** The indentation each preformatted block's lines lost, so a block continued after a blank line lines up. */
  const codeIndent = new Map<Code, number>();
  const skip = new Set<number>();
  let index = 0;
  let description: string | undefined;
  /** The block after an `Abstract` heading: its first paragraph describes the text. */
  let abstractAt: number | undefined;
  /** Under a front-matter heading of a memo other than its Abstract (Status of This Memo). */
  let inBoilerplate = false;
  const captions = gutenberg ? illustrationCaptions(blocks) : new Set<number>();
  // Blocks are read in order, so the map's first key is the first numbered heading.
  const firstNumbered = numbered.keys().next().value;

  if (title !== undefined && gutenberg) {
    // The book's own title page repeats the header's title and author.
    // The title page ends at the first heading or table of contents.
    const opensText = (at: number) => isHeadingBlock(at) || contentsLength(blocks, at, headingTexts, isHeadingBlock, isChapterLine) > 0;
    for (const at of gutenbergTitlePage(blocks, title, opensText)) skip.add(at);
  }
  if (gutenberg) {
    const credit = gutenbergCredit(blocks);
    if (credit !== undefined) skip.add(credit);
  }
  const front = title === undefined ? memoFront(blocks, layout.wrapWidth, isHeadingBlock) : undefined;
  const loneTitle = title === undefined ? underlinedTitle(blocks, isHeadingBlock) : undefined;
  if (front) {
    title = front.title;
    titleLine = blocks[front.titleIndex]![0]!.number;
    skip.add(front.titleIndex);
    if (front.header) {
      skip.add(front.header.index);
      // A list, one entry a line, down one column then the other: the header is data about the memo, not its opening paragraph.
      const entries = [...front.header.left, ...front.header.right];
      children.push(
        listFromBlock(
          entries.map((line) => ({ ...line, text: `- ${line.text.trim()}` })),
          vocabulary,
        ),
      );
    }
    if (front.author) [author, authorLine] = [front.author, front.authorLine];
  } else if (title === undefined && loneTitle !== undefined) {
    title = loneTitle.text;
    titleLine = blocks[loneTitle.index]![0]!.number;
    skip.add(loneTitle.index);
  } else if (title === undefined && blocks.length > 1) {
    // Title page: a short title-like first block, maybe "by Name" or a name after it.
    const firstText = singleLine(blocks[0]!);
    if (firstText !== undefined && isTitleLike(firstText, { allowTerminal: false }) && chapterAt(0) === undefined && !numbered.has(0)) {
      const next = blocks[1] ? singleLine(blocks[1]) : undefined;
      const byline = next === undefined ? undefined : /^by\s+(.+)$/i.exec(next.trim());
      const nameLine = next !== undefined && isPersonName(next.trim()) ? next.trim() : undefined;
      // Only treat it as a title when the text is long enough for a title page to make sense.
      if (byline || nameLine || layout.wrapped) {
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
    if (skip.has(index)) continue;
    const block = blocks[index]!;
    const contents = contentsLength(blocks, index, headingTexts, isHeadingBlock, isChapterLine);
    if (contents > 0) {
      index += contents - 1;
      continue;
    }
    const number = numbered.get(index);
    if (number) inBoilerplate = false;
    if (number) {
      children.push(heading(number.depth, number.text, number.runIn ? [block[0]!] : block, vocabulary));
      if (number.runIn) children.push(paragraph(number.runIn, false, vocabulary));
      continue;
    }
    const underlined = underlinedHeading(block);
    if (underlined) {
      children.push(heading(underlined.depth, underlined.text, block, vocabulary));
      continue;
    }
    const chapter = chapterAt(index);
    if (chapter !== undefined) {
      // `CHAPTER I.` alone, with the chapter's name as the next block, of one line or two (a
      // long name wrapped: `DANS LEQUEL PHILEAS FOGG … RÉCIPROQUEMENT,⏎L'UN COMME MAÎTRE…`).
      let text = chapter.text;
      const nameBlock = blocks[index + 1];
      if (!chapter.hasName && nameBlock && nameBlock.length <= 2 && !isHeadingBlock(index + 1)) {
        const name = nameBlock.map((line) => line.text.trim()).join(" ");
        if (isTitleLike(name, { allowTerminal: true })) {
          text = `${text}. ${stripTerminalPeriod(fromAllCaps(name))}`;
          index++;
        }
      }
      children.push(heading(chapter.depth, text, block, vocabulary));
      continue;
    }
    const only = singleLine(block);
    if (only !== undefined && breakPattern.test(only)) {
      if (children.at(-1)?.type !== "thematicBreak") children.push({ type: "thematicBreak", position: span(block) });
      continue;
    }
    if (!useChapters && only !== undefined && (isMarginHeading(blocks, index, layout) || (atMargin(block, layout) && isInferredHeading(blocks, index)))) {
      // An RFC's unnumbered headings before its first numbered section (Status of This Memo,
      // Copyright Notice, Abstract) are its front matter: sub-headings of the lead, below the
      // numbered top level. Those after the numbered sections (Authors' Addresses) are parts.
      const frontMatter = front?.header !== undefined && firstNumbered !== undefined && index < firstNumbered;
      const node = heading(frontMatter ? 3 : 2, stripTerminalPeriod(only.trim()), block, vocabulary);
      children.push(node);
      const isAbstract = /^abstract$/i.test(toString(node));
      if (description === undefined && isAbstract) abstractAt = index + 1;
      // The memo's front matter besides its abstract is the RFC series' boilerplate.
      inBoilerplate = frontMatter && !isAbstract;
      continue;
    }
    if (layout.wrapped && preformattedKind(block, layout) !== undefined) {
      const previous = children.at(-1);
      // A grammar or table broken by blank lines is one preformatted block, blank lines kept.
      const indent = previous?.type === "code" ? codeIndent.get(previous) : undefined;
      if (previous?.type === "code" && indent !== undefined && previous.position && block[0]!.number - previous.position.end.line <= 3 && sharedIndent(block) >= indent) {
        previous.value += "\n".repeat(block[0]!.number - previous.position.end.line) + preformattedText(block, indent);
        previous.position = { start: previous.position.start, end: span(block).end };
      } else {
        const node = code(block);
        codeIndent.set(node, sharedIndent(block));
        children.push(node);
      }
      continue;
    }
    if (
      block.every((line) => bulletPattern.test(line.text)) ||
      (block.length > 1 && bulletPattern.test(block[0]!.text) && block.every((line) => bulletPattern.test(line.text) || /^\s{2,}\S/.test(line.text)))
    ) {
      const list = listFromBlock(block, vocabulary);
      const previous = children.at(-1);
      // Items set out with blank lines between them are one list (a loose one), numbered on.
      if (previous?.type === "list" && previous.ordered === list.ordered && (!list.ordered || list.start === (previous.start ?? 1) + previous.children.length)) {
        previous.children.push(...list.children);
        previous.spread = true;
        if (previous.position && list.position) previous.position = { start: previous.position.start, end: list.position.end };
      } else {
        children.push(list);
      }
      continue;
    }
    const keepBreaks = block.length > 1 && isLineBroken(block, layout);
    const node = paragraph(block, keepBreaks, vocabulary);
    if (captions.has(index) || inBoilerplate) node.data = { lecternBoilerplate: true };
    children.push(node);
    // An abstract is the text's own description (an RFC's, a paper's), not the boilerplate before it.
    if (index === abstractAt) description = toString(node);
  }

  return {
    tree: { type: "root", children },
    ...(title ? { title } : {}),
    ...(author ? { author } : {}),
    ...(description ? { description } : {}),
    ...(language ? { language } : {}),
    ...(titleLine ? { titleLine } : {}),
    ...(authorLine ? { authorLine } : {}),
  };
}

/**
 * Verse, addresses and other line-broken text: every line indented past the body's own
 * indentation, or a line before the last that ends well short of the wrap width (wrapping
 * never leaves a short line mid-paragraph).
 */
function isLineBroken(block: Block, layout: Layout): boolean {
  if (layout.bodyIndent === 0 && block.every((line) => /^(\s{2,}|\t)/.test(line.text))) return true;
  // A short line whose next word would not have fitted on it (a long URL) is still wrapping.
  return block.slice(0, -1).some((line, at) => {
    const nextWord = block[at + 1]!.text.trim().split(/\s/, 1)[0]!;
    return line.text.length < layout.wrapWidth * 0.6 && line.text.length + 1 + nextWord.length <= layout.wrapWidth;
  });
}

/** Where the body is indented (an RFC), headings stand to its left, at the margin. */
function atMargin(block: Block, layout: Layout): boolean {
  return layout.bodyIndent === 0 || indentOf(block[0]!) < layout.bodyIndent;
}

/**
 * In a document with an indented body, a one-line block at the margin followed by indented
 * text is a heading (`Status of This Memo`, `Abstract`, `초록`), in title case or not: short,
 * starting with a capital or a letter of a script without case, not ending in `,` `;` `:` or a full stop.
 */
function isMarginHeading(blocks: readonly Block[], index: number, layout: Layout): boolean {
  if (layout.bodyIndent < 2) return false;
  const block = blocks[index]!;
  const next = blocks[index + 1];
  if (indentOf(block[0]!) !== 0 || !next || indentOf(next[0]!) < layout.bodyIndent) return false;
  const text = block[0]!.text.trim();
  return text.length <= 80 && text.split(/\s+/).length <= 10 && !isLetterSpaced(text) && /^[\p{Lu}\p{Lo}\d"“]/u.test(text) && !/[,;:.。]$/.test(text) && !/\s{2,}/.test(text);
}

type ChapterHeading = { text: string; depth: number; hasName: boolean };

/** A line of only a Roman numeral, `IV` or `IV.`. */
const bareRomanPattern = /^\s*([IVXLCDM]+)\.?$/;

/**
 * Chapters numbered by a bare Roman numeral on a line of its own (`I`, `II.`, Verne, many
 * novels), by block index. A lone `I` may be a word or a list's numbering, so the numerals
 * count only as a sequence: at least two, in order from I, none missing.
 */
function bareRomanChapters(blocks: readonly Block[]): Map<number, ChapterHeading> {
  const found: [number, number, string][] = [];
  blocks.forEach((block, at) => {
    const match = bareRomanPattern.exec(singleLine(block) ?? "");
    const value = match ? romanValue(match[1]!) : undefined;
    if (value !== undefined) found.push([at, value, match![1]!]);
  });
  const sequence: [number, number, string][] = [];
  for (const entry of found) if (entry[1] === sequence.length + 1) sequence.push(entry);
  if (sequence.length < 2) return new Map();
  return new Map(sequence.map(([at, , numeral]) => [at, { text: numeral, depth: 2, hasName: false }]));
}

/** A well-formed Roman numeral's value (`XIV` → 14), else undefined (`IIII`, `VX`). */
function romanValue(numeral: string): number | undefined {
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let at = 0; at < numeral.length; at++) {
    const value = values[numeral[at]!]!;
    const next = values[numeral[at + 1] ?? ""] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 && total < 4000 && toRoman(total) === numeral ? total : undefined;
}

function toRoman(value: number): string {
  const steps: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let text = "";
  for (const [step, numeral] of steps) while (value >= step) [text, value] = [text + numeral, value - step];
  return text;
}

function chapterHeading(block: Block): ChapterHeading | undefined {
  const first = block[0]!.text.trim();
  if (block.length > 2 || first.length > 100) return undefined;
  const match = chapterPattern.exec(first);
  if (!match) return undefined;
  const keyword = match[1]!.toLowerCase();
  const depth = partWords.has(keyword) ? 1 : 2;
  // `Chapter I.]` closes a Gutenberg `[Illustration: …` caption: the bracket is no name.
  let name = (match[3] ?? "").replace(/^[\])}]+$/, "").trim();
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
  if (!isTitleLike(text, { allowTerminal: true }) || isLetterSpaced(text)) return false;
  const next = blocks[index + 1];
  if (!next) return false;
  const nextText = next.map((line) => line.text.trim()).join(" ");
  if (next.length === 1 && isTitleLike(nextText, { allowTerminal: true })) return false;
  return nextText.length > text.length;
}

function languageFromName(name: string): string | undefined {
  const known: Record<string, string> = { english: "en", french: "fr", german: "de", spanish: "es", italian: "it", portuguese: "pt", dutch: "nl", finnish: "fi", latin: "la" };
  return known[name.toLowerCase()];
}

/** A preformatted block as a `code` node without a language: monospaced, its lines kept. */
function code(block: Block): Code {
  return { type: "code", lang: null, meta: null, value: preformattedText(block, sharedIndent(block)), position: span(block) };
}
function heading(depth: number, text: string, block: Block, vocabulary: Vocabulary): Heading {
  return {
    type: "heading",
    depth: depth as Heading["depth"],
    children: inlineContent(text, block),
    position: span(block),
  };
}

/** One paragraph; verse keeps its line breaks (mdast `break`), prose is unwrapped. */
function paragraph(block: Block, keepBreaks: boolean, vocabulary: Vocabulary): Paragraph {
  const children: PhrasingContent[] = [];
  if (keepBreaks && block.some((line) => (line.text.match(/_/g)?.length ?? 0) % 2 === 1)) {
    // `_italics_` over several kept lines (a drawn dedication, a stanza): read as one, then broken.
    children.push(...withBreaks(inlineContent(block.map((line) => line.text.trim()).join("\n"), block)));
  } else if (keepBreaks) {
    block.forEach((line, offset) => {
      if (offset > 0) children.push({ type: "break" });
      children.push(...inlineContent(line.text.trim(), [line]));
    });
  } else {
    children.push(
      ...inlineContent(
        joinWrappedLines(
          block.map((line) => line.text.trim()),
          vocabulary,
        ),
        block,
      ),
    );
  }
  return { type: "paragraph", children, position: span(block) };
}

/** Line ends inside inline content as mdast `break`s, in emphasis too. */
function withBreaks(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if (node.type === "emphasis") return [{ ...node, children: withBreaks(node.children) }];
    if (node.type !== "text" || !node.value.includes("\n")) return [node];
    return node.value.split("\n").flatMap((part, at): PhrasingContent[] => [...(at > 0 ? [{ type: "break" } as const] : []), ...(part ? [{ ...node, value: part }] : [])]);
  });
}

function listFromBlock(block: Block, vocabulary: Vocabulary): List {
  const ordered = /^\s*\d/.test(block[0]!.text);
  const items: ListItem[] = [];
  let current: Line[] = [];
  const flush = () => {
    if (!current.length) return;
    const text = joinWrappedLines(
      current.map((line, offset) => (offset === 0 ? line.text.replace(bulletPattern, "") : line.text).trim()),
      vocabulary,
    );
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
 * words becomes an em dash, and bare URLs and URLs in angle brackets become links. Unwrapping changes the text, so inline
 * nodes carry the position of the lines they come from, not exact columns.
 */
function inlineContent(text: string, lines: Block): PhrasingContent[] {
  const position = span(lines);
  const normalized = text.replace(/(?<=\S)--(?=\S)/g, "—").replace(/\s--\s/g, " — ");
  const nodes: PhrasingContent[] = [];
  // A URL in angle brackets (`<http://…>`, RFC 3986 Appendix C) is a link without the brackets.
  const pattern = /(?<![\p{L}\p{N}_])_([^_\s](?:[^_]*[^_\s])?)_(?![\p{L}\p{N}_])|<((?:https?|ftp):\/\/[^\s<>]+)>|((?:https?|ftp):\/\/[^\s<>"”’)]+[^\s<>"”’).,;:!?])/gu;
  let last = 0;
  for (const match of normalized.matchAll(pattern)) {
    if (match.index > last) nodes.push(textNode(normalized.slice(last, match.index), position));
    if (match[1] !== undefined) {
      const emphasis: Emphasis = { type: "emphasis", children: [textNode(match[1], position)], position };
      nodes.push(emphasis);
    } else {
      const url = match[2] ?? match[3]!;
      nodes.push({ type: "link", url, children: [textNode(url, position)], position });
    }
    last = match.index + match[0].length;
  }
  if (last < normalized.length) nodes.push(textNode(normalized.slice(last), position));
  return nodes;
}

function textNode(value: string, position: ReturnType<typeof span>): Text {
  return { type: "text", value, position };
}
