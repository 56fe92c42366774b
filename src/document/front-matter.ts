// Front matter: YAML at the top of a Markdown file, checked and turned into metadata.
import type { Nodes, PhrasingContent } from "mdast";
import { toString } from "mdast-util-to-string";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { parseDocument, isMap, isScalar, type YAMLError } from "yaml";
import {
  boundDisplayText,
  cleanDisplayText,
  quotedValue,
  maxAuthorLength,
  maxAuthorsLength,
  maxDescriptionLength,
  maxKeywordLength,
  maxKeywords,
  maxMetadataLineLength,
  maxTitleLength,
} from "./display-text.js";
import type { DocumentMetadata } from "./model.js";
import { LecternError, type Message } from "../messages.js";

/** Metadata fields the front matter may set; every one optional. */
export type FrontMatter = Partial<Omit<DocumentMetadata, "language" | "pronunciations">> & {
  language?: string;
  pronunciations?: Readonly<Record<string, string>>;
};

export interface FrontMatterResult {
  readonly metadata: FrontMatter;
  readonly messages: Message[];
}

/** The metadata fields a block of metadata (front matter, a metadata file, the command line) may set. */
export type MetadataField = Exclude<keyof FrontMatter, "pronunciations">;

/**
 * Keys accepted for each metadata field (first is the documented one): Pandoc's, and those of
 * Hugo, Jekyll, Eleventy and Docusaurus pages (`summary`, Jekyll's `excerpt`, Pandoc's
 * `abstract`, `tags`, `categories`). The keywords of all three keyword keys are taken together; for every other
 * field the first key present wins.
 */
export const metadataFieldKeys: Readonly<Record<MetadataField, readonly string[]>> = {
  title: ["title"],
  author: ["author", "authors", "creator"],
  language: ["lang", "language"],
  date: ["date"],
  description: ["description", "summary", "excerpt", "abstract"],
  keywords: ["keywords", "tags", "categories"],
  source: ["source", "url"],
  publisher: ["publisher"],
  certifiedBy: ["certifiedBy", "certified-by", "certified_by"],
};
const fieldKeys = metadataFieldKeys;

/**
 * Where a block of metadata was written: names it in messages, and decides what a value the
 * reader cannot use costs. Every origin goes through the same checks and cleaning.
 */
export interface MetadataOrigin {
  /** How messages place a key: `in front matter`, `in meta.yaml`, `on the command line`. */
  readonly where: string;
  /** Prefix of the messages' rule ids: `front-matter` for front matter, `metadata` for the rest. */
  readonly rulePrefix: string;
  /**
   * Set for values a person gave explicitly for this build (the command line, a library
   * caller): a malformed language tag or an impossible date is then this error, not a warning
   * and a fallback — they asked for exactly that value, and a silent `en` would hide the typo.
   */
  readonly strict?: "USAGE" | "CONFIG";
  /** How a key is shown in messages (`--lang` on the command line); default: as written. */
  readonly keyName?: (field: MetadataField, key: string) => string;
}

/** A site's own name for the title, read when there is no `title`: `newstitle`, `pageTitle`, `seo_title`, `headline` — never `subtitle`. */
const siteTitleKey = /^(?!sub)[a-z]*[-_]?title$|^headline$/i;

/** Front matter inside the document. */
export const frontMatterOrigin: MetadataOrigin = { where: "in front matter", rulePrefix: "front-matter" };

/** One value to check: its field, the key it was written under, the value, and its line. */
export interface MetadataEntry {
  readonly field: MetadataField;
  readonly key: string;
  readonly value: unknown;
  readonly line?: number;
}

/**
 * Parses the YAML text of a front matter block (or of a metadata file, with its `origin`).
 * `firstLine` is the line of the opening `---` in the source file (0 for a file of YAML alone),
 * so errors point at the right line. Throws `LecternError` (CONFIG) for YAML that does not
 * parse or a field of the wrong kind.
 */
export function parseFrontMatter(yamlText: string, file: string, firstLine: number, origin: MetadataOrigin = frontMatterOrigin): FrontMatterResult {
  const messages: Message[] = [];
  const yamlDocument = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number | undefined => {
    if (offset === undefined) return undefined;
    return firstLine + 1 + yamlText.slice(0, offset).split("\n").length - 1;
  };
  const what = origin === frontMatterOrigin ? "front matter" : origin.where.replace(/^in /, "");
  const firstError: YAMLError | undefined = yamlDocument.errors[0];
  if (firstError) {
    const line = lineOf(firstError.pos[0]);
    throw new LecternError("CONFIG", `${what} is not valid YAML: ${firstError.message.split("\n")[0]}`, {
      file,
      ...(line ? { line } : {}),
    });
  }
  const root = yamlDocument.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
    return { metadata: {}, messages };
  }
  if (!isMap(root)) {
    throw new LecternError("CONFIG", `${what} must be a mapping of \`key: value\` lines`, {
      file,
      line: firstLine + 1,
    });
  }

  const entries: MetadataEntry[] = [];
  for (const [field, keys] of Object.entries(fieldKeys) as [MetadataField, readonly string[]][]) {
    for (const key of keys) {
      const pair = root.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) continue;
      const node = pair.value;
      const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      // A YAML 1.1 timestamp (`%YAML 1.1`) is read as written: as a Date it would be shifted
      // to UTC, and `2023-04-05T23:30:00-05:00` is the 5th where it was written, not the 6th.
      const asWritten = field === "date" && isScalar(node) && node.value instanceof Date && typeof node.source === "string";
      const value = node === null ? null : asWritten ? (node as { source: string }).source : (node as { toJSON(): unknown }).toJSON();
      entries.push({ field, key, value, ...(line ? { line } : {}) });
      if (field !== "keywords") break;
    }
  }
  // No `title`: a site's own title key (`newstitle`, `pageTitle`, `seo_title`, `headline`) is
  // what its pages show as the title; the first such key is taken.
  if (!entries.some((entry) => entry.field === "title")) {
    const pair = root.items.find((item) => isScalar(item.key) && typeof item.key.value === "string" && siteTitleKey.test(item.key.value) && isScalar(item.value));
    if (pair && isScalar(pair.key)) {
      const line = lineOf(pair.key.range?.[0]);
      entries.push({ field: "title", key: String(pair.key.value), value: (pair.value as { toJSON(): unknown }).toJSON(), ...(line ? { line } : {}) });
    }
  }
  const metadata = checkMetadataEntries(entries, file, origin, messages);
  const pronunciations = readPronunciations(root, file, lineOf, what);
  warnDraft(root, file, lineOf, origin, messages);
  return { metadata: { ...metadata, ...(pronunciations ? { pronunciations } : {}) }, messages };
}

/**
 * `draft: true` (Hugo, Jekyll, Eleventy, Docusaurus): the site does not publish the page yet.
 * Lectern converts it all the same — a draft may be exactly what is being reviewed — and says
 * so, since an unfinished page published by mistake is worse than one more line.
 */
function warnDraft(root: import("yaml").YAMLMap, file: string, lineOf: (offset: number | undefined) => number | undefined, origin: MetadataOrigin, messages: Message[]): void {
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === "draft");
  if (!pair || !isScalar(pair.value) || pair.value.value !== true) return;
  const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
  messages.push({
    severity: "warning",
    rule: `${origin.rulePrefix}-draft`,
    reason: `\`draft: true\` ${origin.where}: the site does not publish this page yet; it is converted all the same (remove the key when it is final)`,
    source: "read",
    file,
    ...(line ? { line } : {}),
  });
}

/**
 * The one check every metadata value goes through, wherever it was written: the kind of
 * value, plain display text (control, bidi and invisible characters removed) bounded in
 * length, a BCP 47 language tag, a real calendar date. Problems name the key, the origin and
 * the line (`meta.yaml:3`, `--lang`); warnings go to `messages`.
 */
export function checkMetadataEntries(entries: readonly MetadataEntry[], file: string | undefined, origin: MetadataOrigin, messages: Message[]): FrontMatter {
  const metadata: Record<string, string> = {};
  const lines: Partial<Record<MetadataField, number>> = {};
  const keys: Partial<Record<MetadataField, string>> = {};
  const shown = (field: MetadataField, key: string) => origin.keyName?.(field, key) ?? key;
  const keywords = keywordList(
    entries.filter((entry) => entry.field === "keywords").map((entry) => ({ ...entry, key: shown(entry.field, entry.key) })),
    file,
    origin,
    messages,
  );
  for (const entry of entries) {
    if (entry.field === "keywords") continue;
    const key = shown(entry.field, entry.key);
    const text = displayField(entry.field, key, fieldText(entry.field, key, entry.value, file, entry.line, messages, origin), file, entry.line, messages, origin);
    if (text === undefined) {
      // Asked for explicitly, an empty value (or one of control characters alone) is a mistake, not "unset".
      if (origin.strict && entry.value !== undefined) {
        throw new LecternError(origin.strict, `Expected \`${key}\` ${origin.where} to be text, got \`${quotedValue(JSON.stringify(entry.value))}\``, {
          hint: "leave it out to use the document's own",
        });
      }
      continue;
    }
    metadata[entry.field] = text;
    keys[entry.field] = key;
    if (entry.line) lines[entry.field] = entry.line;
  }
  const place = (field: MetadataField) => ({ ...(file ? { file } : {}), ...(lines[field] ? { line: lines[field] } : {}) });

  if (metadata.language !== undefined) {
    const written = metadata.language;
    const checked = canonicalLanguage(written);
    const key = keys.language!;
    if (checked === undefined) {
      if (origin.strict) {
        throw new LecternError(origin.strict, `Expected \`${key}\` ${origin.where} to be a BCP 47 language tag, got \`${quotedValue(written)}\``, {
          ...place("language"),
          hint: "write a tag such as `en-US`, `fr` or `pt-BR`",
        });
      }
      messages.push({
        severity: "warning",
        rule: `${origin.rulePrefix}-lang-invalid`,
        reason: `\`${key}\`${origin === frontMatterOrigin ? "" : ` ${origin.where}`} is not a BCP 47 language tag, got \`${quotedValue(written)}\`; using \`en\` (write a tag such as \`en-US\`)`,
        source: "read",
        ...place("language"),
      });
      delete metadata.language;
    } else {
      if (written.includes("_")) {
        // `en_US` is a POSIX locale name, not BCP 47 (RFC 5646 separates subtags with `-`).
        messages.push({
          severity: "warning",
          rule: `${origin.rulePrefix}-lang-normalized`,
          reason: `\`${key}\` \`${quotedValue(written)}\`${origin === frontMatterOrigin ? "" : ` ${origin.where}`} is a POSIX locale name, not a BCP 47 tag; it is read as \`${checked}\` (write \`${checked}\`)`,
          source: "read",
          ...place("language"),
        });
      }
      metadata.language = checked;
    }
  }
  if (metadata.date !== undefined) {
    const written = metadata.date;
    const normalized = normalizeDate(written);
    const key = keys.date!;
    if (normalized === undefined) {
      const problem = calendarProblem(written);
      if (origin.strict) {
        throw new LecternError(origin.strict, `Expected \`${key}\` ${origin.where} to be a date, got \`${quotedValue(written)}\`${problem ? `: ${problem}` : ""}`, {
          ...place("date"),
          hint: "use YYYY-MM-DD, a year from 1 to 9999",
        });
      }
      const where = origin === frontMatterOrigin ? "" : ` ${origin.where}`;
      messages.push({
        severity: "warning",
        rule: `${origin.rulePrefix}-date-invalid`,
        reason: problem
          ? `\`${key}\` \`${quotedValue(written)}\`${where} is not a date: ${problem}; it is ignored`
          : `\`${key}\`${where} is not a date Lectern understands, got \`${quotedValue(written)}\`; it is ignored (use YYYY-MM-DD, a year from 1 to 9999)`,
        source: "read",
        ...place("date"),
      });
      delete metadata.date;
    } else {
      metadata.date = normalized;
    }
  }
  return { ...(metadata as FrontMatter), ...(keywords.length > 0 ? { keywords } : {}) };
}

/**
 * The keywords of every keyword key, in order: a list, or one string — split at commas
 * (`tags: a, b`), or, under Jekyll's `tags` and `categories` without a comma, at spaces
 * (`categories: jekyll update`); `keywords: machine learning` stays one keyword. Each is clean
 * plain text cut to `maxKeywordLength`; repeats (letter case aside) are dropped, and past
 * `maxKeywords` the rest are left out with a warning.
 */
function keywordList(entries: readonly MetadataEntry[], file: string | undefined, origin: MetadataOrigin, messages: Message[]): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const entry of entries) {
    const { key, value, line } = entry;
    const place = { ...(file ? { file } : {}), ...(line ? { line } : {}) };
    let items: unknown[];
    if (value === null || value === undefined) continue;
    if (typeof value === "string") {
      const bySpace = !value.includes(",") && /(^|\b)(tags|categories)$/.test(entry.key);
      items = value.split(bySpace ? /\s+/ : ",");
    } else items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (item === null) continue;
      if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
        throw new LecternError(
          origin.strict ?? "CONFIG",
          `Expected \`${key}\` ${origin.where} to be a word or a list of words, got \`${quotedValue(JSON.stringify(value))}\``,
          place,
        );
      }
      const keyword = boundField(key, cleanDisplayText(String(item)), maxKeywordLength, file, line, messages, origin, "a keyword in it");
      const folded = keyword.normalize("NFKC").toLowerCase();
      if (keyword === "" || seen.has(folded)) continue;
      if (found.length === maxKeywords) {
        dropped++;
        continue;
      }
      seen.add(folded);
      found.push(keyword);
    }
  }
  if (dropped > 0) {
    messages.push({
      severity: "warning",
      rule: `${origin.rulePrefix}-too-many-keywords`,
      reason: `${(maxKeywords + dropped).toLocaleString("en")} keywords ${origin.where}; the first ${maxKeywords} are kept`,
      source: "read",
      ...(file ? { file } : {}),
      ...(entries[0]?.line ? { line: entries[0].line } : {}),
    });
  }
  return found;
}

/** `pronunciations:` (or `lexicon:`): a mapping of written form → spoken form, all text. */
function readPronunciations(
  root: import("yaml").YAMLMap,
  file: string,
  lineOf: (offset: number | undefined) => number | undefined,
  what: string,
): Record<string, string> | undefined {
  const pair = root.items.find((item) => isScalar(item.key) && (item.key.value === "pronunciations" || item.key.value === "lexicon"));
  if (!pair || pair.value === null) return undefined;
  const value = (pair.value as { toJSON(): unknown }).toJSON();
  const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
  const key = isScalar(pair.key) ? String(pair.key.value) : "pronunciations";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LecternError(
      "CONFIG",
      `Expected \`${key}\` in ${what} to map words to how they are said, got \`${quotedValue(JSON.stringify(value))}\` (${Array.isArray(value) ? "list" : typeof value})`,
      {
        file,
        ...(line ? { line } : {}),
      },
    );
  }
  const entries: Record<string, string> = {};
  for (const [written, spoken] of Object.entries(value)) {
    if (typeof spoken !== "string" && typeof spoken !== "number") {
      throw new LecternError(
        "CONFIG",
        `Expected the pronunciation of \`${quotedValue(written)}\` to be text, got \`${quotedValue(JSON.stringify(spoken))}\` (${Array.isArray(spoken) ? "list" : typeof spoken})`,
        {
          file,
          ...(line ? { line } : {}),
        },
      );
    }
    entries[written] = String(spoken);
  }
  return entries;
}

/** Longest value kept per shown field (src/document/display-text.ts); language and date are checked on their own. */
const fieldLimits: Partial<Record<keyof FrontMatter, number>> = {
  title: maxTitleLength,
  author: maxAuthorsLength,
  description: maxDescriptionLength,
  source: maxMetadataLineLength,
  publisher: maxMetadataLineLength,
  certifiedBy: maxMetadataLineLength,
};

/**
 * A shown field as clean plain text (control, bidi and invisible format characters removed,
 * white space collapsed), cut to its limit with a warning naming the key and line.
 */
function displayField(
  field: keyof FrontMatter,
  key: string,
  text: string | undefined,
  file: string | undefined,
  line: number | undefined,
  messages: Message[],
  origin: MetadataOrigin,
): string | undefined {
  if (text === undefined) return undefined;
  const limit = fieldLimits[field];
  if (limit === undefined) return text.trim() || undefined;
  return boundField(key, cleanDisplayText(text), limit, file, line, messages, origin) || undefined;
}

function boundField(
  key: string,
  text: string,
  limit: number,
  file: string | undefined,
  line: number | undefined,
  messages: Message[],
  origin: MetadataOrigin,
  part?: string,
): string {
  const bounded = boundDisplayText(text, limit);
  if (bounded.cut) {
    messages.push({
      severity: "warning",
      rule: `${origin.rulePrefix}-too-long`,
      reason: `\`${key}\` ${origin.where}${part ? ` (${part})` : ""} is ${bounded.length.toLocaleString("en")} characters long; it is cut to ${limit.toLocaleString("en")} at a word, with an ellipsis`,
      source: "read",
      ...(file ? { file } : {}),
      ...(line ? { line } : {}),
    });
  }
  return bounded.text;
}

/** The text of one field, or a CONFIG error naming the key, its line and the bad value's type. */
function fieldText(
  field: keyof FrontMatter,
  key: string,
  value: unknown,
  file: string | undefined,
  line: number | undefined,
  messages: Message[],
  origin: MetadataOrigin,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (field === "author") {
    // A person as Jekyll (`author: {name: …}`), Pandoc (`- name: … affiliation: …`, JATS's
    // `given-names` and `surname`) and Docusaurus (`- name: … title: … url: …`) write one.
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    const names = items.map((item) => personName(item) ?? item);
    if (names.every((name) => typeof name === "string")) {
      // Docusaurus `authors: [slorber]` names keys of the site's authors.yml, which is not the page's to read.
      const keys = origin.strict === undefined && key === "authors" ? (names as string[]).filter(isAuthorsFileKey) : [];
      if (keys.length > 0) {
        messages.push({
          severity: "warning",
          rule: `${origin.rulePrefix}-author-key`,
          reason: `\`${key}\` ${origin.where} names ${keys.map((name) => `\`${quotedValue(name)}\``).join(", ")}: ${keys.length === 1 ? "a key" : "keys"} of the site's authors.yml, which Lectern does not read; left out (write the name, e.g. \`author: Jane Doe\`)`,
          source: "read",
          ...(file ? { file } : {}),
          ...(line ? { line } : {}),
        });
      }
      const shownNames = (names as string[])
        .filter((name) => !keys.includes(name))
        .map((name) => boundField(key, cleanDisplayText(nameAsWritten(name)), maxAuthorLength, file, line, messages, origin, Array.isArray(value) ? "a name in it" : undefined));
      return boundField(key, formatNameList(shownNames), maxAuthorsLength, file, line, messages, origin, Array.isArray(value) ? "the names together" : undefined) || undefined;
    }
  }
  if (typeof value === "string") {
    if (value.trim() === "") return undefined;
    // One name: the limit for a name (a list of names is bounded per name and as a whole).
    return field === "author" ? boundField(key, cleanDisplayText(nameAsWritten(value)), maxAuthorLength, file, line, messages, origin) : value.trim();
  }
  if (typeof value === "number" || typeof value === "boolean") {
    if (field === "date" || field === "title") return String(value);
  }
  if (value instanceof Date && field === "date") {
    // A YAML 1.1 timestamp; a year past 9999 (or an invalid date) has no YYYY-MM-DD form.
    return Number.isNaN(value.getTime()) ? "invalid date" : value.getUTCFullYear() > 9999 ? String(value.getUTCFullYear()) + "-" : value.toISOString().slice(0, 10);
  }
  const kind = Array.isArray(value) ? "list" : value instanceof Date ? "date" : typeof value;
  throw new LecternError(
    origin.strict ?? "CONFIG",
    `Expected \`${key}\` ${origin.where} to be text${field === "author" ? " or a list of names (or of `name:` entries)" : ""}, got \`${quotedValue(JSON.stringify(value))}\` (${kind})`,
    { ...(file ? { file } : {}), ...(line ? { line } : {}) },
  );
}

const inlineMarkdown = unified().use(remarkParse);

/**
 * A name as a reader sees it when the site writes it in Markdown, as many Hugo sites do:
 * `[Martin Kuba](https://github.com/martinkuba) (Lightstep)` is Martin Kuba — the link's text is
 * the person, and a parenthesis after it their employer (what Pandoc calls the affiliation) —
 * and `**Jane Doe**` is Jane Doe. Text without Markdown is returned as it is.
 */
function nameAsWritten(name: string): string {
  // Only a link or strong emphasis makes it Markdown: a name is otherwise text as written
  // (`&amp;`, `<b>` and `_` stay the characters they are).
  if (!/\[[^\]]+\]\([^)]*\)|\*\*[^*]+\*\*|__[^_]+__/.test(name)) return name;
  const paragraph = inlineMarkdown.parse(name).children[0];
  if (paragraph?.type !== "paragraph") return name;
  const parts = paragraph.children.filter((node) => !(node.type === "text" && node.value.trim() === ""));
  const [first, ...rest] = parts;
  const affiliation = (nodes: readonly PhrasingContent[]): boolean => nodes.length === 1 && nodes[0]!.type === "text" && /^\s*\([^()]*\)\s*$/.test(nodes[0]!.value);
  if (first?.type === "link" && (rest.length === 0 || affiliation(rest))) return toString(first);
  return toString(paragraph);
}

/** The name of a person written as a mapping: `name`, else `given-names` and `surname` (Pandoc's JATS). */
function personName(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const person = value as Record<string, unknown>;
  if (typeof person.name === "string") return person.name;
  const parts = [person["given-names"], person.surname].filter((part): part is string => typeof part === "string");
  return parts.length > 0 ? parts.join(" ") : undefined;
}

/**
 * A Docusaurus authors.yml key (`slorber`, `JMarcey`, `joel-marcey`) rather than a name: one
 * ASCII token, all lower case or with a capital inside or a digit, `_`, `-` or `.`. A one-word
 * name (`Madonna`, `李明`) stays a name.
 */
function isAuthorsFileKey(name: string): boolean {
  const token = name.trim();
  return /^[A-Za-z0-9_.-]+$/.test(token) && !/^[A-Z][a-z]+$/.test(token);
}

function formatNameList(names: string[]): string {
  const clean = names.map((name) => name.trim()).filter(Boolean);
  if (clean.length <= 2) return clean.join(" and ");
  return `${clean.slice(0, -1).join(", ")} and ${clean.at(-1)}`;
}

/** Longest language tag accepted; real tags are under 20 characters (RFC 5646 §4.4.1 asks for 35 to be supported). */
const maxLanguageTagLength = 64;

/** Canonical BCP 47 form (`en-us` → `en-US`), or undefined when the tag is malformed. */
export function canonicalLanguage(tag: string): string | undefined {
  const trimmed = tag.trim();
  if (trimmed.length === 0 || trimmed.length > maxLanguageTagLength) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(trimmed.replace(/_/g, "-"));
    return canonical;
  } catch {
    return undefined;
  }
}

const monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** Days in `month` (1–12) of `year`, by the proleptic Gregorian calendar (ISO 8601). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD` when year (1–9999), month and day make a real calendar date, else undefined. */
function calendarDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The parts of a date as written: ISO (`2026-01-05`, with an optional time), `2026/01/05`, `January 5, 2026`, `5 Jan 2026`. */
function dateParts(text: string): { year: number; month: number; day: number } | undefined {
  const trimmed = text.trim();
  const iso = /^(\d{4,})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(trimmed);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  const month = (name: string) => monthNames.findIndex((full) => name.length >= 3 && full.startsWith(name.toLowerCase().replace(/\.$/, ""))) + 1;
  const monthFirst = /^([a-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4,})$/i.exec(trimmed);
  if (monthFirst && month(monthFirst[1]!) > 0) return { year: Number(monthFirst[3]), month: month(monthFirst[1]!), day: Number(monthFirst[2]) };
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+\.?),?\s+(\d{4,})$/i.exec(trimmed);
  if (dayFirst && month(dayFirst[2]!) > 0) return { year: Number(dayFirst[3]), month: month(dayFirst[2]!), day: Number(dayFirst[1]) };
  return undefined;
}

/**
 * `2026-01-05`, `2026-01-05T10:00:00Z`, `2026/1/5`, `January 5, 2026`, `5 Jan 2026` → `2026-01-05`;
 * a year alone (`2026`) stays a year. Dates are checked against the calendar: `2026-02-30` is
 * not 2 March, it is no date (undefined), and neither is a year past 9999, which ISO 8601
 * and the EPUB/PDF date formats cannot write in four digits.
 */
export function normalizeDate(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^\d{4}$/.test(trimmed)) return trimmed === "0000" ? undefined : trimmed;
  const parts = dateParts(trimmed);
  return parts && calendarDate(parts.year, parts.month, parts.day);
}

/** Why a date-shaped value is no date (`February 2026 has 28 days, not 30`), or undefined when it is not date-shaped. */
function calendarProblem(text: string): string | undefined {
  const parts = dateParts(text);
  if (!parts) return /^\d{5,}$/.test(text.trim()) ? "years past 9999 cannot be written" : undefined;
  if (parts.year < 1 || parts.year > 9999) return `the year ${parts.year} is outside 1–9999`;
  if (parts.month < 1 || parts.month > 12) return `there is no month ${parts.month}`;
  const days = daysInMonth(parts.year, parts.month);
  return `${monthNames[parts.month - 1]!.replace(/^./, (letter) => letter.toUpperCase())} ${parts.year} has ${days} days, not ${parts.day}`;
}

/**
 * remark-frontmatter's `toml` node (`+++` … `+++`), which mdast's types do not list: it is
 * the document's metadata, never its text (sections.ts skips front matter nodes).
 */
export function isToml(node: { type: string }): node is { type: "toml"; value: string; position?: Nodes["position"] } {
  return node.type === "toml";
}
