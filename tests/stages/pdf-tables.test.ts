// Tables of real documentation pages (tests/fixtures/pdf/SOURCES.md) read back from the PDF
// with pdf.js text positions: no cell's text over another's, no word cut by a narrow column,
// the words of each cell in order in `pdftotext`, short tables on few pages.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Table } from "mdast";
import { toString } from "mdast-util-to-string";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { flattenStructure, readPdfStructure, readTextPositions, type PdfStructure, type PositionedText } from "../helpers/pdf.js";

const fixtures = ["micro-default-keys.md", "lazygit-keybindings.md"].map((name) => resolve("tests/fixtures/pdf", name));

interface Built {
  readonly path: string;
  readonly pdf: PdfStructure;
  readonly items: PositionedText[];
  /** Each table of the source: its rows' cell texts. */
  readonly tables: string[][][];
}

let outDir: string;
const built = new Map<string, Built>();

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-tables-"));
  for (const fixture of fixtures) {
    // Straight quotes as typed, so the drawn words compare with the independent parse below.
    const { document } = await readDocument(fixture, { smartTypography: false });
    const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
    const path = join(outDir, fixture.replace(/^.*\//, "").replace(/\.md$/, ".pdf"));
    await writeFile(path, rendered.bytes);
    const tree = unified().use(remarkParse).use(remarkGfm).parse(readFileSync(fixture, "utf8"));
    const tables = tree.children
      .filter((node): node is Table => node.type === "table")
      .map((table) => table.children.map((row) => row.children.map((cell) => toString(cell).replace(/<br\s*\/?>/gi, " "))));
    built.set(fixture, { path, pdf: await readPdfStructure(path), items: await readTextPositions(path), tables });
  }
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Pairs of text items of different cells whose boxes (advance width × font size above the baseline) intersect. */
function overlaps(items: readonly PositionedText[]): string[] {
  const cells = items.filter((item) => item.cell !== undefined && item.text.trim() !== "");
  const found: string[] = [];
  for (let a = 0; a < cells.length; a++) {
    for (let b = a + 1; b < cells.length; b++) {
      const one = cells[a]!;
      const two = cells[b]!;
      if (one.page !== two.page || one.cell === two.cell) continue;
      const across = Math.min(one.x + one.width, two.x + two.width) - Math.max(one.x, two.x);
      const down = Math.min(one.y + one.size * 0.75, two.y + two.size * 0.75) - Math.max(one.y - one.size * 0.2, two.y - two.size * 0.2);
      if (across > 0.5 && down > 0.5) found.push(`page ${one.page}: "${one.text}" × "${two.text}"`);
    }
  }
  return found;
}

/** The lines of each cell as drawn: items of one cell on one baseline, left to right. */
function cellLines(items: readonly PositionedText[]): Map<string, string[]> {
  const lines = new Map<string, Map<number, PositionedText[]>>();
  for (const item of items) {
    if (item.cell === undefined || item.artifact) continue;
    const byBaseline = lines.get(item.cell) ?? new Map<number, PositionedText[]>();
    lines.set(item.cell, byBaseline);
    const baseline = Math.round(item.y * 10);
    byBaseline.set(baseline, [...(byBaseline.get(baseline) ?? []), item]);
  }
  return new Map(
    [...lines].map(([cell, byBaseline]) => [
      cell,
      [...byBaseline.values()].map((line) =>
        line
          .sort((a, b) => a.x - b.x)
          .map((item) => item.text)
          .join(""),
      ),
    ]),
  );
}

const urlLike = /:\/\//;

describe.each(fixtures.map((fixture) => [fixture.replace(/^.*\//, ""), fixture] as const))("tables of %s", (_name, fixture) => {
  it("draws no text of one cell over another's", () => {
    const { items } = built.get(fixture)!;
    expect(items.filter((item) => item.cell !== undefined).length).toBeGreaterThan(100);
    expect(overlaps(items)).toEqual([]);
  });

  it("cuts no word: every word on a cell's line is a whole word of the source's cells (no column narrower than its longest word)", () => {
    const { items, tables } = built.get(fixture)!;
    const words = new Set(tables.flat(2).flatMap((text) => text.split(/\s+/)));
    const cut: string[] = [];
    for (const [cell, lines] of cellLines(items)) {
      for (const line of lines) {
        for (const word of line.split(/\s+/))
          if (word !== "" && !words.has(word) && ![...words].some((whole) => urlLike.test(whole) && whole.includes(word))) cut.push(`${cell}: "${word}" in "${line}"`);
      }
    }
    expect(cut).toEqual([]);
  });

  it.skipIf(!hasPdftotext())("gives each cell's words whole and in order in pdftotext", () => {
    const { path, tables } = built.get(fixture)!;
    // pdftotext reads the row's cells line by line, interleaved, so each cell's words are a
    // subsequence of its words, each a whole word ("NAction" would be neither "N" nor "Action").
    const tokens = execFileSync("pdftotext", [path, "-"], { encoding: "utf8" }).split(/\s+/);
    const broken = tables.flat(2).filter((cell) => {
      let at = 0;
      for (const word of cell.split(/\s+/)) {
        if (word === "" || urlLike.test(word)) continue;
        at = tokens.indexOf(word, at) + 1;
        if (at === 0) return true;
      }
      return false;
    });
    expect(broken).toEqual([]);
  });
});

it("a table of 16 one-line rows takes at most 2 pages", () => {
  const { pdf } = built.get(fixtures[0]!)!;
  const pages = new Set(
    flattenStructure(pdf.structure)
      .filter((node) => node.role === "Table" && /Arrows|PageDown|Ctrl-l/.test(node.text))
      .map((node) => node.page),
  );
  expect(pages.size).toBeGreaterThan(0);
  expect(pages.size).toBeLessThanOrEqual(2);
});

function hasPdftotext(): boolean {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

it("a table too wide even at the smallest size breaks its words rather than drawing one column over the next", async () => {
  const header = Array.from({ length: 12 }, (_, index) => `Column${index + 1}`);
  const row = [
    "Internationalization",
    "Accessibility",
    "Localization",
    "Documentation",
    "Configuration",
    "Compatibility",
    "Responsibility",
    "Administration",
    "Interoperability",
    "Representation",
    "Characteristics",
    "Authentication",
  ];
  const markdown = ["---", "title: Wide", "---", "", `| ${header.join(" | ")} |`, `|${" --- |".repeat(12)}`, `| ${row.join(" | ")} |`, ""].join("\n");
  const path = join(outDir, "wide.md");
  await writeFile(path, markdown);
  const { document } = await readDocument(path);
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
  const pdfPath = join(outDir, "wide.pdf");
  await writeFile(pdfPath, rendered.bytes);
  const items = await readTextPositions(pdfPath);
  expect(overlaps(items)).toEqual([]);
  // Set at the floor size (half of 10 pt), every letter still there in order.
  expect(Math.min(...items.filter((item) => item.cell !== undefined).map((item) => item.size))).toBeCloseTo(5, 1);
  const text = items
    .filter((item) => item.cell !== undefined)
    .map((item) => item.text)
    .join("")
    .replace(/\s+/g, "");
  expect(text).toBe([...header, ...row].join(""));
});
