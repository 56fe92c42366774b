// The user's pronunciation lexicon: words the reader should say differently from how they are spelled.
import { readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { LecternDocument } from "../model.js";

/** Written form → spoken form (`al-Sharaa` → `al Sha-rah`). Matching ignores case. */
export type Lexicon = ReadonlyMap<string, string>;

/** Files looked for next to the document, first found wins: `<name>.lexicon.json`, `lexicon.json`, `<name>.pls`, `lexicon.pls`. */
export function lexiconCandidates(doc: Pick<LecternDocument, "path" | "directory">): string[] {
  const name = basename(doc.path, extname(doc.path));
  return [`${name}.lexicon.json`, "lexicon.json", `${name}.pls`, "lexicon.pls"].map((file) => join(doc.directory, file));
}

/** Parses a JSON lexicon: an object of `"written": "spoken"` pairs. Throws on any other shape. */
export function parseJsonLexicon(text: string): Lexicon {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected the lexicon to be an object of "word": "spoken form" pairs, got ${Array.isArray(value) ? "an array" : typeof value}`);
  }
  const entries = new Map<string, string>();
  for (const [written, spoken] of Object.entries(value)) {
    if (typeof spoken !== "string") throw new TypeError(`Expected the lexicon entry \`${written}\` to be a string, got \`${JSON.stringify(spoken)}\` (${typeof spoken})`);
    entries.set(written, spoken);
  }
  return entries;
}

function decodeXmlText(text: string): string {
  return text
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&").trim();
}

/**
 * Parses a W3C Pronunciation Lexicon (PLS 1.0) file's `<lexeme>` entries that carry an
 * `<alias>`: the alias is what the engine is given. `<phoneme>` entries are engine-specific
 * and skipped (espeak-ng and Edge take different alphabets).
 */
export function parsePlsLexicon(text: string): Lexicon {
  const entries = new Map<string, string>();
  for (const lexeme of text.matchAll(/<lexeme\b[^>]*>([\s\S]*?)<\/lexeme>/g)) {
    const body = lexeme[1]!;
    const alias = /<alias\b[^>]*>([\s\S]*?)<\/alias>/.exec(body)?.[1];
    if (alias === undefined) continue;
    for (const grapheme of body.matchAll(/<grapheme\b[^>]*>([\s\S]*?)<\/grapheme>/g)) {
      entries.set(decodeXmlText(grapheme[1]!), decodeXmlText(alias));
    }
  }
  return entries;
}

/** Loads the first lexicon file found next to the document; an empty lexicon when there is none. */
export async function loadLexicon(doc: Pick<LecternDocument, "path" | "directory">): Promise<{ lexicon: Lexicon; file?: string }> {
  for (const file of lexiconCandidates(doc)) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    return { lexicon: file.endsWith(".pls") ? parsePlsLexicon(text) : parseJsonLexicon(text), file };
  }
  return { lexicon: new Map() };
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces every whole-word occurrence of a lexicon entry, longest entries first, ignoring case. */
export function applyLexicon(text: string, lexicon: Lexicon): string {
  if (lexicon.size === 0) return text;
  const written = [...lexicon.keys()].sort((a, b) => b.length - a.length);
  const byLowerCase = new Map([...lexicon].map(([key, spoken]) => [key.toLowerCase(), spoken]));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${written.map(escapeForPattern).join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return text.replace(pattern, (match) => byLowerCase.get(match.toLowerCase()) ?? match);
}
