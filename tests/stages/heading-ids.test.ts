// Heading ids are computed once (src/document/heading-ids.ts): on real documents, each EPUB
// heading's id is the PDF's named destination for the same heading, in the same order, and a
// `#fragment` link resolves to the same heading in both.
import { readdirSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { headingIds } from "../../src/document/heading-ids.js";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource, readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { renderPdf } from "../../src/stages/pdf/index.js";
import { findAll, localName, openEpubBytes } from "../helpers/epub.js";

const corpus = new URL("../corpus/", import.meta.url).pathname;
const documents = readdirSync(corpus).filter((name) => /\.(md|mdx|txt)$/.test(name) && name !== "SOURCES.md");
const now = new Date("2026-02-13T00:00:00Z");

/** Heading ids of the EPUB's content documents, in spine order (the title page's `h1` has none). */
function epubHeadingIds(bytes: Uint8Array): string[] {
  const epub = openEpubBytes(bytes);
  return epub.spine
    .filter((path) => path !== epub.navPath)
    .flatMap((path) => findAll(epub.contentDocuments.get(path)!, (node) => /^h[1-6]$/.test(localName(node))))
    .map((node) => node.attributes.id)
    .filter((id): id is string => id?.startsWith("h-") === true);
}

/** Named destinations of the PDF in reading order (page, then top to bottom). */
async function pdfDestinations(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const named = (await pdf.getDestinations()) as Record<string, unknown[]>;
    const placed = await Promise.all(Object.entries(named).map(async ([name, dest]) => ({ name, page: await pdf.getPageIndex(dest[0] as never), top: Number(dest[3] ?? 0) })));
    return placed.sort((a, b) => a.page - b.page || b.top - a.top).map(({ name }) => name);
  } finally {
    await pdf.destroy();
  }
}

async function both(document: LecternDocument): Promise<{ epub: string[]; pdf: string[] }> {
  const [epub, pdf] = await Promise.all([renderEpub(document, { now, report: () => {} }), renderPdf(document, { now, warn: () => {} })]);
  return { epub: epubHeadingIds(epub.bytes), pdf: (await pdfDestinations(pdf.bytes)).filter((name) => name.startsWith("h-")) };
}

describe("heading ids shared by the EPUB and the PDF", () => {
  it.each(documents)(
    "%s: every EPUB heading id is the PDF's destination for that heading",
    async (name) => {
      const { document } = await readDocument(`${corpus}${name}`);
      const { epub, pdf } = await both(document);
      const computed = headingIds(document);
      const expected = computed.sections.flatMap(({ own, subheadings }) => [own, ...subheadings]).flatMap((id) => (id ? [id.id] : []));
      expect(pdf).toEqual(expected);
      // Ids the document does not know are headings raw HTML wrote inside a block: the PDF draws none.
      const shared = new Set(expected);
      expect(epub.filter((id) => shared.has(id))).toEqual(expected);
      expect(new Set(epub).size).toBe(epub.length);
    },
    120_000,
  );

  it("numbers repeated headings once across the document and both outputs follow a fragment to the same heading", async () => {
    const document = parseSource(
      "# Guide\n\n## Usage\n\nSee [the second usage](#usage-1) and [options](#options).\n\n### Options\n\n## Usage\n\n### Options\n\n## !!!\n\n## !!!\n",
      "guide.md",
      "markdown",
    );
    const computed = headingIds(document);
    expect(computed.fragments.get("usage-1")?.id).toBe("h-usage-1");
    expect(computed.fragments.get("options-1")?.id).toBe("h-options-1");
    const { epub, pdf } = await both(document);
    expect(pdf).toEqual(["h-usage", "h-options", "h-usage-1", "h-options-1", "h-heading", "h-heading-1"]);
    expect(epub).toEqual(pdf);
  });

  it("gives a heading raw HTML writes inside a block an id of its own, never one of the document's", async () => {
    const document = parseSource(
      '# Guide\n\n## Usage\n\n<details><summary>More</summary>\n<h3>Usage</h3>\n<h3 id="h-usage">Usage</h3>\n</details>\n\n## Usage\n',
      "guide.md",
      "markdown",
    );
    const { epub, pdf } = await both(document);
    expect(pdf).toEqual(["h-usage", "h-usage-1"]);
    expect(epub).toEqual(["h-usage", "h-usage-2", "h-usage-3", "h-usage-1"]);
  });
});
