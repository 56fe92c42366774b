// Emoji print in the PDF: Noto Emoji (monochrome, OFL) is the last face of every fallback
// chain, chosen per grapheme cluster, so no emoji is a .notdef box or a U+FFFD stand-in.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { flattenStructure, readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

const emoji = ["😀", "🎉", "✅", "❌", "🚀", "👍🏽", "👩‍💻", "🇫🇷", "❤️"];
let outDir: string;
let pdf: PdfStructure;
const warnings: string[] = [];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-emoji-"));
  const markdown = [
    "---",
    "title: Emoji 🎉",
    "---",
    "",
    `Running text: ${emoji.join(" and ")}.`,
    "",
    "## Status ✅",
    "",
    "| Status | Meaning |",
    "| --- | --- |",
    "| ✅ | passed |",
    "| ❌ | failed |",
    "",
    "```",
    'echo "🚀 launch"',
    "```",
    "",
  ].join("\n");
  const document = parseSource(markdown, join(outDir, "emoji.md"), "markdown");
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: (rule, reason) => warnings.push(`${rule}: ${reason}`) });
  const path = join(outDir, "emoji.pdf");
  await writeFile(path, rendered.bytes);
  pdf = await readPdfStructure(path);
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("emoji", () => {
  it("are drawn from the embedded Noto Emoji face, none reported missing, no .notdef glyph", () => {
    expect(warnings.filter((warning) => warning.startsWith("glyph-missing"))).toEqual([]);
    expect(pdf.raw).toMatch(/\/FontName \/[A-Z]{6}\+NotoEmoji-Regular/);
    expect(pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
    expect(pdf.text).not.toContain("\uFFFD");
  });

  it("read back as written: a sequence (skin tone, ZWJ, flag) whole through /ActualText", () => {
    const paragraph = flattenStructure(pdf.structure).find((node) => node.role === "P" && node.readText.includes("Running text"))!;
    // White space aside: pdf.js drops the space before a Span with /ActualText when reading back (pdftotext keeps it).
    expect(paragraph.readText.replace(/\s+/g, "")).toBe(`Runningtext:${emoji.join("and")}.`);
    const cells = flattenStructure(pdf.structure).filter((node) => node.role === "TD");
    expect(cells.map((cell) => cell.readText.trim())).toEqual(["✅", "passed", "❌", "failed"]);
    expect(flattenStructure(pdf.structure).find((node) => node.role === "Code")!.readText).toContain('echo "🚀 launch"');
  });
});
