// The W3C EPUBCheck jar, when a machine has Java and the jar (EPUBCHECK_JAR=/path/epubcheck.jar):
// the reference validator agrees with the npm port used everywhere else. Skipped otherwise,
// so `npm test` never needs Java.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";

const jar = process.env.EPUBCHECK_JAR;
const available = jar !== undefined && existsSync(jar);
const sources = [
  join(import.meta.dirname, "../fixtures/every-construct/document.md"),
  join(import.meta.dirname, "../fixtures/epub/awkward/book/document.md"),
  new URL("../corpus/000_14f3f3ed66253a4f.txt", import.meta.url).pathname,
];

describe.skipIf(!available)("W3C EPUBCheck (Java)", () => {
  it.each(sources)("finds nothing to report in the book made from %s", async (source) => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-epubcheck-"));
    try {
      const { document } = await readDocument(source);
      const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} });
      const path = join(folder, "book.epub");
      await writeFile(path, bytes);
      const { stdout } = await promisify(execFile)("java", ["-jar", jar!, "--usage", "--json", "-", path], { maxBuffer: 16 * 1024 * 1024 });
      const report = JSON.parse(stdout) as { messages: { ID: string; severity: string; message: string }[] };
      const defects = report.messages.filter((message) => message.severity !== "USAGE" || !["CSS-028"].includes(message.ID));
      expect(defects.map((message) => `${message.severity} ${message.ID} ${message.message}`)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
