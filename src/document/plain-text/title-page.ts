// Title pages and titles set out on the page: a Project Gutenberg book's own title page, the
// centred title and header block of an RFC, setext-style underlined titles.
import { indentOf, type Block, type Line } from "./lines.js";
import { fromAllCaps, isLetterSpaced, isTitleLike } from "../title-case.js";

/** Most blocks looked through for a title page: past them the book has begun. */
const maxTitlePageBlocks = 15;

function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Credits on a title page: `Illustrated by…`, `with a Preface by…`, `Translated by…`. */
const creditPattern =
  /^(?:with\s+)?(?:an?\s+)?(?:(?:preface|introduction|foreword|notes?|illustrations?|engravings|drawings|pictures)\b.*\bby\b|(?:illustrated|translated|edited|introduced|adapted|decorated)\s+(?:by|from)\b)/i;

/**
 * The blocks of a Project Gutenberg book's own title page, after `*** START OF…`: the blocks
 * that spell the title its header gives (over up to four blocks: `Frankenstein;` then `or, the
 * Modern Prometheus`), the `by …` line after them (or `by` alone and the name), and the
 * credits that follow (`Illustrated by …`), and the imprint set out under them (publisher,
 * place, printer, copyright year: `K U R T  W O L F F  V E R L A G`, `CHISWICK PRESS`). The
 * header already gave title and author, and the outputs print their own title page, so these
 * lines would be shown, spoken and described twice. A dedication (a sentence in lower case) is
 * kept, and so is everything from the first heading or table of contents on (`opensText`).
 */
export function gutenbergTitlePage(blocks: readonly Block[], title: string, opensText: (index: number) => boolean = () => false): Set<number> {
  const target = fold(title);
  const drop = new Set<number>();
  if (!target) return drop;
  const limit = Math.min(blocks.length, maxTitlePageBlocks);
  for (let start = 0; start < limit; start++) {
    let spelled = "";
    let end = -1;
    for (let index = start; index < Math.min(limit, start + 4); index++) {
      spelled += fold(blockText(blocks[index]!));
      if (spelled === target) {
        end = index;
        break;
      }
      if (!target.startsWith(spelled)) break;
    }
    if (end < 0) continue;
    for (let index = start; index <= end; index++) drop.add(index);
    let next = end + 1;
    const byline = blocks[next] && blockText(blocks[next]!);
    if (byline !== undefined && bylinePattern.test(byline) && blocks[next + 1] && blocks[next + 1]!.length <= 2) {
      drop.add(next).add(next + 1);
      next += 2;
    } else if (byline !== undefined && /^by\s+\S/i.test(byline) && byline.length <= 120) {
      drop.add(next);
      next++;
    }
    while (blocks[next] && creditPattern.test(blocks[next]![0]!.text.trim()) && blocks[next]!.length <= 8) drop.add(next++);
    // A centred line straight before running text is its heading (`PREFACE`), not imprint.
    const headsText = (at: number) => blocks[at]!.length === 1 && blocks[at + 1] !== undefined && blocks[at + 1]!.length > 1 && !isImprint(blocks[at + 1]!);
    while (blocks[next] && !opensText(next) && isImprint(blocks[next]!) && !headsText(next)) drop.add(next++);
    return drop;
  }
  return drop;
}

/** `by` alone on its line, before the author's name, in the languages of Gutenberg's books (`VON`, `PAR`, `DOOR`…). */
const bylinePattern = /^(?:by|von|par|de|di|da|por|door|af|av|przez)$/i;

/** Most lines of one imprint block: a longer block is text. */
const maxImprintLines = 4;

/**
 * An imprint block of a title page: a few lines set in from the margin (centred, as a title
 * page is set), each in capitals, letter-spaced, or names and numbers only (`Ruskin  156.
 * Charing`, `London`, `[Illustration: 1894]`) — no running sentence, whose small words are in
 * lower case (`in acknowledgment of all I owe`, a dedication).
 */
function isImprint(block: Block): boolean {
  if (block.length > maxImprintLines) return false;
  // A dedication in capitals (`TO MY MOTHER`) is the book's own.
  if (/^(?:to|for|dedicated|in memory)\b/i.test(block[0]!.text.trim())) return false;
  // An opening bracket it does not close (`[Illustration:`) belongs with the blocks after it.
  const text = blockText(block);
  if ((text.match(/\[/g)?.length ?? 0) !== (text.match(/\]/g)?.length ?? 0)) return false;
  return block.every((line) => {
    const text = line.text.trim();
    if (indentOf(line) === 0) return false;
    if (!/\p{Ll}/u.test(text) || isLetterSpaced(text)) return true;
    return text.split(/\s+/).every((word) => !/^[^\p{L}]*\p{Ll}/u.test(word));
  });
}

/**
 * A Project Gutenberg production credit opening the book (`Produced by Jana Srna, … and the
 * Online Distributed Proofreading Team`, `E-text prepared by …`): the e-text's making, which
 * newer files put in the header's `Credits:` field, left out with the rest of the header.
 * The index of the block, among the first two, or undefined.
 */
export function gutenbergCredit(blocks: readonly Block[]): number | undefined {
  for (let index = 0; index < Math.min(blocks.length, 2); index++) {
    if (blocks[index]!.length <= 6 && productionCreditPattern.test(blockText(blocks[index]!))) return index;
  }
  return undefined;
}

const productionCreditPattern =
  /^(?:(?:this\s+)?(?:e-?book|e-?text|etext)\s+(?:was\s+)?(?:produced|prepared|transcribed)\s+by\b|(?:produced|prepared|transcribed|digiti[sz]ed|scanned(?:\s+and\s+proofed)?)\s+by\b|(?:e-?text|etext)\s+prepared\s+by\b)/i;

function blockText(block: Block): string {
  return block.map((line) => line.text.trim()).join(" ");
}

/** What the opening of an RFC or Internet-Draft says about itself. */
export interface MemoFront {
  /** The index of the centred title block. */
  readonly titleIndex: number;
  readonly title: string;
  /** The authors named in the header's right column (`L. Masinter`), joined `A, B and C`. */
  readonly author?: string;
  readonly authorLine?: number;
  /** The header block (`Network Working Group   L. Masinter`), when there is one: its two columns. */
  readonly header?: { readonly index: number; readonly left: Block; readonly right: Block };
}

const memoHeaderPattern =
  /^(?:Network Working Group|Internet Engineering Task Force|Internet Research Task Force|Independent Submission|Internet Architecture Board|IAB|Internet-Draft|INTERNET[- ]DRAFT|Request for Comments:?|RFC\s*\d)/i;
/** An author in an RFC header: initials and a surname, `T. Berners-Lee`, `J. Smith, Ed.`. */
const memoAuthorPattern = /^(?:\p{Lu}\.\s?(?:-\p{Lu}\.\s?)?)+\s*\p{Lu}[\p{L}'’-]+(?:,\s*Ed\.)?$/u;

/**
 * A centred title among the first blocks, before any heading: one to three lines, each with
 * as much space to its left as the wrap width leaves to its right (within 6 columns) and at
 * least 4 columns in. When the first block is an RFC header (`Network Working Group` with a
 * second column), the block after it is the title though not centred, and the authors are
 * read from the header's right column.
 */
export function memoFront(blocks: readonly Block[], width: number, isHeading: (index: number) => boolean): MemoFront | undefined {
  if (!Number.isFinite(width)) return undefined;
  const hasHeader = blocks.length > 1 && memoHeaderPattern.test(blocks[0]![0]!.text.trim());
  for (let index = 0; index < Math.min(blocks.length, 5); index++) {
    if (isHeading(index)) return undefined;
    const block = blocks[index]!;
    // The first block after an RFC's header is its title, centred or set at the body's indent
    // (RFC 4180); only a block at the margin, where headings stand, is not.
    const afterHeader = hasHeader && index === 1 && block.every((line) => indentOf(line) > 0);
    if (block.length > 3 || !(afterHeader || block.every((line) => isCentred(line, width)))) continue;
    const title = fromAllCaps(blockText(block));
    if (!/\p{L}/u.test(title) || /[.,;:]$/.test(title)) continue;
    const header = index > 0 && hasHeader ? blocks[0]! : undefined;
    const authors = header ? memoAuthors(header) : [];
    const author = authors.length
      ? authors.length === 1
        ? authors[0]!.name
        : `${authors
            .slice(0, -1)
            .map((entry) => entry.name)
            .join(", ")} and ${authors.at(-1)!.name}`
      : undefined;
    return {
      titleIndex: index,
      title,
      ...(author ? { author, authorLine: authors[0]!.line } : {}),
      ...(header ? { header: { index: 0, ...columnsOf(header) } } : {}),
    };
  }
  return undefined;
}

/**
 * The two columns of a header block, each as lines of its own: read down one column and then
 * the other, as a reader does, not across (`Network Working Group L. Masinter`).
 */
function columnsOf(header: Block): { left: Block; right: Block } {
  const left: Line[] = [];
  const right: Line[] = [];
  for (const line of header) {
    const match = /^(\s*\S.*?)(\s{2,})(\S.*)$/.exec(line.text);
    if (match) {
      left.push({ ...line, text: match[1]! });
      right.push({ ...line, text: match[3]!, offset: line.offset + match[1]!.length + match[2]!.length });
    } else if (indentOf(line) > line.text.length / 2) {
      right.push({ ...line, text: line.text.trim(), offset: line.offset + indentOf(line) });
    } else {
      left.push(line);
    }
  }
  return { left, right };
}

function isCentred(line: Line, width: number): boolean {
  const indent = indentOf(line);
  const right = width - line.text.length;
  return indent >= 4 && Math.abs(indent - right) <= 6;
}

/** The authors in a header's right column, on lines of both columns or of the right one alone (RFC 7519's third author). */
function memoAuthors(header: Block): { name: string; line: number }[] {
  return columnsOf(header)
    .right.map((line) => ({ name: line.text.trim(), line: line.number }))
    .filter((entry) => memoAuthorPattern.test(entry.name));
}

/** A setext-style underline: `=====` (a level-1 title) or `-----` (level 2). */
const underlinePattern = /^\s*(={3,}|-{3,})\s*$/;

/** `Title` over a line of `=` or `-` about as long as it (half to twice its length). */
export function underlinedHeading(block: Block): { depth: 1 | 2; text: string } | undefined {
  if (block.length !== 2) return undefined;
  const underline = underlinePattern.exec(block[1]!.text);
  const text = block[0]!.text.trim();
  if (!underline || text.length === 0 || underlinePattern.test(text)) return undefined;
  const ratio = underline[1]!.length / text.length;
  if (ratio < 0.5 || ratio > 2) return undefined;
  return { depth: underline[1]!.startsWith("=") ? 1 : 2, text };
}

/** Blocks looked through for an underlined title: past them the text has begun. */
const maxTitleBlocks = 4;

/**
 * The text's title when it is underlined with `=` (`Mozilla Public License Version 2.0` over
 * `====`), as Markdown's setext `Title⏎===`: the only such heading, among the first blocks,
 * with no heading and no title-like line before it — a sentence or two of preface may come
 * first (MPL's `The majority of Rhino is licensed under the MPL 2.0:`). The level-2
 * headings under it (`---`) are its parts.
 */
export function underlinedTitle(blocks: readonly Block[], isHeading: (index: number) => boolean): { index: number; text: string } | undefined {
  const levelOne = blocks.flatMap((block, index) => (underlinedHeading(block)?.depth === 1 ? [index] : []));
  if (levelOne.length !== 1 || levelOne[0]! >= maxTitleBlocks) return undefined;
  const index = levelOne[0]!;
  // A title-like line before it may be the title itself, the underlined line its first part.
  for (let before = 0; before < index; before++) {
    const only = blocks[before]!.length === 1 ? blocks[before]![0]!.text : undefined;
    if (isHeading(before) || (only !== undefined && isTitleLike(only, { allowTerminal: false }))) return undefined;
  }
  return { index, text: underlinedHeading(blocks[index]!)!.text };
}

/** Splits a block whose underlined title runs straight into its text (`Title⏎=====⏎Text…`). */
export function splitUnderlined(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((block) => (block.length > 2 && underlinedHeading(block.slice(0, 2)) ? [block.slice(0, 2), block.slice(2)] : [block]));
}
