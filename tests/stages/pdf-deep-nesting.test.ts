// Deeply nested lists and quotes keep every word on the page: indentation stops growing once
// it takes 40% of the text column (deeper levels keep the last indent), while the structure
// tree still nests every level.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { pageGeometry } from "../../src/stages/pdf/typography.js";
import { drawnText, overlappingText, readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

const fixtureFolder = resolve("tests/fixtures/every-construct");
const geometry = pageGeometry("A4");

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-deep-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

let counter = 0;
async function render(markdown: string): Promise<{ pdf: PdfStructure; raw: string }> {
  const document = parseSource(["---", "title: Deep", "lang: en-GB", "---", "", markdown, ""].join("\n"), join(fixtureFolder, "deep.md"), "markdown");
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => undefined });
  const path = join(outDir, `deep-${++counter}.pdf`);
  await writeFile(path, rendered.bytes);
  return { pdf: await readPdfStructure(path), raw: Buffer.from(rendered.bytes).toString("latin1") };
}

/** The words missing from the text layer, in order (white space ignored). */
function missingWords(pdf: PdfStructure, expected: readonly string[]): string[] {
  const text = pdf.text.replace(/\s+/g, "");
  const missing: string[] = [];
  let at = 0;
  for (const word of expected) {
    const found = text.indexOf(word, at);
    if (found < 0) missing.push(word);
    else at = found + word.length;
  }
  return missing;
}

/** Text drawn outside the text area, left, right, top or bottom. */
function drawnOutsideTextArea(raw: string): string[] {
  return drawnText(raw)
    .filter((item) => !item.artifact && item.text.trim() !== "")
    .filter(
      (item) =>
        item.x < geometry.left - 0.5 ||
        item.x + item.width > geometry.left + geometry.measure + 0.5 ||
        item.y < geometry.height - geometry.bottom - 0.5 ||
        item.y > geometry.height - geometry.top,
    )
    .map((item) => `page ${item.page} x ${item.x.toFixed(1)} y ${item.y.toFixed(1)}: ${item.text.slice(0, 20)}`);
}

/**
 * How many `role` structure elements the file holds. pdf.js reads a structure tree only 40
 * elements deep, so the nesting is counted in the file itself (each level is one element).
 */
function elementCount(raw: string, role: string): number {
  return raw.match(new RegExp(`/S /${role}(?![A-Za-z])`, "g"))?.length ?? 0;
}

const levels = 99;
const word = (prefix: string, level: number): string => `${prefix}${String(level).padStart(3, "0")}`;
/** A paragraph long enough to wrap over several lines at any depth. */
const paragraphWords = (prefix: string): string[] => Array.from({ length: 40 }, (_, index) => `${prefix}${String(index).padStart(3, "0")}`);

describe("deep nesting in the PDF", () => {
  it(`a ${levels}-level list: every word in the text layer, nothing outside the text area, every level in the structure`, async () => {
    const items = Array.from({ length: levels }, (_, level) => `${"  ".repeat(level)}- ${word("item", level)}`);
    const deepest = paragraphWords("deep");
    const { pdf, raw } = await render(["# N", "", ...items, `${"  ".repeat(levels)}${deepest.join(" ")}`].join("\n"));
    expect(missingWords(pdf, [...Array.from({ length: levels }, (_, level) => word("item", level)), ...deepest])).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(overlappingText(raw)).toEqual([]);
    expect(elementCount(raw, "L")).toBe(levels);
    // The deepest text still has at least 60% of the column: its lines hold several words.
    const deepLines = drawnText(raw).filter((item) => /deep\d/.test(item.text));
    expect(Math.min(...deepLines.map((item) => item.x))).toBeLessThanOrEqual(geometry.left + geometry.measure * 0.4 + 0.5);
    expect(deepLines.some((item) => (item.text.match(/deep\d{3}/g) ?? []).length >= 3)).toBe(true);
  });

  it(`a ${levels}-level block quote: every word in the text layer, nothing outside the text area`, async () => {
    const quotes = Array.from({ length: levels }, (_, level) => `${">".repeat(level + 1)} ${word("quote", level)}`);
    const deepest = paragraphWords("deep");
    const { pdf, raw } = await render(["# N", "", ...quotes, `${">".repeat(levels)} ${deepest.join(" ")}`].join("\n"));
    expect(missingWords(pdf, [...Array.from({ length: levels }, (_, level) => word("quote", level)), ...deepest])).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(overlappingText(raw)).toEqual([]);
    expect(elementCount(raw, "BlockQuote")).toBe(levels);
  });

  it("alternating lists and quotes, 98 levels: every word kept, nothing outside the text area", async () => {
    const text = Array.from({ length: 40 }, (_, index) => `alt${String(index).padStart(3, "0")}`);
    const { pdf, raw } = await render(["# N", "", `${"- > ".repeat(49)}${text.join(" ")}`].join("\n"));
    expect(missingWords(pdf, text)).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(overlappingText(raw)).toEqual([]);
    expect(elementCount(raw, "BlockQuote")).toBe(49);
    expect(elementCount(raw, "L")).toBe(49);
  });

  it("fuzz: any mix of list and quote markers up to 98 deep keeps every word inside the text area, no label over another", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("- ", "> ", "1. "), { minLength: 1, maxLength: 98 }), fc.integer({ min: 1, max: 30 }), async (markers, wordCount) => {
        const text = Array.from({ length: wordCount }, (_, index) => `mix${String(index).padStart(3, "0")}`);
        const { pdf, raw } = await render(["# N", "", `${markers.join("")}${text.join(" ")}`].join("\n"));
        expect(missingWords(pdf, text)).toEqual([]);
        expect(drawnOutsideTextArea(raw)).toEqual([]);
        expect(overlappingText(raw)).toEqual([]);
        expect(elementCount(raw, "BlockQuote")).toBe(markers.filter((marker) => marker === "> ").length);
        expect(elementCount(raw, "L")).toBe(markers.filter((marker) => marker !== "> ").length);
      }),
      { numRuns: 15, seed: 12 },
    );
  });
});
