// Preformatted blocks: text whose spacing and line breaks carry its meaning (grammars, tables,
// diagrams, code), kept monospaced and unwrapped as an mdast `code` node.
import { indentOf, type Block, type Layout, type Line } from "./lines.js";

/** An ABNF or BNF rule: `name = …`, `name =/ …`, `<name> ::= …`. */
const rulePattern = /^\s*(?:<[\w-]+>|[A-Za-z][\w.-]*)\s*(?:=\/?|::=|:=)\s*\S/;
/** What continues a rule on the next line: an alternative, a group, a literal, a comment. */
const ruleContinuation = /^\s*[|/(")\[*%;#<]/;
/** A border of an ASCII table or box (`+----+`, `|---|`, `+====`), or box-drawing characters. */
const borderPattern = /[+|]-{2,}|-{2,}[+|]|\+={2,}|[─│┌┐└┘├┤┬┴┼═║╔╗╚╝]/;
const cellRowPattern = /^\s*\|.*\|$/;

/** Why a block is preformatted, or undefined when it is running text. */
export type PreformattedKind = "grammar" | "table or diagram" | "aligned columns" | "code" | "indented";

export function preformattedKind(block: Block, layout: Layout): PreformattedKind | undefined {
  const rules = block.filter((line) => rulePattern.test(line.text));
  if (rules.length >= 1) {
    const ruleIndent = indentOf(rules[0]!);
    const fits = block.filter((line) => rulePattern.test(line.text) || ruleContinuation.test(line.text) || indentOf(line) > ruleIndent + 1);
    // One prose line that happens to read `x = y` is no grammar: rules and their continuations must make up the block.
    if (fits.length === block.length) return "grammar";
  }
  const borders = block.filter((line) => borderPattern.test(line.text)).length;
  const rows = block.filter((line) => cellRowPattern.test(line.text)).length;
  if (block.length >= 2 && (borders >= 1 || rows >= 2) && borders + rows >= Math.min(2, block.length)) return "table or diagram";
  if (hasAlignedColumns(block)) return "aligned columns";
  if (isCode(block)) return "code";
  // In a document whose body is indented (an RFC), a block indented deeper than the body is
  // an example, a diagram or a figure, unless it reads as prose (an indented definition).
  if (layout.bodyIndent >= 2 && block.every((line) => indentOf(line) >= layout.bodyIndent + 2) && !readsAsProse(block, layout)) return "indented";
  return undefined;
}

/**
 * Columns: two lines or more with a run of two or more spaces inside them (not the two
 * spaces after a sentence's full stop, which RFCs and typists use) that start the next column
 * at the same place, or end at the same right margin (a right-aligned column).
 */
function hasAlignedColumns(block: Block): boolean {
  if (block.length < 2) return false;
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  let withGaps = 0;
  for (const line of block) {
    const gaps = columnStarts(line);
    if (gaps.length === 0) continue;
    withGaps++;
    for (const start of gaps) starts.set(start, (starts.get(start) ?? 0) + 1);
    ends.set(line.text.length, (ends.get(line.text.length) ?? 0) + 1);
  }
  if (withGaps < 2 || withGaps < block.length * 0.5) return false;
  return [...starts.values(), ...ends.values()].some((count) => count >= 2);
}

function columnStarts(line: Line): number[] {
  const starts: number[] = [];
  const indent = indentOf(line);
  for (const match of line.text.slice(indent).matchAll(/(?<=(\S))( {2,}|\t+)(?=\S)/g)) {
    if (/[.!?:]/.test(match[1]!)) continue;
    starts.push(indent + match.index + match[2]!.length);
  }
  return starts;
}

/** Program text: most lines end with `{`, `}` or `;`, or open with a closing brace. */
function isCode(block: Block): boolean {
  if (block.length < 2) return false;
  const codeLike = block.filter((line) => /[{};]$|^\s*[{}]/.test(line.text)).length;
  return codeLike >= block.length * 0.5 && block.some((line) => /[{}]/.test(line.text));
}

/** Sentences wrapped to the width: long lines of words with few symbols. */
function readsAsProse(block: Block, layout: Layout): boolean {
  const text = block.map((line) => line.text.trim()).join(" ");
  const symbols = (text.match(/[=<>{}|\\_#*^~[\]]/g) ?? []).length;
  if (symbols > text.length * 0.02) return false;
  const words = text.split(/\s+/).filter((word) => /\p{L}{2}/u.test(word)).length;
  if (words < 6) return false;
  if (block.length === 1) return /[.?!:]["')]?$/.test(text);
  const width = Number.isFinite(layout.wrapWidth) ? layout.wrapWidth : 72;
  return block.slice(0, -1).every((line) => line.text.length >= width * 0.7);
}

/**
 * The block as code: its lines without `shared` columns of indentation (what its lines share),
 * so a table keeps its columns and a diagram its shape.
 */
export function preformattedText(block: Block, shared: number): string {
  return block.map((line) => expandTabs(line.text).slice(shared)).join("\n");
}

function expandTabs(text: string): string {
  let column = 0;
  return text.replace(/[\t]|[^\t]/g, (character) => {
    if (character !== "\t") {
      column++;
      return character;
    }
    const width = 8 - (column % 8);
    column += width;
    return " ".repeat(width);
  });
}
