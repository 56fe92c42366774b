// Reading a source file: checks that it is a document, decodes it, and picks the reader.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import { LecternError, type Message } from "../messages.js";
import { canonicalLanguage, type FrontMatter } from "./front-matter.js";
import { quotedValue } from "./display-text.js";
import { decideLanguage, defaultLanguage } from "./language.js";
import { liftLanguageSpans } from "./language-spans.js";
import { parseMarkdown } from "./markdown.js";
import { localizeAdmonitions } from "./mdx-syntax.js";
import {
  checkOverrides,
  mergeMetadataLayers,
  readMetadataFile,
  sidecarMetadataFile,
  type MetadataLayer,
  type MetadataOverrides,
  type OverridesOrigin,
} from "./metadata-sources.js";
import { checkSourceNesting, checkTreeNesting } from "./nesting.js";
import type { LecternDocument, MetadataSources, SourceFormat } from "./model.js";
import { parsePlainText } from "./plain-text.js";
import { localizeEndMatter, sectionize } from "./sections.js";
import { applyTypography } from "./typography.js";

/** File extensions Lectern reads, and the reader for each. */
export const sourceExtensions: Readonly<Record<string, SourceFormat>> = {
  ".md": "markdown",
  ".markdown": "markdown",
  // MDX (Docusaurus, Nextra) is Markdown with imports, JSX and admonitions: read as Markdown,
  // its site-only syntax taken out (src/document/mdx-syntax.ts).
  ".mdx": "markdown",
  ".txt": "text",
  ".text": "text",
};

/** Largest source file accepted; past it a clear error beats minutes of work and gigabytes of memory. */
export const maxSourceBytes = 20 * 1024 * 1024;

/** Metadata from outside the document, for `readDocument` (and `build`, which passes them on). */
export interface ReadOptions {
  /**
   * Metadata that wins over the document's own (front matter, a title page, the file name).
   * Checked and cleaned as front matter is; a malformed `language` or `date`, or an empty
   * value, is a CONFIG error naming `metadata.<key>`. Default: none.
   */
  readonly metadata?: MetadataOverrides;
  /**
   * A YAML file of metadata with the front matter keys (`title`, `author`, `lang`…), for
   * documents that cannot hold front matter (plain text) or a batch sharing one author.
   * Front matter and `<name>.yaml` beside the document win over it; `metadata` wins over all.
   * Default: none (a `<name>.yaml` or `<name>.yml` beside the document is always read).
   */
  readonly metadataFile?: string;
  /**
   * Who gave `metadata`: `options` (default) or `command line`, which makes its errors USAGE
   * errors naming the flags (`--lang`) and records `command line` in the manifest.
   */
  readonly metadataOrigin?: OverridesOrigin;
  /**
   * Curly quotes, dashes (`--` → –, `---` → —) and ellipses (`...` → …) by the document's
   * language, outside code and URLs (src/document/typography.ts). Default: true; false
   * (`--no-smart`) keeps the characters the source has.
   */
  readonly smartTypography?: boolean;
}

/** Metadata from outside the text, already checked: overrides first, then metadata files, nearest first. */
export interface ExternalMetadata {
  readonly overrides?: MetadataLayer;
  readonly files: readonly MetadataLayer[];
}

export interface ReadResult {
  readonly document: LecternDocument;
  /** Warnings found while reading (replaced bytes, bad front matter values…). */
  readonly messages: Message[];
}

/**
 * Reads and parses one source document. Throws `LecternError` (INPUT or CONFIG) with a
 * one-line reason when the file is missing, unreadable, not text, empty, or malformed.
 */
export async function readDocument(path: string, options: ReadOptions = {}): Promise<ReadResult> {
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
  const external = await readExternalMetadata(file, options, messages);
  return { document: parseSource(text, file, format, messages, external, options.smartTypography ?? true), messages };
}

/**
 * The metadata from outside the text: the overrides, the `<name>.yaml` beside the document,
 * then `metadataFile` (the nearer, more specific file first: a batch's shared file gives the
 * author, each document's own gives its title).
 */
export async function readExternalMetadata(file: string, options: ReadOptions, messages: Message[]): Promise<ExternalMetadata> {
  const files: MetadataLayer[] = [];
  const sidecar = await sidecarMetadataFile(file, messages);
  const explicit = options.metadataFile === undefined ? undefined : resolve(options.metadataFile);
  if (sidecar !== undefined && sidecar !== explicit) files.push(await readMetadataFile(sidecar, messages));
  if (explicit !== undefined) files.push(await readMetadataFile(explicit, messages));
  return {
    ...(options.metadata ? { overrides: checkOverrides(options.metadata, options.metadataOrigin ?? "options", file, messages) } : {}),
    files,
  };
}

/** Deepest nesting accepted (src/document/nesting.ts); re-exported where it was first defined. */
export { maxNestingDepth } from "./nesting.js";

/** Parses already-decoded source text; exported for tests and for callers holding text in memory. */
export function parseSource(
  text: string,
  file: string,
  format: SourceFormat,
  messages: Message[] = [],
  external: ExternalMetadata = { files: [] },
  smartTypography = true,
): LecternDocument {
  if (format === "markdown") checkSourceNesting(text, file);
  const fallbackTitle = titleFromFileName(file);
  // Precedence, one rule for both formats: overrides > front matter > metadata files > inferred.
  const above = external.overrides ? [external.overrides] : [];
  let document: LecternDocument;
  let sources: Partial<Record<keyof FrontMatter, string>>;
  // The language the command line, front matter, a metadata file or a Gutenberg header gives;
  // without one it is read from the sectioned prose below (sectionize does not use it).
  let declaredLanguage: string | undefined;
  if (format === "markdown") {
    const parsed = parseMarkdown(text, file);
    checkTreeNesting(parsed.tree, file);
    // Once, before sections are cut: every writer reads a passage's language from the same node.
    liftLanguageSpans(parsed.tree);
    messages.push(...parsed.messages);
    const merged = mergeMetadataLayers([...above, { source: "front matter", metadata: parsed.frontMatter }, ...external.files]);
    sources = merged.sources;
    const { title, language, ...rest } = merged.metadata;
    declaredLanguage = language;
    document = sectionize({
      path: file,
      directory: dirname(file),
      format,
      tree: parsed.tree,
      metadata: { ...rest, ...(title ? { title } : {}), language: language ?? defaultLanguage },
      fallbackTitle,
      messages,
    });
  } else {
    const parsed = parsePlainText(text);
    checkTreeNesting(parsed.tree, file);
    const language = parsed.language && canonicalLanguage(parsed.language);
    const inferred: FrontMatter = {
      ...(parsed.title ? { title: parsed.title } : {}),
      ...(parsed.author ? { author: parsed.author } : {}),
      ...(parsed.description ? { description: parsed.description } : {}),
      ...(language ? { language } : {}),
    };
    const merged = mergeMetadataLayers([...above, ...external.files, { source: "inferred", metadata: inferred }]);
    sources = merged.sources;
    const { title, language: mergedLanguage, ...rest } = merged.metadata;
    declaredLanguage = mergedLanguage;
    // The lines of the title page, for a warning when a value found there is cut; not for a value given elsewhere.
    const lines = {
      ...(parsed.titleLine && sources.title === "inferred" ? { title: parsed.titleLine } : {}),
      ...(parsed.authorLine && sources.author === "inferred" ? { author: parsed.authorLine } : {}),
    };
    document = sectionize({
      path: file,
      directory: dirname(file),
      format,
      tree: parsed.tree,
      metadata: { ...rest, ...(title ? { title } : {}), language: mergedLanguage ?? defaultLanguage },
      fallbackTitle,
      metadataLines: lines,
      messages,
    });
    if (!title) {
      messages.push({
        severity: "info",
        rule: "title-from-file-name",
        reason: `no title line found; the title is "${quotedValue(document.metadata.title)}" from the file name (a Markdown file with front matter can set it)`,
        source: "read",
        file,
      });
    }
  }
  if (document.words === 0) {
    throw new LecternError("INPUT", "has no text to convert", { file, hint: "the file holds no words outside front matter, code or markup" });
  }
  const decided = decideLanguage(declaredLanguage, document.sections, file, messages);
  document = localizeAdmonitions(localizeEndMatter({ ...document, metadata: { ...document.metadata, language: decided.language } }));
  if (smartTypography) document = applyTypography(document, decided.language);
  // What the document says or implies, and where the rest came from (the manifest records it).
  const metadataSources: MetadataSources = {
    title: sources.title ?? "inferred",
    language: sources.language ?? decided.source ?? "default",
    ...Object.fromEntries(Object.entries(sources).filter(([field]) => field !== "title" && field !== "language")),
    ...(document.metadata.description !== undefined && sources.description === undefined ? { description: "inferred" } : {}),
    // An author named by the closing bio (src/document/sections.ts) is found while sectioning, after the layers merged.
    ...(document.metadata.author !== undefined && sources.author === undefined ? { author: "inferred" } : {}),
  };
  // The digest of exactly the text parsed: a file saved again after this read cannot make the
  // EPUB/PDF cache file this document's output under the new text's key. The metadata is in it
  // too: a `--title`, or an edit to the `.yaml` beside the document, changes what is written;
  // so is `smartTypography`, which changes every quote of the outputs.
  return {
    ...document,
    metadataSources,
    sourceDigest: createHash("sha256")
      .update(format)
      .update("\0")
      .update(text)
      .update("\0")
      .update(smartTypography ? "smart" : "straight")
      .update("\0")
      .update(JSON.stringify(document.metadata))
      .digest("hex"),
  };
}

/**
 * UTF-8 decoding with a decision documented in the README: invalid byte sequences are replaced
 * with U+FFFD and a warning says how many; UTF-16 and UTF-32 are refused, named, with how to re-save them;
 * a file with a NUL byte anywhere is binary and refused.
 */
function decodeText(bytes: Buffer, file: string, messages: Message[]): string {
  if (bytes.length === 0) throw new LecternError("INPUT", "is empty", { file });
  refuseWideEncodings(bytes, file);
  // The whole file: a NUL byte anywhere (not only in the first 64 KB) means it is not text.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = bytes.subarray(0, nul).toString("latin1").split("\n").length;
    throw new LecternError("INPUT", `is a binary file, not text (a NUL byte at byte ${nul.toLocaleString("en")})`, {
      file,
      line,
      hint: "Lectern reads UTF-8 Markdown or plain text",
    });
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

/**
 * UTF-16 text (Windows Notepad's "Unicode", Word's "Unicode Text") and UTF-32 are refused with
 * what they are and how to re-save them, rather than called binary: found by the byte order
 * mark, or without one by where the NUL bytes of ASCII letters fall in the first kilobytes (one
 * of every two bytes in UTF-16, three of every four in UTF-32). UTF-32 is tested first: its
 * little-endian mark FF FE 00 00 begins with UTF-16's FF FE. The iconv hint names the source
 * encoding that decodes the file: with a mark iconv reads the order from it; without one plain
 * `UTF-16`/`UTF-32` means big-endian to iconv, so the order is named.
 * Lectern does not decode them: one documented input encoding keeps every tool that reads the
 * same file agreeing on its text, and the fix is one "Save as UTF-8".
 */
function refuseWideEncodings(bytes: Buffer, file: string): void {
  const found = wideEncoding(bytes);
  if (found === undefined) return;
  const { name, order, bom } = found;
  const source = bom ? name : `${name}${order}`;
  const notepad = name === "UTF-16" ? "in Notepad choose File › Save as › Encoding: UTF-8; " : "";
  throw new LecternError("INPUT", `is ${name} text (${order === "LE" ? "little" : "big"}-endian${bom ? ", with a byte order mark" : ""}); Lectern reads UTF-8`, {
    file,
    hint: `re-save it as UTF-8: ${notepad}in VS Code click the encoding in the status bar › Save with Encoding › UTF-8; or run \`iconv -f ${source} -t UTF-8 in.md > out.md\``,
  });
}

interface WideEncoding {
  readonly name: "UTF-16" | "UTF-32";
  readonly order: "LE" | "BE";
  readonly bom: boolean;
}

function wideEncoding(bytes: Buffer): WideEncoding | undefined {
  const starts = (...prefix: number[]): boolean => prefix.every((byte, index) => bytes[index] === byte);
  if (starts(0xff, 0xfe, 0x00, 0x00)) return { name: "UTF-32", order: "LE", bom: true };
  if (starts(0x00, 0x00, 0xfe, 0xff)) return { name: "UTF-32", order: "BE", bom: true };
  // Without a mark: in each unit of 4 (or 2) bytes, the NULs are where the high bytes are, in
  // nearly every unit, and almost never where the low byte is. In UTF-32 that is the upper two
  // bytes of every character below U+10000, whatever the script; in UTF-16 the upper byte of
  // ASCII letters. UTF-32 without a mark is looked for before UTF-16's marks: little-endian
  // UTF-32 text opening with U+FFFE begins FE FF 00 00, which is UTF-16's big-endian mark.
  const unmarked32 = unmarkedWideEncoding(bytes, "UTF-32", 4);
  if (unmarked32) return unmarked32;
  if (starts(0xff, 0xfe)) return { name: "UTF-16", order: "LE", bom: true };
  if (starts(0xfe, 0xff)) return { name: "UTF-16", order: "BE", bom: true };
  return unmarkedWideEncoding(bytes, "UTF-16", 2);
}

function unmarkedWideEncoding(bytes: Buffer, name: WideEncoding["name"], width: 2 | 4): WideEncoding | undefined {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096) - (Math.min(bytes.length, 4096) % width));
  const units = sample.length / width;
  if (units < 2) return undefined;
  const nulAt = new Array<number>(width).fill(0);
  for (let index = 0; index < sample.length; index++) if (sample[index] === 0) nulAt[index % width]!++;
  const mostly = (count: number) => count >= units * 0.7;
  const rarely = (count: number) => count <= units * 0.05;
  const high = width / 2;
  if (rarely(nulAt[0]!) && nulAt.slice(high).every(mostly)) return { name, order: "LE", bom: false };
  if (rarely(nulAt[width - 1]!) && nulAt.slice(0, width - high).every(mostly)) return { name, order: "BE", bom: false };
  return undefined;
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
