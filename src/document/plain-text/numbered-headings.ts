// Numbered headings (`1.`, `2.1`, `2.2.1.1`, `Appendix A.`, `A.1`, `Section 3`), told apart
// from numbered lists by the evidence a whole document gives.
import { endsWithAbbreviation } from "../abbreviations.js";
import { isTitleLike, stripTerminalPeriod } from "../title-case.js";
import { indentOf, singleLine, type Block, type Layout, type Line } from "./lines.js";
import { underlinedHeading } from "./title-page.js";

export interface NumberedHeading {
  /** mdast depth: a top-level number is 2 (below the document's title), each level one more. */
  readonly depth: number;
  /** The heading as shown: its number and its title, spaces collapsed. */
  readonly text: string;
  /**
   * A run-in heading's own text, which goes on after it in the same block (`2. Grant of
   * Copyright License. Subject to…`, the Apache License): the block's lines with the heading
   * taken off the first.
   */
  readonly runIn?: Block;
}

const numberedPattern = /^(?:(Appendix|Annex|Section)\s+)?((?:\d{1,3}|[A-Z])(?:\.\d{1,3})*)(\.?)(?:\s*[:.—–-])?\s+(\S.*)$/;

interface Candidate {
  readonly index: number;
  /** The numbering as numbers: `2.1.3` → [2, 1, 3]; letters count from 1 (`A.2` → [1, 2]). */
  readonly number: readonly number[];
  /** Letters number appendices, a sequence of their own after the numbered sections. */
  readonly lettered: boolean;
  readonly heading: NumberedHeading;
}

/**
 * Finds the numbered headings of a document, by block index. A candidate is a one-line block
 * at the margin (to the left of an indented body) whose title is short, starts with a capital
 * and is one phrase. Candidates are then kept only when they number the document: each is the
 * next of the one before (`2.1.4` → `2.1.5`, `2.2`, `3` or `2.1.4.1`), and most are followed by
 * text of their own, not straight by the next number — a numbered list set out with blank lines
 * (`1. Preheat the oven.` `2. Mix the flour.`) fails that, and stays a list.
 */
export function findNumberedHeadings(blocks: readonly Block[], layout: Layout): Map<number, NumberedHeading> {
  const candidates: Candidate[] = [];
  blocks.forEach((block, index) => {
    const candidate = candidateAt(block, index, layout);
    if (candidate) candidates.push(candidate);
  });
  const accepted: Candidate[] = [];
  let previous: Candidate | undefined;
  for (const candidate of candidates) {
    if (follows(previous, candidate)) {
      accepted.push(candidate);
      previous = candidate;
    }
  }
  if (accepted.length < 2) return new Map();
  const indexes = new Set(accepted.map((candidate) => candidate.index));
  const withText = accepted.filter((candidate, position) => {
    const next = accepted[position + 1];
    if (candidate.heading.runIn || !indexes.has(candidate.index + 1)) return true;
    // A heading followed at once by its first sub-heading (`2.` then `2.1`) is a heading too.
    return next !== undefined && next.index === candidate.index + 1 && next.number.length > candidate.number.length;
  });
  if (withText.length < accepted.length * 0.6) return new Map();
  return new Map(accepted.map((candidate) => [candidate.index, candidate.heading]));
}

/** A run-in title: a few words in title case closed by a full stop, then the clause's first sentence. */
const runInPattern = /^(\s*(?:\d{1,3}(?:\.\d{1,3})*)\.\s+)([^.]{1,60}?)\.(\s+)(?=\p{Lu})/u;
/** Most words of a run-in title: past them it is a sentence. */
const maxRunInWords = 8;

/**
 * A numbered clause whose heading runs into its text, the lines after the first hanging
 * deeper than its number (`   2. Grant of Copyright License. Subject to the terms⏎      this
 * License…`): the heading line (`2. Grant of Copyright License`) and the clause's own text.
 */
function runInHeading(block: Block): { line: string; text: Block } | undefined {
  if (block.length < 2) return undefined;
  const first = block[0]!;
  if (!block.slice(1).every((line) => indentOf(line) > indentOf(first))) return undefined;
  const match = runInPattern.exec(first.text);
  if (!match) return undefined;
  const title = match[2]!;
  if (title.split(/\s+/).length > maxRunInWords || !isTitleLike(title, { allowTerminal: false })) return undefined;
  const cut = match[0].length;
  const rest: Line = { ...first, text: first.text.slice(cut), offset: first.offset + cut };
  return { line: `${match[1]!.trim()} ${title}`, text: [rest, ...block.slice(1)] };
}

function candidateAt(block: Block, index: number, layout: Layout): Candidate | undefined {
  // A numbered heading may be underlined too (`1. Definitions` over `----`, MPL 2.0), or run
  // into its clause's text (the Apache License).
  const runIn = singleLine(block) === undefined && !underlinedHeading(block) ? runInHeading(block) : undefined;
  const line = singleLine(block) ?? (underlinedHeading(block) ? block[0]!.text : runIn?.line);
  if (line === undefined) return undefined;
  const indent = indentOf(block[0]!);
  if (indent >= Math.max(1, layout.bodyIndent) && indent !== layout.paragraphIndent) return undefined;
  const match = numberedPattern.exec(line.trim());
  if (!match) return undefined;
  const [, word, numbering, , title] = match as unknown as [string, string | undefined, string, string, string];
  const lettered = /^[A-Z]/.test(numbering);
  // A bare letter (`A. Smith wrote…`) is a heading only with `Appendix` or a number after it.
  if (lettered && word === undefined && !numbering.includes(".")) return undefined;
  if (!isHeadingTitle(title, layout)) return undefined;
  const number = numbering.split(".").map((part) => (/^[A-Z]$/.test(part) ? part.charCodeAt(0) - 64 : Number(part)));
  const text = stripTerminalPeriod(line.trim().replace(/\s+/g, " "));
  return { index, number, lettered, heading: { depth: Math.min(6, number.length + 1), text, ...(runIn ? { runIn: runIn.text } : {}) } };
}

/**
 * A heading's title: up to 14 words and 100 characters, starting with a capital (or a letter of
 * a script without case, `1.  소개`), a digit or a quotation mark, one phrase (no second sentence), not ending in `,` or `;`. A closing period
 * is allowed where the body is indented (RFCs write `2.2.1.1 The "safe" response header
 * field.`); in unindented text a numbered sentence with a period is a list item.
 */
function isHeadingTitle(title: string, layout: Layout): boolean {
  const text = title.trim();
  if (text.length > 100 || text.split(/\s+/).length > 14) return false;
  if (!/^[\p{Lu}\p{Lo}\d"“'‘(]/u.test(text)) return false;
  if (/[,;]$/.test(text)) return false;
  // A title in title case may close with one (`4. Conveying Verbatim Copies.`, the GPL).
  if (/\.$/.test(text) && !endsWithAbbreviation(text) && layout.bodyIndent === 0 && !isTitleLike(text.slice(0, -1), { allowTerminal: false })) return false;
  if (/[.!?]\s+\p{Lu}/u.test(text.replace(/\b(?:\p{L}\.){2,}|\b(?:Mr|Mrs|Dr|St|vs|etc|e\.g|i\.e)\./gu, ""))) return false;
  // A dot leader and a page number: a table of contents line.
  if (/(?:\.\s?){3,}\s*\d+$/.test(text)) return false;
  return true;
}

/** Whether `next` continues the numbering after `previous`. */
function follows(previous: Candidate | undefined, next: Candidate): boolean {
  const number = next.number;
  if (previous === undefined || previous.lettered !== next.lettered) {
    // The first number of a sequence (0 or 1, or A for appendices), at any depth (`1.1` may open).
    return number.every((part) => part <= 1);
  }
  const before = previous.number;
  // A first sub-section: `2.1` → `2.1.1`.
  if (number.length === before.length + 1 && before.every((part, level) => part === number[level]) && number.at(-1) === 1) return true;
  // The next at some level: `2.1.4` → `2.1.5`, `2.2`, `3` (one number may be missing: a heading wrapped onto two lines).
  if (number.length > before.length) return false;
  const level = number.length - 1;
  for (let at = 0; at < level; at++) if (number[at] !== before[at]) return false;
  const step = number[level]! - before[level]!;
  return step === 1 || step === 2;
}
