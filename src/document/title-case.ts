// Words and phrases: title case and names, which the plain-text reader's heading and title
// heuristics ask of a line. Whether a full stop belongs to an abbreviation is the one table of
// src/document/abbreviations.ts (re-exported here for the readers that ask it with these).
import { endsWithAbbreviation } from "./abbreviations.js";

export { endsWithAbbreviation };

/** Words that title case leaves in lower case (unless first). */
export const minorWords = new Set(
  "a an the and but or nor for so yet of in on at to by up as from into onto with without via per vs v is are was be de la le du von van der al el".split(" "),
);

/** Letter-spaced text (`L E I P Z I G`, `K U R T  W O L F F`): a typeset imprint or emphasis, never a heading. */
export function isLetterSpaced(text: string): boolean {
  const tokens = text.trim().split(/\s+/u);
  return tokens.length >= 4 && tokens.filter((token) => /^[\p{L}\p{N}]$/u.test(token)).length >= tokens.length * 0.8;
}

/**
 * A letter a heading may open with: a capital, or a letter of a script without case (Hangul,
 * Han, Kana, Arabic, Hebrew, Devanagari: Unicode `Lo`), whose headings have no capital to show.
 */
export const headingInitial = /^[\p{Lu}\p{Lo}\d]/u;

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
  if (!headingInitial.test(first)) return false;
  // Without case, title case is no evidence: a closing full stop (`.`, `。`) makes a line a sentence.
  if (/\p{Lo}/u.test(trimmed) && /[.!?。！？]["”’)]*$/u.test(trimmed)) return false;
  if (words.length === 1) return !/[.!?]$/.test(trimmed) || /^[\p{Lu}\d\W]+$/u.test(trimmed);
  const significant = words.slice(1).filter((word) => !minorWords.has(word.toLowerCase().replace(/[^\p{L}]/gu, "")));
  if (significant.length === 0) return true;
  const capitalized = significant.filter((word) => /^[^\p{L}]*[\p{Lu}\p{Lo}\d]/u.test(word)).length;
  return capitalized / significant.length >= 0.75;
}

/** A word ending in a full stop that ends no sentence (`U.S.`, `Dr.`, `Inc.`); the table is src/document/abbreviations.ts. */
function isAbbreviation(word: string): boolean {
  return endsWithAbbreviation(word);
}

/** Drops a closing period from a heading, but not one that belongs to "U.S." or "Inc.". */
export function stripTerminalPeriod(text: string): string {
  if (!text.endsWith(".") || text.endsWith("..")) return text;
  // A heading that is only a number (`I.`, `IV.`, `12.`, `A.`) numbers a part: no initial.
  if (/^(?:[IVXLCDM]+|[ivxlcdm]+|\d+|\p{Lu})\.$/u.test(text)) return text.slice(0, -1);
  return endsWithAbbreviation(text) ? text : text.slice(0, -1);
}

export function isPersonName(text: string): boolean {
  return /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,3}$/u.test(text) && text.length <= 60;
}

export function sameWords(a: string, b: string): boolean {
  const fold = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  return fold(a) === fold(b);
}

export function capitalize(word: string): string {
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
