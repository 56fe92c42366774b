// TOML front matter (`+++` … `+++`), Hugo's default: the same metadata keys and the same
// checks as YAML front matter (src/document/front-matter.ts), parsed by smol-toml.
import { parse, TomlError } from "smol-toml";
import { LecternError, type Message } from "../messages.js";
import { checkMetadataEntries, frontMatterOrigin, metadataFieldKeys, type FrontMatterResult, type MetadataEntry, type MetadataField } from "./front-matter.js";

/**
 * Parses the TOML text of a front matter block. `firstLine` is the line of the opening `+++`,
 * so messages point at the right line. Throws `LecternError` (CONFIG) for TOML that does not
 * parse or a field of the wrong kind.
 */
export function parseTomlFrontMatter(tomlText: string, file: string, firstLine: number): FrontMatterResult {
  const messages: Message[] = [];
  let root: Record<string, unknown>;
  try {
    root = parse(tomlText) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new LecternError("CONFIG", `front matter is not valid TOML: ${error.message.split("\n")[0]}`, { file, line: firstLine + error.line });
  }
  const lines = tomlText.split("\n");
  /** The source line of a top-level `key = …`, and the text after its `=`. */
  const where = (key: string): { line?: number; raw?: string } => {
    const index = lines.findIndex((text) => new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*=`).test(text));
    return index < 0 ? {} : { line: firstLine + 1 + index, raw: lines[index]!.slice(lines[index]!.indexOf("=") + 1).trim() };
  };
  const entries: MetadataEntry[] = [];
  for (const [field, keys] of Object.entries(metadataFieldKeys) as [MetadataField, readonly string[]][]) {
    for (const key of keys) {
      if (!(key in root)) continue;
      const { line, raw } = where(key);
      const value = root[key];
      // A TOML date-time is read as written: as a Date it would be shifted to UTC, and
      // `2023-04-05T23:30:00-05:00` is the 5th where it was written, not the 6th.
      const written = field === "date" && value instanceof Date && raw !== undefined && /^\d{4}-\d{2}-\d{2}/.test(raw) ? raw.replace(/\s*#.*$/, "") : value;
      entries.push({ field, key, value: written, ...(line ? { line } : {}) });
      if (field !== "keywords") break;
    }
  }
  const metadata = checkMetadataEntries(entries, file, frontMatterOrigin, messages);
  if (root.draft === true) {
    const { line } = where("draft");
    messages.push({
      severity: "warning",
      rule: "front-matter-draft",
      reason: "`draft = true` in front matter: the site does not publish this page yet; it is converted all the same (remove the key when it is final)",
      source: "read",
      file,
      ...(line ? { line } : {}),
    });
  }
  return { metadata, messages };
}
