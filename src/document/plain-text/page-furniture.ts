// Page furniture of paginated text (RFCs, printer output): running heads and feet, not the text.
import type { Line } from "./lines.js";

/** An RFC page foot: `Masinter                     Informational                      [Page 3]`. */
const pageFootPattern = /\[Page \d+\]$/;

/**
 * Removes the lines a paginated text repeats on every page: a foot ending in `[Page N]`, and
 * the head that follows each page break (a form feed or a foot) when that head, its numbers
 * aside, stands on two pages or more. A line seen once is never furniture. Where a paragraph
 * runs on over the page break, the blank lines around the furniture go too, so it stays one
 * paragraph; elsewhere one blank line is left.
 */
export function removePageFurniture(lines: readonly Line[], pageBreaks: ReadonlySet<number>): Line[] {
  const feet = lines.filter((line) => pageFootPattern.test(line.text));
  if (feet.length < 2 && pageBreaks.size === 0) return [...lines];
  const furniture = new Set<number>();
  if (feet.length >= 2) for (const line of feet) furniture.add(line.number);

  // Heads: the first line with words after each page break (one forward pass: a file of
  // page feet alone must not cost a scan of the rest of the file per foot).
  const heads: Line[] = [];
  let awaitingHead = false;
  for (const line of lines) {
    const isBreak = pageBreaks.has(line.number) || furniture.has(line.number);
    if (isBreak) awaitingHead = true;
    if (!awaitingHead || line.text.trim() === "" || furniture.has(line.number)) continue;
    heads.push(line);
    awaitingHead = false;
  }
  const shape = (line: Line) => line.text.trim().replace(/\d+/g, "#").replace(/\s+/g, " ");
  const counts = new Map<string, number>();
  for (const head of heads) counts.set(shape(head), (counts.get(shape(head)) ?? 0) + 1);
  for (const head of heads) if ((counts.get(shape(head)) ?? 0) >= 2) furniture.add(head.number);
  if (furniture.size === 0) return [...lines];

  // Rebuild, deciding at each gap left by furniture whether the text runs on over it.
  const kept: Line[] = [];
  let inGap = false;
  for (const line of lines) {
    if (furniture.has(line.number)) {
      inGap = true;
      continue;
    }
    const blank = line.text.trim() === "";
    if (inGap && blank) continue;
    if (inGap) {
      inGap = false;
      while (kept.length && kept.at(-1)!.text.trim() === "") kept.pop();
      const before = kept.at(-1);
      if (before && !runsOn(before, line)) kept.push({ text: "", number: line.number, offset: line.offset });
    }
    kept.push(line);
  }
  return kept;
}

/**
 * A paragraph continues over a page break when the line after it is at the same indentation
 * and either starts in lower case or follows a line that ends mid-sentence (a comma, a
 * hyphen, a word without closing punctuation before a word).
 */
function runsOn(before: Line, after: Line): boolean {
  const indent = (line: Line) => line.text.length - line.text.trimStart().length;
  if (indent(before) !== indent(after) || indent(after) === 0) return false;
  const next = after.text.trim();
  const last = before.text.trim();
  // A list item (`o  Restored…`, `- a`, `2. b`) starts a block of its own.
  if (/^(?:o\s{2}|[-*•]\s|\d{1,3}[.)]\s)/.test(next)) return false;
  if (/^\p{Ll}/u.test(next)) return true;
  return /[,;(\-/]$/.test(last) || (/\p{L}$/u.test(last) && /^[\p{L}"“(]/u.test(next) && !/^\d/.test(next));
}
