// Text is cut, measured and given fonts by grapheme cluster, and fit-to-width trimming is a
// binary search: a combining mark never leaves its base, and a 22 KB title costs a few dozen measurements.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import PDFDocument from "pdfkit";
import { parseSource } from "../../src/document/read.js";
import { dejavuFontPath, FontBook } from "../../src/stages/pdf/fonts.js";
import { textStyles } from "../../src/stages/pdf/typography.js";
import { graphemes, longestFittingPrefix } from "../../src/stages/pdf/graphemes.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { drawnText, flattenStructure, readPdfStructure } from "../helpers/pdf.js";

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-graphemes-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("longestFittingPrefix (the cut point of every fit-to-width trimming)", () => {
  it("finds the same cut as a linear scan, with O(log n) measurements", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 1 }), (length, limit, minimum) => {
        const clusters = Array.from({ length }, () => "a");
        let calls = 0;
        const cut = longestFittingPrefix(clusters, (text) => (calls++, text.length <= limit), minimum);
        expect(cut).toBe(Math.max(Math.min(length, limit), Math.min(minimum, length)));
        expect(calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(length + 2)) + 2);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("cuts only between grapheme clusters", () => {
    expect(graphemes("e\u0301a\u0651👩‍👩‍👧x")).toEqual(["e\u0301", "a\u0651", "👩‍👩‍👧", "x"]);
  });
});

interface Warning {
  readonly rule: string;
  readonly reason: string;
  readonly line: number | undefined;
}

async function render(markdown: string, title = "Clusters", warnings: Warning[] = []): Promise<{ raw: string; path: string }> {
  const document = parseSource(["---", "title: Clusters", "---", "", markdown, ""].join("\n"), join(outDir, "clusters.md"), "markdown");
  const rendered = await renderPdf(
    { ...document, metadata: { ...document.metadata, title } },
    { now: new Date("2026-01-01T00:00:00Z"), warn: (rule, reason, line) => warnings.push({ rule, reason, line }) },
  );
  const path = join(outDir, `clusters-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(path, rendered.bytes);
  return { raw: Buffer.from(rendered.bytes).toString("latin1"), path };
}

describe("combining marks stay with their base character", () => {
  it("a long word of e + U+0301 is cut between clusters; no drawn line or run starts with a mark", async () => {
    const word = "e\u0301".repeat(900);
    const { raw, path } = await render([`${word}`, "", "```", `${"o\u0308".repeat(400)}`, "```", "", `| a |`, `| - |`, `| ${"u\u0303".repeat(300)} |`].join("\n"));
    const pdf = await readPdfStructure(path);
    // pdfkit positions each mark with its own text matrix (GPOS), so the check is on lines as
    // pdf.js rebuilds them: no line begins with a mark that belongs at the end of the one before.
    const lines = pdf.text.split("\n").filter((line) => line !== "");
    expect(lines.filter((line) => /^\p{M}/u.test(line))).toEqual([]);
    expect(raw.length).toBeGreaterThan(0);
    const text = pdf.text.replace(/\s+/g, "");
    expect((text.match(/e\u0301/g) ?? []).length).toBe(900);
    expect((text.match(/o\u0308/g) ?? []).length).toBe(400);
    expect((text.match(/u\u0303/g) ?? []).length).toBe(300);
  });

  it("a mark only another face has takes its base there (no .notdef, no split run)", async () => {
    // DejaVu Serif has "a" but not U+0651 (Arabic shadda); DejaVu Sans has both.
    const { raw, path } = await render("Text with a\u0651 and b\u0651 inside.");
    const pdf = await readPdfStructure(path);
    expect(pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
    expect(raw.length).toBeGreaterThan(0);
    expect(pdf.text).toContain("a\u0651");
  });
});

describe("a cluster whose marks no font has keeps its base letter", () => {
  // No DejaVu face has U+20DD (combining enclosing circle); every face has x and Z.
  it("draws the base, drops only the missing mark, keeps the cluster as /ActualText, and names the mark with its line", async () => {
    const warnings: Warning[] = [];
    const { path } = await render(["Intro line.", "", "Zalgo Z\u0351\u0352\u0353\u0354\u0355 and x\u20DD here."].join("\n"), "Clusters", warnings);
    const pdf = await readPdfStructure(path);
    expect(pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
    expect(pdf.text).not.toContain("\uFFFD");
    expect(pdf.text).toMatch(/and x\s*here/);
    const spans = flattenStructure(pdf.structure).filter((node) => node.role === "Span" && node.alt !== undefined);
    expect(spans.map((node) => node.alt)).toContain("x\u20DD");
    expect(spans.find((node) => node.alt === "x\u20DD")?.text.trim()).toBe("x");
    const missing = warnings.filter((warning) => warning.rule === "glyph-missing");
    expect(missing).toHaveLength(1);
    // The document's line 7 (front matter is lines 1–3, then a blank line and "Intro line.").
    expect(missing[0]!.line).toBe(7);
    expect(missing[0]!.reason).toContain("U+20DD");
    expect(missing[0]!.reason).not.toContain("U+005A");
    expect(missing[0]!.reason).not.toContain("U+0078");
  });

  it("a mark missing in a section heading is reported at the heading's line, each character with its own line", async () => {
    const warnings: Warning[] = [];
    await render(["## Heading x\u20DD", "", "Text.", "", "More y\u20DE here."].join("\n"), "Clusters", warnings);
    const missing = warnings.filter((warning) => warning.rule === "glyph-missing");
    expect(missing).toHaveLength(1);
    expect(missing[0]!.line).toBe(5);
    expect(missing[0]!.reason).toContain("U+20DD, line 5");
    expect(missing[0]!.reason).toContain("U+20DE, line 9");
  });

  it("any base letter with any marks: the base is always drawn, never U+FFFD, and what was written is kept", () => {
    const doc = new PDFDocument({ size: "A4", bufferPages: true, tagged: true, font: dejavuFontPath("DejaVuSerif.ttf") });
    const fonts = new FontBook(doc);
    // Marks some faces have (acute, diaeresis, shadda, Devanagari nukta) and marks none has (enclosing circle, square, keycap).
    const marks = ["\u0301", "\u0308", "\u0651", "\u093C", "\u20DD", "\u20DE", "\u20E3", "\u0351", "\u0489"];
    fc.assert(
      fc.property(fc.constantFrom(..."aZxéЖλ"), fc.array(fc.constantFrom(...marks), { minLength: 1, maxLength: 6 }), (base, chosen) => {
        const cluster = base + chosen.join("");
        const runs = fonts.split(`a ${cluster} b`, textStyles.body);
        const drawn = runs.map((run) => run.text).join("");
        expect(drawn).not.toContain("\uFFFD");
        expect(drawn).toContain(base);
        expect(runs.map((run) => run.standsFor ?? run.text).join("")).toBe(`a ${cluster} b`);
        // A mark is drawn only together with its base, in one run.
        for (const run of runs) expect(/^\p{M}/u.test(run.text)).toBe(false);
      }),
      { numRuns: 200, seed: 20 },
    );
    expect(fonts.uncovered.every((character) => /^\p{M}$/u.test(character))).toBe(true);
  });
});

describe("the running header of a very long title", () => {
  it("a 22 KB title becomes a header line cut with an ellipsis", async () => {
    const title = "Title ".repeat(3700).trim();
    const { raw } = await render(Array.from({ length: 200 }, (_, index) => `Paragraph ${index} with some words in it to fill the page.`).join("\n\n"), title);
    const headers = drawnText(raw).filter((item) => item.artifact && item.page > 1 && item.text.includes("Title"));
    expect(headers.length).toBeGreaterThan(0);
    const header = headers[0]!.text;
    expect(header.endsWith("…")).toBe(true);
    expect(title.startsWith(header.slice(0, -1).trimEnd())).toBe(true);
    expect(header.length).toBeLessThan(120);
  });
});

describe("fuzz: any mix of scripts, marks and directions", () => {
  it("always renders, paints no .notdef glyph and leaves no text untagged", async () => {
    const piece = fc.oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
      fc.constantFrom("مَرْحَبًا", "٤٥٦", "۱۲۳", "שָׁלוֹם", "e\u0301", "a\u0651", "(نعم)", "1,234.5", "\u200f", "\u202b", "👩‍👩‍👧", "x".repeat(300)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.constantFrom("paragraph", "heading", "cell", "code"), async (pieces, where) => {
        const text = `word ${pieces.join(" ").replace(/[\\`*_[\]<>#|&!~$^{}-]/g, " ")} end`;
        const markdown =
          where === "heading"
            ? `Intro.\n\n## ${text}\n\nBody.`
            : where === "cell"
              ? `Intro.\n\n| a | b |\n| - | - |\n| ${text} | z |`
              : where === "code"
                ? `Intro.\n\n\`\`\`\n${text}\n\`\`\``
                : text;
        const { path } = await render(markdown);
        const pdf = await readPdfStructure(path);
        expect(pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
        expect(pdf.untaggedText.every((untagged) => untagged === "")).toBe(true);
      }),
      { numRuns: 15, seed: 21 },
    );
  });
});
