// The user's pronunciation lexicon: words the reader should say differently from how they are spelled.
import { readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { Element, Nodes as XmlNodes } from "xast";
import { fromXml } from "xast-util-from-xml";
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

/** Every element named `name` (local name, any namespace prefix) under `node`, in document order. */
function elementsNamed(node: XmlNodes, name: string): Element[] {
  const found: Element[] = [];
  const visit = (current: XmlNodes): void => {
    if (current.type === "element" && current.name.replace(/^.*:/, "") === name) found.push(current);
    if ("children" in current) for (const child of current.children) visit(child);
  };
  visit(node);
  return found;
}

function textOf(node: XmlNodes): string {
  if (node.type === "text" || node.type === "cdata") return node.value;
  return "children" in node ? node.children.map(textOf).join("") : "";
}

/**
 * Parses a W3C Pronunciation Lexicon (PLS 1.0) file's `<lexeme>` entries that carry an
 * `<alias>`: the alias is what the engine is given. `<phoneme>` entries are engine-specific
 * and skipped (espeak-ng and Edge take different alphabets). Malformed XML throws with its line.
 */
export function parsePlsLexicon(text: string): Lexicon {
  const entries = new Map<string, string>();
  for (const lexeme of elementsNamed(fromXml(text), "lexeme")) {
    const alias = elementsNamed(lexeme, "alias")[0];
    if (alias === undefined) continue;
    for (const grapheme of elementsNamed(lexeme, "grapheme")) {
      entries.set(textOf(grapheme).trim(), textOf(alias).trim());
    }
  }
  return entries;
}

/**
 * The document's lexicon: the first lexicon file found next to it, then the front matter's
 * `pronunciations`, which win over the file (they are specific to this one document).
 */
export async function loadLexicon(
  doc: Pick<LecternDocument, "path" | "directory"> & { readonly metadata?: Pick<LecternDocument["metadata"], "pronunciations"> },
): Promise<{ lexicon: Lexicon; file?: string }> {
  const fromFrontMatter = Object.entries(doc.metadata?.pronunciations ?? {});
  for (const file of lexiconCandidates(doc)) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    const fromFile = file.endsWith(".pls") ? parsePlsLexicon(text) : parseJsonLexicon(text);
    return { lexicon: new Map([...fromFile, ...fromFrontMatter]), file };
  }
  return { lexicon: new Map(fromFrontMatter) };
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
