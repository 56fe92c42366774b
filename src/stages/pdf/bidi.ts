// Right-to-left text in the PDF: the Unicode Bidirectional Algorithm (UAX #9), via bidi-js.
//
// A paragraph's embedding levels come from the whole algorithm (explicit, weak, neutral and
// implicit rules, bracket pairs): a number inside Arabic or Hebrew text (٤٥٦, ۱۲۳, 1,234.5,
// 12:30) is at an even level and reads left to right, the words around it right to left.
// Lines are reordered one by one (rule L2) after breaking, and characters at an odd level
// that have a mirrored form (brackets) are drawn mirrored (rule L4).
//
// fontkit, which pdfkit shapes with, reverses a whole string when the first character with a
// script is of a right-to-left script, and never mirrors; `drawnPieces` below says how to hand
// it text so that what it draws is the visual order the levels say.
import bidiModule from "bidi-js";
import { graphemes } from "./graphemes.js";

// bidi-js's CommonJS build exports the factory itself, while its types declare an ES default
// export (which Node's CommonJS interop would wrap): accept either.
type BidiFactory = typeof bidiModule.default;
const bidiFactory: BidiFactory = (bidiModule as unknown as { default?: BidiFactory }).default ?? (bidiModule as unknown as BidiFactory);
const bidi = bidiFactory();

export type Direction = "ltr" | "rtl";

/**
 * Characters of bidi class R, AL or AN and the right-to-left explicit formatting characters
 * (RLM, ALM, RLE, RLO, RLI): a paragraph without any has every character at level 0, and the
 * algorithm need not run (most paragraphs of most books).
 */
export const mayHaveRightToLeft = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE\u061C\u200F\u202B\u202E\u2067\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/** Embedding level of each UTF-16 code unit of `text`, one paragraph, direction from its first strong character (P2, P3). */
export function embeddingLevels(text: string, base: Direction | "auto" = "auto"): { levels: Uint8Array; direction: Direction } {
  if (!mayHaveRightToLeft.test(text) && base !== "rtl") return { levels: new Uint8Array(text.length), direction: "ltr" };
  const result = bidi.getEmbeddingLevels(text, base);
  const level = result.paragraphs[0]?.level ?? 0;
  return { levels: result.levels, direction: level % 2 === 1 ? "rtl" : "ltr" };
}

/** The paragraph direction of `text` (rules P2–P3): that of its first strong character, left to right when it has none. */
export function paragraphDirection(text: string): Direction {
  return embeddingLevels(text).direction;
}

/**
 * One line's text cut where its level changes (between grapheme clusters), in reading order,
 * each with its level: for text laid out outside the line breaker (a line of code, whose
 * paragraph direction is left to right whatever it holds).
 */
export function levelRuns(text: string, base: Direction | "auto" = "auto"): { text: string; level: number }[] {
  if (!mayHaveRightToLeft.test(text) && base !== "rtl") return text === "" ? [] : [{ text, level: 0 }];
  const { levels } = embeddingLevels(text, base);
  const runs: { text: string; level: number }[] = [];
  let offset = 0;
  for (const cluster of graphemes(text)) {
    const level = levels[offset] ?? 0;
    offset += cluster.length;
    const last = runs.at(-1);
    if (last !== undefined && last.level === level) last.text += cluster;
    else runs.push({ text: cluster, level });
  }
  return runs;
}

/**
 * Rule L2: the visual order (left to right) of items that each have one level, as indices
 * into `levels`. From the highest level down to the lowest odd one, every run of items at
 * that level or higher is reversed.
 */
export function visualOrder(levels: readonly number[]): number[] {
  const order = levels.map((_, index) => index);
  if (levels.length === 0) return order;
  const highest = Math.max(...levels);
  const lowestOdd = Math.min(...levels.map((level) => (level % 2 === 1 ? level : level + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    let index = 0;
    while (index < order.length) {
      if (levels[order[index]!]! < level) {
        index++;
        continue;
      }
      let end = index;
      while (end < order.length && levels[order[end]!]! >= level) end++;
      const reversed = order.slice(index, end).reverse();
      order.splice(index, end - index, ...reversed);
      index = end;
    }
  }
  return order;
}

/** `text` with each character that has a mirrored form replaced by it (rule L4, for text at an odd level). */
export function mirrored(text: string): string {
  let out = "";
  for (const character of text) out += bidi.getMirroredCharacter(character) ?? character;
  return out;
}

/** Scripts fontkit lays out right to left (its `Script.direction`), for the ones Unicode names. */
const rightToLeftScript =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Cypriot}\p{Script=Kharoshthi}\p{Script=Phoenician}\p{Script=Lydian}\p{Script=Avestan}\p{Script=Imperial_Aramaic}\p{Script=Inscriptional_Pahlavi}\p{Script=Inscriptional_Parthian}\p{Script=Old_South_Arabian}\p{Script=Old_Turkic}\p{Script=Meroitic_Cursive}\p{Script=Meroitic_Hieroglyphs}\p{Script=Manichaean}\p{Script=Mende_Kikakui}\p{Script=Nabataean}\p{Script=Old_North_Arabian}\p{Script=Palmyrene}\p{Script=Psalter_Pahlavi}]/u;
const scriptless = /[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;

/** Whether fontkit reverses `text` when it shapes it: its first character with a script is of a right-to-left script. */
export function fontkitReverses(text: string): boolean {
  for (const character of text) {
    if (scriptless.test(character)) continue;
    return rightToLeftScript.test(character);
  }
  return false;
}

/**
 * How to hand a run of one direction to pdfkit so it is painted in visual order: the words
 * (pdfkit shapes word by word, fontkit reverses a word of a right-to-left script), in
 * reading order, each to be drawn at its own place.
 *
 * - A right-to-left run: words are placed from the right edge leftwards; a word fontkit
 *   would not reverse (neutral characters only, such as `)!`) is reversed here, by grapheme
 *   cluster; brackets are mirrored.
 * - A left-to-right run holding a right-to-left script character (Arabic-Indic digits are of
 *   the Arabic script, so fontkit would reverse ٤٥٦): each grapheme cluster is drawn on its own.
 *
 * Returns the strings in reading order; the caller places them (a right-to-left run from its
 * right edge leftwards) and measures each.
 */
export function piecesToDraw(text: string, rtl: boolean): string[] {
  if (!rtl) {
    if (!fontkitReverses(text) && !rightToLeftScript.test(text)) return [text];
    const out: string[] = [];
    for (const word of text.split(/( +)/)) {
      if (word === "") continue;
      if (word.startsWith(" ") || !rightToLeftScript.test(word)) out.push(word);
      else out.push(...graphemes(word));
    }
    return out;
  }
  const out: string[] = [];
  for (const word of mirrored(text).split(/( +)/)) {
    if (word === "") continue;
    if (word.startsWith(" ") || fontkitReverses(word)) out.push(word);
    else out.push(graphemes(word).reverse().join(""));
  }
  return out;
}
