// The user's pronunciation lexicon: words the reader should say differently from how they are spelled.
import { basename, extname, join } from "node:path";
import type { Element, Nodes as XmlNodes } from "xast";
import { fromXml } from "xast-util-from-xml";
import { readUntrustedFile } from "../../files/untrusted-file.js";
import { LecternError } from "../../messages.js";
import { quotedValue } from "../display-text.js";
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
    if (typeof spoken !== "string")
      throw new TypeError(
        `Expected the lexicon entry \`${quotedValue(written)}\` to be a string, got \`${quotedValue(JSON.stringify(spoken) ?? String(spoken))}\` (${typeof spoken})`,
      );
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

/** Far more than any real lexicon (a 100,000-entry PLS file is about 10 MB). */
const maxLexiconBytes = 32 * 1024 ** 2;

/**
 * The document's lexicon: the first lexicon file found next to it, then the front matter's
 * `pronunciations`, which win over the file (they are specific to this one document).
 */
export async function loadLexicon(
  doc: Pick<LecternDocument, "path" | "directory"> & { readonly metadata?: Pick<LecternDocument["metadata"], "pronunciations"> },
): Promise<{ lexicon: Lexicon; file?: string }> {
  const fromFrontMatter = Object.entries(doc.metadata?.pronunciations ?? {});
  for (const file of lexiconCandidates(doc)) {
    const found = await readUntrustedFile(file, maxLexiconBytes);
    if (found.kind === "missing") continue;
    if (found.kind === "refused") {
      throw new LecternError("CONFIG", `the pronunciation lexicon cannot be used: ${found.reason}`, {
        file,
        hint: "make it a regular file beside the document, or remove it",
      });
    }
    const fromFile = parseLexiconFile(found.bytes.toString("utf8"), file);
    return { lexicon: new Map([...fromFile, ...fromFrontMatter]), file };
  }
  return { lexicon: new Map(fromFrontMatter) };
}

/**
 * Parses a lexicon file; a file that does not parse is a CONFIG error against the lexicon
 * file itself (not the document), with the line, and the column in the message.
 */
function parseLexiconFile(source: string, file: string): Lexicon {
  // A byte order mark (Windows Notepad writes one) is not part of the JSON or XML.
  const text = source.replace(/^\uFEFF/, "");
  const isPls = file.endsWith(".pls");
  try {
    return isPls ? parsePlsLexicon(text) : parseJsonLexicon(text);
  } catch (error) {
    const place = isPls ? xmlErrorPlace(error) : error instanceof SyntaxError ? jsonErrorPlace(text) : undefined;
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    const what =
      error instanceof TypeError ? reason : `the pronunciation lexicon is not valid ${isPls ? "XML" : "JSON"}: ${place && !isPls ? jsonProblem(text, place.offset) : reason}`;
    throw new LecternError("CONFIG", `${what}${place ? ` (column ${place.column})` : ""}`, {
      file,
      ...(place ? { line: place.line } : {}),
      hint: isPls ? "a W3C PLS file of <lexeme><grapheme>…</grapheme><alias>…</alias></lexeme> entries" : 'an object of "written": "spoken" pairs',
      cause: error,
    });
  }
}

interface Place {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

function xmlErrorPlace(error: unknown): Place | undefined {
  const place = (error as { place?: { line?: number; column?: number; offset?: number } } | null)?.place;
  return place?.line ? { line: place.line, column: place.column ?? 1, offset: place.offset ?? 0 } : undefined;
}

function jsonErrorPlace(text: string): Place | undefined {
  try {
    return placeOf(text, jsonErrorOffset(text));
  } catch {
    return undefined; // nested too deeply for the walk: the message alone
  }
}

function placeOf(text: string, offset: number): Place {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n"), offset };
}

function jsonProblem(text: string, offset: number): string {
  if (offset >= text.length) return "the text ends before the JSON does";
  return `unexpected \`${String.fromCodePoint(text.codePointAt(offset)!)}\``;
}

/**
 * Where JSON text stops being JSON (RFC 8259), as an offset: V8's messages give a position
 * for some errors and none for others, so the grammar is walked here to find it.
 */
export function jsonErrorOffset(text: string): number {
  let index = 0;
  const fail = (): never => {
    throw index;
  };
  const space = () => {
    while (index < text.length && " \t\n\r".includes(text[index]!)) index++;
  };
  const literal = (word: string) => {
    for (const character of word) if (text[index++] !== character) index--, fail();
  };
  const string = () => {
    index++; // opening quote
    while (index < text.length && text[index] !== '"') {
      const code = text.charCodeAt(index);
      if (code < 0x20) fail();
      if (text[index] === "\\") {
        index++;
        if (text[index] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 1, index + 5))) fail();
          index += 4;
        } else if (!'"\\/bfnrt'.includes(text[index] ?? "x")) fail();
      }
      index++;
    }
    if (index >= text.length) fail();
    index++;
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match) fail();
    index += match![0].length;
  };
  const value = (): void => {
    space();
    const character = text[index];
    if (character === "{") {
      index++;
      space();
      if (text[index] === "}") return void index++;
      for (;;) {
        space();
        if (text[index] !== '"') fail();
        string();
        space();
        if (text[index] !== ":") fail();
        index++;
        value();
        space();
        if (text[index] === ",") index++;
        else if (text[index] === "}") return void index++;
        else fail();
      }
    }
    if (character === "[") {
      index++;
      space();
      if (text[index] === "]") return void index++;
      for (;;) {
        value();
        space();
        if (text[index] === ",") index++;
        else if (text[index] === "]") return void index++;
        else fail();
      }
    }
    if (character === '"') return string();
    if (character === "t") return literal("true");
    if (character === "f") return literal("false");
    if (character === "n") return literal("null");
    number();
  };
  try {
    value();
    space();
    if (index < text.length) fail();
  } catch (offset) {
    if (typeof offset === "number") return offset;
    throw offset;
  }
  return text.length;
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
