// Page flow read back from the PDF: a heading never ends a page (it stays with two lines of
// what follows, also when a heading follows a heading), and a block quote or list item is
// not split leaving one line alone on a page — for every place on the page the block can start.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { pageContents, readPdfStructure, type PdfStructNode, type PdfStructure } from "../helpers/pdf.js";

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-flow-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** A paragraph of `count` lines of the text column (each a sentence short enough to stay on its line, joined by hard breaks). */
function filler(count: number): string {
  return Array.from({ length: count }, (_, index) => `Filler line ${index + 1} of the paragraph before.`).join("\\\n");
}

const prose =
  "The quick brown fox jumps over the lazy dog while the patient reader follows every word of the sentence to its end, and then a second sentence makes the block long enough to wrap onto several lines of the column.";

let counter = 0;
async function render(markdown: string): Promise<PdfStructure> {
  return (await renderWithBytes(markdown)).pdf;
}

async function renderWithBytes(markdown: string): Promise<{ pdf: PdfStructure; raw: string }> {
  const document = parseSource(["---", "title: Page Flow", "lang: en-GB", "---", "", markdown, ""].join("\n"), join(outDir, "flow.md"), "markdown");
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
  const path = join(outDir, `flow-${++counter}.pdf`);
  await writeFile(path, rendered.bytes);
  return { pdf: await readPdfStructure(path), raw: Buffer.from(rendered.bytes).toString("latin1") };
}

/** Lines of an element's text on one page (pdf.js ends each drawn line with a line break). */
function lineCount(node: PdfStructNode): number {
  return node.text.split("\n").filter((line) => line.trim() !== "").length;
}

/** Page-root blocks in reading order; a block drawn on two pages appears once per page. */
function blocks(pdf: PdfStructure): PdfStructNode[] {
  const flatten = (node: PdfStructNode): PdfStructNode[] => (["Document", "Sect", "Part", "Div"].includes(node.role) ? node.children.flatMap(flatten) : [node]);
  return pdf.structure.flatMap(flatten);
}

/** Where a heading ends its page, or is followed on its page by fewer than two lines of the next block. */
function strandedHeadings(pdf: PdfStructure): string[] {
  const all = blocks(pdf);
  const found: string[] = [];
  all.forEach((node, index) => {
    if (!/^H[1-6]$/.test(node.role)) return;
    const next = all[index + 1];
    if (next === undefined) return;
    if (next.page !== node.page) found.push(`${node.role} "${node.text.trim()}" ends page ${node.page}`);
    else if (next.role === "P" && lineCount(next) < 2 && all[index + 2]?.page !== node.page)
      found.push(`${node.role} "${node.text.trim()}" has one line after it on page ${node.page}`);
  });
  return found;
}

/** Parts of a split element (same role and text start on consecutive pages) with a single line. */
function loneLines(pdf: PdfStructure, role: string): string[] {
  const found: string[] = [];
  const visit = (nodes: readonly PdfStructNode[], parts: Map<string, PdfStructNode[]>): void => {
    for (const node of nodes) {
      if (node.role === role) parts.set(`${found.length}:${role}:${parts.size}`, [node]);
      visit(node.children, parts);
    }
  };
  const perPage = new Map<string, PdfStructNode[]>();
  visit(pdf.structure, perPage);
  // pdf.js lists an element on a page where it has no content (an item begun, drawn on the next page): not a part.
  const nodes = [...perPage.values()].flat().filter((node) => node.text.trim() !== "");
  // A split element is one that ends a page and is continued at the top of the next: consecutive same-role nodes on consecutive pages.
  for (let index = 1; index < nodes.length; index++) {
    const before = nodes[index - 1]!;
    const after = nodes[index]!;
    if (after.page !== before.page + 1) continue;
    const lastOnPage = nodes.filter((node) => node.page === before.page).at(-1) === before;
    const firstOnPage = nodes.find((node) => node.page === after.page) === after;
    if (!lastOnPage || !firstOnPage) continue;
    if (lineCount(before) < 2 || lineCount(after) < 2) found.push(`${role} split ${lineCount(before)}/${lineCount(after)} lines across pages ${before.page}–${after.page}`);
  }
  return found;
}

// Lines of filler before the block under test: enough to bring it to every position near a page's foot.
const offsets = Array.from({ length: 14 }, (_, index) => 24 + index);

it("the offsets bring the blocks under test across a page break", async () => {
  const pages = await Promise.all([offsets[0]!, offsets.at(-1)!].map(async (lines) => (await render([filler(lines), "", "## A section heading", "", prose].join("\n"))).pages));
  expect(pages).toEqual([1, 2]);
});

describe("headings stay with what follows", () => {
  it.each(offsets)("after %i lines: a heading, a subheading, then prose", async (lines) => {
    const pdf = await render([filler(lines), "", "## A section heading", "", "### Its first subheading", "", prose].join("\n"));
    expect(strandedHeadings(pdf)).toEqual([]);
  });

  it.each(offsets)("after %i lines: a heading then a block quote", async (lines) => {
    const pdf = await render([filler(lines), "", "## Quoted", "", `> ${prose}`].join("\n"));
    expect(strandedHeadings(pdf)).toEqual([]);
  });
});

describe("no block quote or list item leaves one line alone", () => {
  it.each(offsets)("after %i lines: a quote and a list item of several lines", async (lines) => {
    const pdf = await render([filler(lines), "", `> ${prose} ${prose}`, "", filler(3), "", `- ${prose} ${prose}`, `- ${prose}`].join("\n"));
    expect(loneLines(pdf, "BlockQuote")).toEqual([]);
    expect(loneLines(pdf, "LI")).toEqual([]);
  });

  it.each(offsets.map((lines) => lines + 4))("after %i lines: a quote's bar is drawn only on pages with the quote's text", async (lines) => {
    // Two lines: where one fits at the page's foot, the quote moves to the next page whole.
    const { pdf, raw } = await renderWithBytes(
      [filler(lines), "", "> The quick brown fox jumps over the lazy dog while the patient reader follows every word.", "", "After the quote."].join("\n"),
    );
    // The bar is the only 2-point-wide stroke pdfkit draws here (quote bars, Artifacts).
    const barPages = pageContents(raw).flatMap((content, index) => (/\n2 w\n[^Q]*?\d[\d.]* [\d.]+ m\n[\d.]+ [\d.]+ l\nS\n/.test(content) ? [index + 1] : []));
    const quotePages = blocks(pdf)
      .filter((node) => node.role === "BlockQuote" && node.text.trim() !== "")
      .map((node) => node.page);
    expect(barPages.length).toBeGreaterThan(0);
    expect(barPages).toEqual([...new Set(quotePages)]);
  });
});
