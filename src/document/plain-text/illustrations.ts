// Project Gutenberg's picture markers: `[Illustration: caption]`, over one block or several
// (`[Illustration:` … `Hugh Thomson_ ]`). The caption is text about a picture the e-text does
// not have — the publisher's device, a drawn dedication — not the book's own prose.
import type { Block } from "./lines.js";

const openingPattern = /^\s*\[\s*illustration\b/i;
/** Most blocks one caption spans: an opening bracket never closed is a caption of one block. */
const maxCaptionBlocks = 12;

/** The indexes of the blocks inside `[Illustration: …]` markers, brackets included. */
export function illustrationCaptions(blocks: readonly Block[]): Set<number> {
  const captions = new Set<number>();
  // Each block's brackets, counted once: `[` opens, `]` closes.
  const balances = new Map<number, number>();
  const balance = (index: number): number => {
    let value = balances.get(index);
    if (value === undefined) {
      value = 0;
      for (const line of blocks[index]!) for (const character of line.text) value += character === "[" ? 1 : character === "]" ? -1 : 0;
      balances.set(index, value);
    }
    return value;
  };
  for (let start = 0; start < blocks.length; start++) {
    if (!openingPattern.test(blocks[start]![0]!.text)) continue;
    let depth = 0;
    let end = start;
    for (; end < Math.min(blocks.length, start + maxCaptionBlocks); end++) {
      depth += balance(end);
      if (depth <= 0) break;
    }
    if (depth > 0) end = start;
    for (let index = start; index <= end; index++) captions.add(index);
    start = end;
  }
  return captions;
}
