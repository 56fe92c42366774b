// Unwrapping hard-wrapped lines into one line of text: where a line break was a space, a
// hyphen the wrapping left, or a cut inside a URL.
import type { Line } from "./lines.js";

/**
 * The words the document itself uses, to decide what a hyphen at a line end was: the text is
 * its own dictionary (`exam-⏎ple` loses the hyphen only when `example` stands elsewhere in it).
 */
export interface Vocabulary {
  /** Words written whole, lower case. */
  readonly words: ReadonlySet<string>;
  /** Hyphenated words written on one line (`well-known`), lower case. */
  readonly compounds: ReadonlySet<string>;
}

export const noVocabulary: Vocabulary = { words: new Set(), compounds: new Set() };

export function collectVocabulary(lines: readonly Line[]): Vocabulary {
  const words = new Set<string>();
  const compounds = new Set<string>();
  for (const line of lines) {
    // A word cut at the line's end is no evidence either way.
    const text = line.text.replace(/\p{L}+-$/u, "");
    for (const match of text.matchAll(/\p{L}+(?:-\p{L}+)*/gu)) {
      const word = match[0].toLowerCase();
      if (word.includes("-")) compounds.add(word);
      else words.add(word);
    }
  }
  return { words, compounds };
}

/** A URL's start: `http://`, `https://`, `ftp://`, or `<` before one (the RFC 3986 Appendix C delimiters). */
const urlStart = /(?:^|[\s(\["“])<?(?:https?|ftp):\/\/\S*$/;

/**
 * Joins the trimmed lines of one paragraph. A line break is a space, except:
 * - inside `<…>` around a URL, where white space is no part of the URL (RFC 3986 Appendix C),
 *   and after a bare URL whose last character cannot end one (`-`, `/`, `.`, `=`…) when the
 *   next line goes on with URL characters: the two halves are one URL;
 * - after a hyphen between letters: `exam-⏎ple` is `example` when the text writes `example`
 *   elsewhere and never `exam-ple`; otherwise the hyphen stays (`well-⏎known`, `Request-⏎URI`,
 *   `web-⏎connected`), because a wrong hyphen keeps every letter and a wrong join merges two
 *   words. RFCs and Project Gutenberg texts never hyphenate words at line ends, so in them the
 *   hyphen always stays unless the document's own vocabulary says otherwise.
 */
export function joinWrappedLines(lines: readonly string[], vocabulary: Vocabulary): string {
  const parts: string[] = [lines[0] ?? ""];
  for (const next of lines.slice(1)) {
    // Only the end of the text so far decides the join: a paragraph of a million lines is not
    // searched a million times over.
    const join = separator(tail(parts), next, vocabulary);
    if (join === "drop hyphen") parts[parts.length - 1] = parts.at(-1)!.slice(0, -1);
    else parts.push(join);
    parts.push(next);
  }
  return parts.join("");
}

/** The last 300 characters joined so far (the longest URL start or hyphenated word looked at). */
function tail(parts: readonly string[]): string {
  let text = "";
  for (let index = parts.length - 1; index >= 0 && text.length < maxLookBehind; index--) text = parts[index]! + text;
  return text.slice(-maxLookBehind);
}

const maxLookBehind = 300;

function separator(before: string, after: string, vocabulary: Vocabulary): " " | "" | "drop hyphen" {
  const url = urlStart.exec(before);
  if (url) {
    const token = url[0].trim();
    const inBrackets = /<(?:https?|ftp):\/\//.test(token) && !token.includes(">");
    if (inBrackets && /^[^\s<>]+/.test(after)) return "";
    if (/[-/._~?&=#%]$/.test(token) && /^[a-z0-9%~_][^\s]*[/.]/.test(after)) return "";
  }
  const hyphenated = /(?:^|[^\p{L}-])(\p{L}+(?:-\p{L}+)*)-$/u.exec(before);
  const continued = /^(\p{L}+)/u.exec(after);
  if (hyphenated && continued) {
    const head = hyphenated[1]!.split("-").at(-1)!;
    const tail = continued[1]!;
    if (/^\p{Lu}/u.test(tail)) return "";
    const compound = `${head}-${tail}`.toLowerCase();
    const joined = `${head}${tail}`.toLowerCase();
    if (!vocabulary.compounds.has(compound) && vocabulary.words.has(joined)) return "drop hyphen";
    return "";
  }
  return " ";
}
