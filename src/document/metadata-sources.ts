// Metadata from outside the document — the command line (or a library caller), a metadata
// file, a `<name>.yaml` beside it — checked like front matter and merged with the document's
// own by one precedence: command line > front matter > metadata file > inferred.
import { lstat } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { readUntrustedFile } from "../files/untrusted-file.js";
import { LecternError, type Message } from "../messages.js";
import { quotedValue } from "./display-text.js";
import { checkMetadataEntries, metadataFieldKeys, parseFrontMatter, type FrontMatter, type MetadataEntry, type MetadataField, type MetadataOrigin } from "./front-matter.js";

/**
 * Metadata given for one build, winning over everything the document says or implies. Every
 * value goes through the same checks and cleaning as front matter (plain text bounded in
 * length, a BCP 47 tag, a real calendar date); a malformed tag or date is an error here, not
 * a warning, since it was asked for explicitly.
 */
export interface MetadataOverrides {
  /** Display title (front matter `title`). */
  readonly title?: string;
  /** Authors' names, in order; shown joined (`A, B and C`), as a front matter list is. */
  readonly authors?: readonly string[];
  /** BCP 47 language tag (`en-US`); picks the speech voice and the PDF paper. */
  readonly language?: string;
  /** Publication date: `2026-02-13`, `January 5, 2026`, or a year; checked against the calendar. */
  readonly date?: string;
  /** One-paragraph description. */
  readonly description?: string;
  /** Subject keywords: a list, or one string of them separated by commas. */
  readonly keywords?: string | readonly string[];
  /** Where the text comes from (URL or citation). */
  readonly source?: string;
  readonly publisher?: string;
  /** The accessibility evaluator — only when a real one certified the publication. */
  readonly certifiedBy?: string;
}

/** The `MetadataOverrides` key for each metadata field. */
const overrideKeys: Readonly<Record<MetadataField, keyof MetadataOverrides>> = {
  title: "title",
  author: "authors",
  language: "language",
  date: "date",
  description: "description",
  keywords: "keywords",
  source: "source",
  publisher: "publisher",
  certifiedBy: "certifiedBy",
};

/** Where a value of the final metadata came from, as the manifest's `metadataSources` records it. */
export type MetadataSourceName = "command line" | "options" | "front matter" | "inferred" | "default" | (string & {});

/** Who gave `MetadataOverrides`: the CLI (`command line`, keys shown as flags) or a library caller (`options`). */
export type OverridesOrigin = "command line" | "options";

/** The command-line flag of each field (`--metadata key=value` takes the front matter keys too). */
export const metadataFlags: Readonly<Record<MetadataField, string>> = {
  title: "--title",
  author: "--author",
  language: "--lang",
  date: "--date",
  description: "--description",
  keywords: "--metadata keywords",
  source: "--metadata source",
  publisher: "--metadata publisher",
  certifiedBy: "--metadata certifiedBy",
};

function overridesOrigin(origin: OverridesOrigin, flags: Partial<Record<MetadataField, string>>): MetadataOrigin {
  return origin === "command line"
    ? { where: "on the command line", rulePrefix: "metadata", strict: "USAGE", keyName: (field) => flags[field] ?? metadataFlags[field] }
    : { where: "in the build options", rulePrefix: "metadata", strict: "CONFIG", keyName: (field) => `metadata.${overrideKeys[field]}` };
}

/** A checked block of metadata and the name its values are recorded under. */
export interface MetadataLayer {
  readonly source: MetadataSourceName;
  readonly metadata: FrontMatter;
}

/**
 * Checks overrides as front matter is checked. `file` is the document the warnings are about;
 * `flags` names the flag that gave a field when it was not its own (`--metadata lang`).
 * Throws `LecternError` (USAGE from the command line, CONFIG from a caller) naming the flag or
 * option for a malformed language tag or date, or an empty value.
 */
export function checkOverrides(
  overrides: MetadataOverrides,
  origin: OverridesOrigin,
  file: string | undefined,
  messages: Message[],
  flags: Partial<Record<MetadataField, string>> = {},
): MetadataLayer {
  const entries: MetadataEntry[] = [];
  for (const [field, key] of Object.entries(overrideKeys) as [MetadataField, keyof MetadataOverrides][]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (field === "author" && (!Array.isArray(value) || value.length === 0)) {
      throw new LecternError(
        origin === "command line" ? "USAGE" : "CONFIG",
        `Expected \`${origin === "command line" ? "--author" : "metadata.authors"}\` to be a list of names, got \`${quotedValue(JSON.stringify(value))}\``,
      );
    }
    // One name is a name, several a list: the same two shapes front matter takes.
    entries.push({ field, key, value: Array.isArray(value) && value.length === 1 ? value[0] : value });
  }
  return { source: origin, metadata: checkMetadataEntries(entries, file, overridesOrigin(origin, flags), messages) };
}

/** The front matter keys `--metadata key=value` takes (`lang`, `author`…), and their fields. */
export function metadataFieldOfKey(key: string): MetadataField | undefined {
  for (const [field, keys] of Object.entries(metadataFieldKeys) as [MetadataField, readonly string[]][]) {
    if (keys.includes(key)) return field;
  }
  return undefined;
}

/** The keys `--metadata` knows, for its usage error. */
export const knownMetadataKeys: readonly string[] = Object.values(metadataFieldKeys).map((keys) => keys[0]!);

/** Largest metadata file read: metadata is a few lines; a bigger file is not one. */
export const maxMetadataFileBytes = 1024 * 1024;

/**
 * The metadata file beside a document: `<name>.yaml`, else `<name>.yml`, in the document's
 * folder (`notes.txt` → `notes.yaml`). Undefined when there is none; when both are there,
 * `.yaml` is read and a warning says the `.yml` is not.
 */
export async function sidecarMetadataFile(documentPath: string, messages: Message[] = []): Promise<string | undefined> {
  const stem = basename(documentPath, extname(documentPath));
  const found: string[] = [];
  for (const extension of [".yaml", ".yml"]) {
    const candidate = join(dirname(documentPath), stem + extension);
    if (
      await lstat(candidate).then(
        () => true,
        () => false,
      )
    )
      found.push(candidate);
  }
  if (found.length === 2) {
    messages.push({
      severity: "warning",
      rule: "metadata-file-ignored",
      reason: `${basename(found[1]!)} is not read: ${basename(found[0]!)} beside it is the document's metadata file (keep one)`,
      source: "read",
      file: found[1]!,
    });
  }
  return found[0];
}

/**
 * Reads and checks a metadata file: YAML with the front matter keys, no `---` needed.
 * It is untrusted input like the document: a regular file (a link is not followed, so a
 * document folder cannot point it elsewhere), at most 1 MB, UTF-8; values are checked as front
 * matter's, and errors name the file and the line (`meta.yaml:3`).
 */
export async function readMetadataFile(path: string, messages: Message[]): Promise<MetadataLayer> {
  const file = resolve(path);
  // Opened once, without following a link or blocking on a FIFO, and checked on the handle.
  const read = await readUntrustedFile(file, maxMetadataFileBytes);
  if (read.kind === "missing") throw new LecternError("CONFIG", "no such metadata file", { file });
  if (read.kind === "refused") {
    throw new LecternError("CONFIG", `the metadata file ${read.reason.replace(/^it /, "")}`, {
      file,
      hint: "put a regular UTF-8 YAML file of at most 1 MB there",
    });
  }
  const bytes = read.bytes;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new LecternError("CONFIG", "the metadata file is not UTF-8 text", { file, hint: "re-save it as UTF-8" });
  }
  // A file written as front matter (between `---` lines) reads the same: YAML's own document markers.
  const name = basename(file);
  const { metadata, messages: found } = parseFrontMatter(text.replace(/^\uFEFF/, ""), file, 0, { where: `in ${name}`, rulePrefix: "metadata" });
  messages.push(...found);
  return { source: name, metadata };
}

/**
 * Merges layers, first wins per field, and records which layer each field came from.
 * Pronunciations merge entry by entry, the earlier layer's winning.
 */
export function mergeMetadataLayers(layers: readonly MetadataLayer[]): { metadata: FrontMatter; sources: Partial<Record<MetadataField, MetadataSourceName>> } {
  const metadata: Record<string, unknown> = {};
  const sources: Partial<Record<MetadataField, MetadataSourceName>> = {};
  let pronunciations: Record<string, string> | undefined;
  for (const layer of [...layers].reverse()) {
    if (layer.metadata.pronunciations) pronunciations = { ...pronunciations, ...layer.metadata.pronunciations };
  }
  for (const layer of layers) {
    for (const field of Object.keys(metadataFieldKeys) as MetadataField[]) {
      const value = layer.metadata[field];
      if (value === undefined || field in metadata) continue;
      metadata[field] = value;
      sources[field] = layer.source;
    }
  }
  return { metadata: { ...(metadata as FrontMatter), ...(pronunciations ? { pronunciations } : {}) }, sources };
}
