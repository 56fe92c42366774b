// Reading a source file: checks that it is a document, decodes it, and picks the reader.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import { LecternError, type Message } from "../messages.js";
import { canonicalLanguage } from "./front-matter.js";
import { parseMarkdown } from "./markdown.js";
import { checkSourceNesting, checkTreeNesting } from "./nesting.js";
import type { LecternDocument, SourceFormat } from "./model.js";
import { parsePlainText } from "./plain-text.js";
import { sectionize } from "./sections.js";

/** File extensions Lectern reads, and the reader for each. */
export const sourceExtensions: Readonly<Record<string, SourceFormat>> = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
  ".text": "text",
};

/** Largest source file accepted; past it a clear error beats minutes of work and gigabytes of memory. */
export const maxSourceBytes = 20 * 1024 * 1024;

export interface ReadResult {
  readonly document: LecternDocument;
  /** Warnings found while reading (replaced bytes, bad front matter values…). */
  readonly messages: Message[];
}

/**
 * Reads and parses one source document. Throws `LecternError` (INPUT or CONFIG) with a
 * one-line reason when the file is missing, unreadable, not text, empty, or malformed.
 */
export async function readDocument(path: string): Promise<ReadResult> {
  const file = resolve(path);
  const format = sourceExtensions[extname(file).toLowerCase()];
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new LecternError("INPUT", error.code === "ENOENT" ? "no such file" : `cannot read the file (${error.code ?? error.message})`, {
      file,
      cause: error,
    });
  });
  if (info.isDirectory()) {
    throw new LecternError("INPUT", "is a folder, not a document", { file, hint: "pass a .md or .txt file, or use `lectern build <folder>` for every document in it" });
  }
  if (!info.isFile()) throw new LecternError("INPUT", "is not a regular file", { file });
  if (format === undefined) {
    throw new LecternError("INPUT", `unsupported file type \`${extname(file) || "(none)"}\``, {
      file,
      hint: `Lectern reads ${Object.keys(sourceExtensions).join(", ")}`,
    });
  }
  if (info.size > maxSourceBytes) {
    throw new LecternError("INPUT", `is ${(info.size / 1048576).toFixed(1)} MB; the limit is ${maxSourceBytes / 1048576} MB`, { file });
  }
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new LecternError("INPUT", `cannot read the file (${error.code ?? error.message})`, { file, cause: error });
  });
  const messages: Message[] = [];
  const text = decodeText(bytes, file, messages);
  return { document: parseSource(text, file, format, messages), messages };
}

/** Deepest nesting accepted (src/document/nesting.ts); re-exported where it was first defined. */
export { maxNestingDepth } from "./nesting.js";

/** Parses already-decoded source text; exported for tests and for callers holding text in memory. */
export function parseSource(text: string, file: string, format: SourceFormat, messages: Message[] = []): LecternDocument {
  if (format === "markdown") checkSourceNesting(text, file);
  const fallbackTitle = titleFromFileName(file);
  let document: LecternDocument;
  if (format === "markdown") {
    const parsed = parseMarkdown(text, file);
    checkTreeNesting(parsed.tree, file);
    messages.push(...parsed.messages);
    const { title, language, ...rest } = parsed.frontMatter;
    document = sectionize({
      path: file,
      directory: dirname(file),
      format,
      tree: parsed.tree,
      metadata: { ...rest, ...(title ? { title } : {}), language: language ?? "en" },
      fallbackTitle,
      messages,
    });
  } else {
    const parsed = parsePlainText(text);
    checkTreeNesting(parsed.tree, file);
    document = sectionize({
      path: file,
      directory: dirname(file),
      format,
      tree: parsed.tree,
      metadata: {
        ...(parsed.title ? { title: parsed.title } : {}),
        ...(parsed.author ? { author: parsed.author } : {}),
        language: (parsed.language && canonicalLanguage(parsed.language)) || "en",
      },
      fallbackTitle,
      metadataLines: { ...(parsed.titleLine ? { title: parsed.titleLine } : {}), ...(parsed.authorLine ? { author: parsed.authorLine } : {}) },
      messages,
    });
    if (!parsed.title) {
      messages.push({
        severity: "info",
        rule: "title-from-file-name",
        reason: `no title line found; the title is "${fallbackTitle}" from the file name (a Markdown file with front matter can set it)`,
        source: "read",
        file,
      });
    }
  }
  if (document.words === 0) {
    throw new LecternError("INPUT", "has no text to convert", { file, hint: "the file holds no words outside front matter, code or markup" });
  }
  // The digest of exactly the text parsed: a file saved again after this read cannot make the
  // EPUB/PDF cache file this document's output under the new text's key.
  return { ...document, sourceDigest: createHash("sha256").update(format).update("\0").update(text).digest("hex") };
}

/**
 * UTF-8 decoding with a decision documented in the README: invalid byte sequences are replaced
 * with U+FFFD and a warning says how many; a file with NUL bytes is binary and refused.
 */
function decodeText(bytes: Buffer, file: string, messages: Message[]): string {
  if (bytes.length === 0) throw new LecternError("INPUT", "is empty", { file });
  const probe = bytes.subarray(0, 65536);
  if (probe.includes(0)) {
    throw new LecternError("INPUT", "is a binary file, not text", { file, hint: "Lectern reads UTF-8 Markdown or plain text" });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("utf-8").decode(bytes);
    const replaced = countInvalidSequences(bytes);
    const firstBad = text.indexOf("\uFFFD");
    const line = firstBad >= 0 ? text.slice(0, firstBad).split("\n").length : undefined;
    messages.push({
      severity: "warning",
      rule: "invalid-utf8",
      reason: `the file is not valid UTF-8: ${replaced} invalid byte sequence${replaced === 1 ? " was" : "s were"} replaced with U+FFFD (re-save the file as UTF-8)`,
      source: "read",
      file,
      ...(line ? { line } : {}),
    });
  }
  text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (text.trim() === "") throw new LecternError("INPUT", "holds only white space", { file });
  return text;
}

function countInvalidSequences(bytes: Buffer): number {
  // Decoding without `fatal` inserts one U+FFFD per maximal invalid subsequence (WHATWG);
  // valid U+FFFD characters already in the file are subtracted.
  const decoded = new TextDecoder("utf-8").decode(bytes);
  const present = (bytes.toString("latin1").match(/\xEF\xBF\xBD/g) ?? []).length;
  return (decoded.match(/\uFFFD/g) ?? []).length - present;
}

/** `000_the-long-road.txt` → `The Long Road`. */
function titleFromFileName(file: string): string {
  const stem = basename(file, extname(file)).replace(/[_-]+/g, " ").replace(/\s+/g, " ").trim();
  return stem ? stem.charAt(0).toUpperCase() + stem.slice(1) : "Untitled";
}
