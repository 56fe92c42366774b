// The W3C EPUBCheck jar, when a machine has Java and the jar (EPUBCHECK_JAR=/path/epubcheck.jar,
// else Debian's `epubcheck` package, /usr/share/java/epubcheck.jar, which .ci/run installs):
// the reference validator agrees with the npm port used everywhere else. Skipped otherwise,
// so `npm test` never needs Java.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";

const jar = process.env.EPUBCHECK_JAR ?? "/usr/share/java/epubcheck.jar";
const available = existsSync(jar);
if (!available) console.info(`W3C EPUBCheck skipped: no jar at ${jar} (apt-get install epubcheck, or set EPUBCHECK_JAR)`);
// `.ci/run` sets this: in CI a missing jar is a failure, not a skip.
const required = process.env.LECTERN_REQUIRE_EPUBCHECK === "1";

describe.runIf(required && !available)("W3C EPUBCheck (required here)", () => {
  it("has its jar", () => {
    expect.fail(`LECTERN_REQUIRE_EPUBCHECK=1 but there is no EPUBCheck jar at ${jar}`);
  });
});
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
      // The JSON report goes to a file: EPUBCheck 4 prints its summary on stdout as well.
      const json = join(folder, "report.json");
      await promisify(execFile)("java", ["-jar", jar, "--usage", "--json", json, path], { maxBuffer: 16 * 1024 * 1024 });
      const report = JSON.parse(await readFile(json, "utf8")) as { messages: { ID: string; severity: string; message: string }[] };
      // FATAL, ERROR and WARNING are defects. USAGE notes are best-practice hints, and those
      // EPUBCheck 4.2.6 gives here are not defects: `&amp;` counted as a named entity
      // (HTM-006), the NCX's namespace (HTM-010), the cover and nav not in the TOC (OPF-058/059),
      // `backlink` (in the EPUB 3 structural vocabulary since 3.2, OPF-088), unused selectors.
      const defects = report.messages.filter((message) => message.severity !== "USAGE");
      expect(defects.map((message) => `${message.severity} ${message.ID} ${message.message}`)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
