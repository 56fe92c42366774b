// Raw HTML in the PDF: the content of elements a browser never renders (script, style,
// template…) is not drawn or read, the same rule the EPUB's sanitizer applies.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { chapterSchema } from "../../src/stages/epub/sanitize-schema.js";
import { unrenderedElements } from "../../src/stages/pdf/inline-runs.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { readPdfStructure } from "../helpers/pdf.js";

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-html-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("non-rendered raw HTML", () => {
  it("drops the text of script, style, template, noscript… inline and across blocks, keeping the text around them", async () => {
    const source = [
      "---",
      "title: Raw HTML",
      "---",
      "",
      'Before <script>alert("scriptsecret")</script> after, <style>p { color: stylesecret }</style> and <textarea>areasecret</textarea> end.',
      "",
      "<template>",
      "",
      "Templatesecret paragraph inside a template.",
      "",
      "</template>",
      "",
      "Middle paragraph.",
      "",
      "<noscript>",
      "",
      "Noscriptsecret paragraph.",
      "",
      "</noscript>",
      "",
      "<script>",
      "blockscriptsecret();",
      "</script>",
      "",
      "Closing <em>words</em> with <svg><title>svgsecret</title></svg> here.",
    ].join("\n");
    const document = parseSource(source, join(outDir, "raw.md"), "markdown");
    const warnings: string[] = [];
    const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: (rule) => warnings.push(rule) });
    const path = join(outDir, "raw.pdf");
    await writeFile(path, rendered.bytes);
    const text = (await readPdfStructure(path)).text.replace(/\s+/g, " ");
    for (const secret of ["scriptsecret", "stylesecret", "areasecret", "Templatesecret", "Noscriptsecret", "blockscriptsecret", "svgsecret"]) expect(text).not.toContain(secret);
    for (const kept of ["Before", "after,", "and", "end.", "Middle paragraph.", "Closing", "words", "here."]) expect(text).toContain(kept);
    expect(warnings).toContain("html-dropped");
  });

  it("uses the same list of non-rendered elements as the EPUB sanitizer", () => {
    expect([...unrenderedElements].sort()).toEqual([...(chapterSchema.strip ?? [])].sort());
  });
});
