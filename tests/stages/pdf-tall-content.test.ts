// Nothing taller than a page is lost: rows, headings, captions, code, long words, list items
// and quotes are split across pages, and every word of the source is in the text layer.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { pageGeometry } from "../../src/stages/pdf/typography.js";
import { drawnText, overlappingText, readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

// The fixture folder holds images/red-square.png, which a figure with a long caption uses.
const fixtureFolder = resolve("tests/fixtures/every-construct");
const geometry = pageGeometry("A4");

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-tall-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** `count` distinct words `prefix0001 prefix0002 …` (fixed width, so none is a prefix of another). */
function words(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(4, "0")}`);
}

let counter = 0;
async function render(markdown: string): Promise<{ pdf: PdfStructure; raw: string; warnings: string[] }> {
  const document = parseSource(["---", "title: Tall Things", "lang: en-GB", "---", "", markdown, ""].join("\n"), join(fixtureFolder, "tall.md"), "markdown");
  const warnings: string[] = [];
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: (rule) => warnings.push(rule) });
  const path = join(outDir, `tall-${++counter}.pdf`);
  await writeFile(path, rendered.bytes);
  return { pdf: await readPdfStructure(path), raw: Buffer.from(rendered.bytes).toString("latin1"), warnings };
}

/** The words that are missing from the text layer, or out of order (white space ignored: a cut word is still the word). */
function missingOrOutOfOrder(pdf: PdfStructure, expected: readonly string[]): string[] {
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

/** Body text drawn outside the text area (below the bottom margin or above the top one). */
function drawnOutsideTextArea(raw: string): string[] {
  return drawnText(raw)
    .filter((item) => !item.artifact && item.text.trim() !== "")
    .filter((item) => item.y < geometry.height - geometry.bottom - 0.5 || item.y > geometry.height - geometry.top)
    .map((item) => `page ${item.page} y ${item.y.toFixed(1)}: ${item.text.slice(0, 20)}`);
}

describe("content taller than a page", () => {
  it("a table cell of 1,500 words is split across pages, line by line, every word in order", async () => {
    const cell = words("cell", 1500);
    const { pdf, raw } = await render(["Before.", "", "| Name | Text |", "| --- | --- |", `| first | ${cell.join(" ")} |`, "| second | short |", "", "After."].join("\n"));
    expect(missingOrOutOfOrder(pdf, ["Before.", "Name", "Text", "first", ...cell, "second", "short", "After."])).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(overlappingText(raw)).toEqual([]);
    expect(pdf.pages).toBeGreaterThan(3);
    // The header row is repeated (as an Artifact) on each continuation page.
    expect(pdf.artifactText.slice(1, 4).every((text) => text.includes("Name") && text.includes("Text"))).toBe(true);
  });

  it("a heading of 300 words is broken across pages, not clipped", async () => {
    const heading = words("head", 300);
    const sub = words("sub", 300);
    const { pdf, raw } = await render(["Lead.", "", `## ${heading.join(" ")}`, "", "Text under it.", "", `### ${sub.join(" ")}`, "", "More text."].join("\n"));
    expect(missingOrOutOfOrder(pdf, ["Lead.", ...heading, "Text", "under", "it.", ...sub, "More", "text."])).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(overlappingText(raw)).toEqual([]);
  });

  it("a long caption, a long code line, an unbreakable word, a long list item and quote", async () => {
    const caption = words("cap", 500);
    const code = "x".repeat(12_000);
    const unbroken = "u".repeat(20_000);
    const item = words("item", 1200);
    const quote = words("quote", 1200);
    const { pdf, raw } = await render(
      [
        "Start.",
        "",
        `![A red square](images/red-square.png "${caption.join(" ")}")`,
        "",
        "```",
        `code${code}end`,
        "```",
        "",
        `word${unbroken}end`,
        "",
        `- ${item.join(" ")}`,
        "- second item",
        "",
        `> ${quote.join(" ")}`,
        "",
        "Finish.",
      ].join("\n"),
    );
    expect(missingOrOutOfOrder(pdf, ["Start.", ...caption, `code${code}end`, `word${unbroken}end`, ...item, "second", "item", ...quote, "Finish."])).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(overlappingText(raw)).toEqual([]);
  });

  it("a table of 40 columns is set smaller rather than drawing one column's words over the next", async () => {
    const head = Array.from({ length: 40 }, (_, index) => `Column${index}`);
    const row = Array.from({ length: 40 }, (_, index) => `value${index} word${index}`);
    const { pdf, raw } = await render(["Intro.", "", `| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`, `| ${row.join(" | ")} |`].join("\n"));
    expect(overlappingText(raw)).toEqual([]);
    expect(drawnOutsideTextArea(raw)).toEqual([]);
    expect(missingOrOutOfOrder(pdf, [...head, ...row.flatMap((cell) => cell.split(" "))])).toEqual([]);
  });

  it("fuzz: random tall content keeps every word, inside the text area", async () => {
    const block = fc.oneof(
      fc.integer({ min: 1, max: 900 }).map((n) => ({ kind: "cell" as const, n })),
      fc.integer({ min: 1, max: 400 }).map((n) => ({ kind: "heading" as const, n })),
      fc.integer({ min: 1, max: 600 }).map((n) => ({ kind: "item" as const, n })),
      fc.integer({ min: 1, max: 600 }).map((n) => ({ kind: "quote" as const, n })),
      fc.integer({ min: 1, max: 4000 }).map((n) => ({ kind: "word" as const, n })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(block, { minLength: 1, maxLength: 4 }), async (blocks) => {
        const expected: string[] = [];
        const parts = blocks.map((b, index) => {
          const prefix = `b${index}x`;
          if (b.kind === "word") {
            const word = `${prefix}${"w".repeat(b.n)}`;
            expected.push(word);
            return word;
          }
          const list = words(prefix, b.n);
          if (b.kind === "cell") {
            expected.push("A", "B", "k", ...list);
            return ["| A | B |", "| --- | --- |", `| k | ${list.join(" ")} |`].join("\n");
          }
          expected.push(...list);
          if (b.kind === "heading") return `## ${list.join(" ")}\n\nBody.`;
          if (b.kind === "item") return `- ${list.join(" ")}`;
          return `> ${list.join(" ")}`;
        });
        const { pdf, raw } = await render(parts.join("\n\n"));
        expect(missingOrOutOfOrder(pdf, expected)).toEqual([]);
        expect(drawnOutsideTextArea(raw)).toEqual([]);
        expect(overlappingText(raw)).toEqual([]);
        expect(overlappingText(raw)).toEqual([]);
      }),
      { numRuns: 6, seed: 7 },
    );
  });
});
