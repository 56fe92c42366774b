// Any Markdown Lectern accepts makes a valid book: random documents built from awkward
// fragments (raw HTML of every kind, broken nesting, empty headings, stray footnotes) must
// pass EPUBCheck without a message and parse as XML, file by file.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { fragments } from "../fixtures/epub/fragments.js";
import { epubCheckMessages, openEpubBytes } from "../helpers/epub.js";


describe("EPUB stage on random awkward Markdown", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-epub-fuzz-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("always makes a book EPUBCheck finds nothing wrong with", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 14 }), async (parts) => {
        run += 1;
        const path = join(folder, `random-${run}.md`);
        await writeFile(path, `---\ntitle: "Random & <Book> ${run}"\nlang: en\n---\n\nOpening words of the book.\n\n${parts.join("\n\n")}\n`);
        const { document } = await readDocument(path);
        const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} });
        const epub = openEpubBytes(bytes);
        expect(epub.toc.map((entry) => entry.label)).toEqual(document.sections.map((section) => section.title));
        for (const [file, content] of epub.contentDocuments) {
          expect(content.text, file).not.toContain("never shown");
        }
        expect(await epubCheckMessages(bytes), parts.join("\n\n")).toEqual([]);
      }),
      { numRuns: Number(process.env.LECTERN_FUZZ_RUNS ?? 30), seed: Number(process.env.LECTERN_FUZZ_SEED ?? 424242) },
    );
  });
});
