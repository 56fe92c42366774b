// PDF/UA invariants for any document Lectern accepts: random Markdown in, the Matterhorn machine checks hold.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/index.js";
import { flattenStructure, readPdfStructure } from "../helpers/pdf.js";

const word = fc.constantFrom("lorem", "ipsum", "naïve", "café", "—", "“quoted”", "ﬁne", "αβγ", "مرحبا", "😀", "漢字", "U.S.", "x&y", "<tag>", "a_b");
const words = (min: number, max: number) => fc.array(word, { minLength: min, maxLength: max }).map((list) => list.join(" "));
const inline = fc.oneof(
  words(1, 12),
  words(1, 3).map((text) => `*${text}*`),
  words(1, 3).map((text) => `**${text}**`),
  words(1, 3).map((text) => `[${text}](https://example.org/${encodeURIComponent(text)})`),
  words(1, 2).map((text) => `\`${text}\``),
  fc.constant("[^n]"),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(" "));
const block = fc.oneof(
  { weight: 4, arbitrary: paragraph },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), words(1, 6)).map(([depth, text]) => `${"#".repeat(depth)} ${text}`) },
  {
    weight: 1,
    arbitrary: fc.array(words(1, 8), { minLength: 1, maxLength: 4 }).map((items) => items.map((item, index) => `${index + 1}. ${item}\n   - nested ${item}`).join("\n")),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(words(1, 3), words(1, 3)), { minLength: 1, maxLength: 4 })
      .map((rows) => ["| A | B |", "| - | -: |", ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join("\n")),
  },
  { weight: 1, arbitrary: paragraph.map((text) => `> ${text}`) },
  { weight: 1, arbitrary: words(1, 10).map((text) => "```\n" + text + "\n" + "x".repeat(120) + "\n```") },
  { weight: 1, arbitrary: fc.constant("---") },
  { weight: 1, arbitrary: words(0, 3).map((alt) => `![${alt}](missing.png)`) },
  { weight: 1, arbitrary: fc.array(paragraph, { minLength: 8, maxLength: 20 }).map((list) => list.join(" ")) },
);
const markdown = fc
  .tuple(words(1, 6), fc.constantFrom("en-US", "de", "ar", "el"), fc.array(block, { minLength: 0, maxLength: 25 }))
  .map(([title, lang, blocks]) => `---\ntitle: "${title.replace(/"/g, "'")}"\nlang: ${lang}\n---\n\nOpening words.\n\n${blocks.join("\n\n")}\n\n[^n]: A note.\n`);

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-any-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("any Markdown document", () => {
  it("01-005, 06-00x, 11-001, 14-003, 28-011, 31-030: every machine check holds", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(markdown, async (source) => {
        const path = join(outDir, `random-${run++}.md`);
        const document = parseSource(source, path, "markdown");
        const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
        await writeFile(path.replace(/\.md$/, ".pdf"), rendered.bytes);
        const pdf = await readPdfStructure(path.replace(/\.md$/, ".pdf"));
        expect(pdf.pages).toBe(rendered.pages);
        expect(pdf.marked).toBe(true);
        expect(pdf.language).toBe(document.metadata.language);
        expect(pdf.xmpEntries.get("dc:title")).toBe(document.metadata.title);
        expect(pdf.xmpEntries.get("pdfuaid:part")).toBe("1");
        expect(pdf.untaggedText.every((text) => text === "")).toBe(true);
        expect(pdf.unmarkedPaint.flat()).toEqual([]);
        expect(pdf.parentTreeProblems).toEqual([]);
        expect(pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
        const levels = flattenStructure(pdf.structure)
          .filter((node) => /^H[1-6]$/.test(node.role))
          .map((node) => Number(node.role.slice(1)));
        expect(levels[0]).toBe(1);
        levels.forEach((level, index) => index > 0 && expect(level).toBeLessThanOrEqual(levels[index - 1]! + 1));
        for (const link of pdf.links) expect(link.contents.trim()).not.toBe("");
        expect(pdf.outline.map((entry) => entry.title)).toEqual(document.sections.map((section) => section.title));
      }),
      { numRuns: Number(process.env.PDF_RUNS ?? 15), seed: Number(process.env.PDF_SEED ?? 20260401) },
    );
  });
});
