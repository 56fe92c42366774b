// Front matter: YAML at the top of a Markdown file, checked and turned into metadata.
import { parseDocument, isMap, isScalar, YAMLError } from "yaml";
import { boundDisplayText, cleanDisplayText, maxAuthorLength, maxAuthorsLength, maxDescriptionLength, maxMetadataLineLength, maxTitleLength } from "./display-text.js";
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

/** Keys accepted for each metadata field (first is the documented one). */
const fieldKeys: Record<Exclude<keyof FrontMatter, "pronunciations">, readonly string[]> = {
  title: ["title"],
  author: ["author", "authors", "creator"],
  language: ["lang", "language"],
  date: ["date"],
  description: ["description", "summary"],
  source: ["source", "url"],
  publisher: ["publisher"],
  certifiedBy: ["certifiedBy", "certified-by", "certified_by"],
};

/**
 * Parses the YAML text of a front matter block. `firstLine` is the line of the opening
 * `---` in the source file, so errors point at the right line of the document.
 * Throws `LecternError` (CONFIG) for YAML that does not parse or a field of the wrong kind.
 */
export function parseFrontMatter(yamlText: string, file: string, firstLine: number): FrontMatterResult {
  const messages: Message[] = [];
  const yamlDocument = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number | undefined => {
    if (offset === undefined) return undefined;
    return firstLine + 1 + yamlText.slice(0, offset).split("\n").length - 1;
  };
  const firstError: YAMLError | undefined = yamlDocument.errors[0];
  if (firstError) {
    const line = lineOf(firstError.pos[0]);
    throw new LecternError("CONFIG", `front matter is not valid YAML: ${firstError.message.split("\n")[0]}`, {
      file,
      ...(line ? { line } : {}),
    });
  }
  const root = yamlDocument.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
    return { metadata: {}, messages };
  }
  if (!isMap(root)) {
    throw new LecternError("CONFIG", "front matter must be a mapping of `key: value` lines", {
      file,
      line: firstLine + 1,
    });
  }

  const metadata: Record<string, string> = {};
  for (const [field, keys] of Object.entries(fieldKeys) as [Exclude<keyof FrontMatter, "pronunciations">, readonly string[]][]) {
    for (const key of keys) {
      const pair = root.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) continue;
      const node = pair.value;
      const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      const value = node === null ? null : (node as { toJSON(): unknown }).toJSON();
      const text = displayField(field, key, fieldText(field, key, value, file, line, messages), file, line, messages);
      if (text !== undefined) metadata[field] = text;
      break;
    }
  }

  const pronunciations = readPronunciations(root, file, lineOf);

  if (metadata.language !== undefined) {
    const checked = canonicalLanguage(metadata.language);
    if (checked === undefined) {
      const pair = root.items.find((item) => isScalar(item.key) && fieldKeys.language.includes(String(item.key.value)));
      const line = lineOf(pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      messages.push({
        severity: "warning",
        rule: "front-matter-lang-invalid",
        reason: `\`lang\` is not a BCP 47 language tag, got \`${metadata.language}\`; using \`en\``,
        source: "read",
        file,
        ...(line ? { line } : {}),
      });
      delete metadata.language;
    } else {
      metadata.language = checked;
    }
  }
  if (metadata.date !== undefined) {
    const normalized = normalizeDate(metadata.date);
    if (normalized === undefined) {
      messages.push({
        severity: "warning",
        rule: "front-matter-date-invalid",
        reason: `\`date\` is not a date Lectern understands, got \`${metadata.date}\`; it is ignored (use YYYY-MM-DD)`,
        source: "read",
        file,
      });
      delete metadata.date;
    } else {
      metadata.date = normalized;
    }
  }
  return { metadata: { ...(metadata as FrontMatter), ...(pronunciations ? { pronunciations } : {}) }, messages };
}

/** `pronunciations:` (or `lexicon:`): a mapping of written form → spoken form, all text. */
function readPronunciations(
  root: import("yaml").YAMLMap,
  file: string,
  lineOf: (offset: number | undefined) => number | undefined,
): Record<string, string> | undefined {
  const pair = root.items.find((item) => isScalar(item.key) && (item.key.value === "pronunciations" || item.key.value === "lexicon"));
  if (!pair || pair.value === null) return undefined;
  const value = (pair.value as { toJSON(): unknown }).toJSON();
  const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
  const key = isScalar(pair.key) ? String(pair.key.value) : "pronunciations";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LecternError("CONFIG", `Expected \`${key}\` in front matter to map words to how they are said, got \`${JSON.stringify(value)}\` (${Array.isArray(value) ? "list" : typeof value})`, {
      file,
      ...(line ? { line } : {}),
    });
  }
  const entries: Record<string, string> = {};
  for (const [written, spoken] of Object.entries(value)) {
    if (typeof spoken !== "string" && typeof spoken !== "number") {
      throw new LecternError("CONFIG", `Expected the pronunciation of \`${written}\` to be text, got \`${JSON.stringify(spoken)}\` (${Array.isArray(spoken) ? "list" : typeof spoken})`, {
        file,
        ...(line ? { line } : {}),
      });
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
  file: string,
  line: number | undefined,
  messages: Message[],
): string | undefined {
  if (text === undefined) return undefined;
  const limit = fieldLimits[field];
  if (limit === undefined) return text.trim() || undefined;
  return boundField(key, cleanDisplayText(text), limit, file, line, messages) || undefined;
}

function boundField(key: string, text: string, limit: number, file: string, line: number | undefined, messages: Message[], part?: string): string {
  const bounded = boundDisplayText(text, limit);
  if (bounded.cut) {
    messages.push({
      severity: "warning",
      rule: "front-matter-too-long",
      reason: `\`${key}\` in front matter${part ? ` (${part})` : ""} is ${bounded.length.toLocaleString("en")} characters long; it is cut to ${limit.toLocaleString("en")} at a word, with an ellipsis`,
      source: "read",
      file,
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
  file: string,
  line: number | undefined,
  messages: Message[],
): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    if (value.trim() === "") return undefined;
    // One name: the limit for a name (a list of names is bounded per name and as a whole).
    return field === "author" ? boundField(key, cleanDisplayText(value), maxAuthorLength, file, line, messages) : value.trim();
  }
  if (typeof value === "number" || typeof value === "boolean") {
    if (field === "date" || field === "title") return String(value);
  }
  if (value instanceof Date && field === "date") return value.toISOString().slice(0, 10);
  if (field === "author" && Array.isArray(value) && value.every((item) => typeof item === "string")) {
    const names = (value as string[]).map((name) => boundField(key, cleanDisplayText(name), maxAuthorLength, file, line, messages, "a name in it"));
    return boundField(key, formatNameList(names), maxAuthorsLength, file, line, messages, "the names together");
  }
  const kind = Array.isArray(value) ? "list" : value instanceof Date ? "date" : typeof value;
  throw new LecternError(
    "CONFIG",
    `Expected \`${key}\` in front matter to be text${field === "author" ? " or a list of names" : ""}, got \`${JSON.stringify(value)}\` (${kind})`,
    { file, ...(line ? { line } : {}) },
  );
}

function formatNameList(names: string[]): string {
  const clean = names.map((name) => name.trim()).filter(Boolean);
  if (clean.length <= 2) return clean.join(" and ");
  return `${clean.slice(0, -1).join(", ")} and ${clean.at(-1)}`;
}

/** Canonical BCP 47 form (`en-us` → `en-US`), or undefined when the tag is malformed. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim().replace(/_/g, "-"));
    return canonical;
  } catch {
    return undefined;
  }
}

/** `2026-01-05`, `2026-01-05T10:00:00Z` or `January 5, 2026` → `2026-01-05`. */
export function normalizeDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (iso) {
    const [, year, month, day] = iso;
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day) ? undefined : `${year}-${month}-${day}`;
  }
  if (/^\d{4}$/.test(text.trim())) return text.trim();
  const parsed = Date.parse(`${text.trim()} 12:00 UTC`);
  if (Number.isNaN(parsed)) return undefined;
  return new Date(parsed).toISOString().slice(0, 10);
}
