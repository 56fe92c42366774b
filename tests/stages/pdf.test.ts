// The PDF stage read back with pdfjs: each test names the Matterhorn Protocol checkpoint (PDF/UA-1) it covers.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Nodes } from "mdast";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource, readDocument } from "../../src/document/read.js";
import type { Message } from "../../src/messages.js";
import { pdfStage } from "../../src/stages/pdf/index.js";
import type { StageContext, StageResult } from "../../src/stages/stage.js";
import { flattenStructure, readPdfStructure, type PdfStructNode, type PdfStructure } from "../helpers/pdf.js";

const fixture = resolve("tests/fixtures/every-construct/document.md");
const seed = resolve("tests/corpus/000_14f3f3ed66253a4f.txt");
const alice = resolve("tests/corpus/alice-in-wonderland.txt");
const now = new Date("2026-03-04T05:06:07Z");

interface Written {
  readonly document: LecternDocument;
  readonly result: StageResult;
  readonly pdf: PdfStructure;
  readonly messages: Message[];
  readonly path: string;
  readonly progress: [number, number][];
}

let outDir: string;

function stageContext(messages: Message[], progress: [number, number][] = []): StageContext {
  return {
    outDir,
    options: { engine: "espeak", concurrency: 1, ttsTimeoutMs: 30_000, now },
    signal: new AbortController().signal,
    run: (_label, task) => task(),
    report: (message) => messages.push({ source: "pdf", ...message }),
    progress: (done, total) => progress.push([done, total]),
  };
}

async function writePdf(document: LecternDocument): Promise<Written> {
  const messages: Message[] = [];
  const progress: [number, number][] = [];
  const result = await pdfStage.write(document, stageContext(messages, progress));
  const path = join(outDir, String(result.manifest.path));
  return { document, result, pdf: await readPdfStructure(path), messages, path, progress };
}

/** A Markdown document with `count` sections, each with a paragraph and a short list. */
function generatedMarkdown(count: number): string {
  const parts = ["---", "title: Generated Sections", "lang: fr-FR", "---", "", "Lead paragraph."];
  for (let index = 1; index <= count; index++) {
    parts.push(
      "",
      `## Section ${index}`,
      "",
      `Paragraph ${index} with [a link](https://example.org/${index}) and enough words to fill a line or two of the column at body size.`,
      "",
      "- one",
      "- two",
    );
  }
  return parts.join("\n");
}

const headingRole = /^H[1-6]$/;

/** A block's text as a reader hears it: like mdast's toString, but a hard line break is a space. */
function readableText(node: Nodes): string {
  if (node.type === "break") return " ";
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(readableText).join("");
  return "";
}

/** Headings in document order; an element split across pages appears once per page, so consecutive repeats merge. */
function headings(pdf: PdfStructure): PdfStructNode[] {
  const all = flattenStructure(pdf.structure).filter((node) => headingRole.test(node.role));
  return all.filter((node, index) => index === 0 || node.page !== all[index - 1]!.page || node !== all[index - 1]);
}

function normalized(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

let everything: Written;
let article: Written;
let generated: Written;
let book: Written;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-"));
  const [fixtureRead, seedRead, aliceRead] = await Promise.all([readDocument(fixture), readDocument(seed), readDocument(alice)]);
  everything = await writePdf(fixtureRead.document);
  article = await writePdf(seedRead.document);
  book = await writePdf(aliceRead.document);
  generated = await writePdf(parseSource(generatedMarkdown(100), join(outDir, "generated-sections.md"), "markdown"));
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("pdf stage output contract", () => {
  it("writes <slug>.pdf and a manifest entry with its page count", () => {
    expect(everything.result.manifest).toMatchObject({ path: "document.pdf", pages: everything.pdf.pages, conformsTo: "PDF/UA-1" });
    expect(everything.result.files).toEqual([everything.path]);
    expect(article.result.manifest.pages).toBeGreaterThan(3);
  });

  it("reports progress section by section", () => {
    const total = article.document.sections.length;
    expect(article.progress).toEqual(Array.from({ length: total }, (_, index) => [index + 1, total]));
  });

  it("is byte-for-byte reproducible for the same document and clock", async () => {
    const first = await readFile(everything.path);
    const again = await writePdf(everything.document);
    expect(Buffer.compare(first, await readFile(again.path))).toBe(0);
    expect(everything.pdf.info.CreationDate).toBe("D:20260304050607Z");
  });
});

describe.each([
  ["every-construct fixture", () => everything],
  ["seed article", () => article],
  ["100-section document", () => generated],
  ["Alice (a 26,000-word book)", () => book],
])("%s", (_name, written) => {
  it("06-001/06-002: MarkInfo /Marked true and a StructTreeRoot with a ParentTree", () => {
    const { pdf } = written();
    expect(pdf.marked).toBe(true);
    expect(pdf.raw).toMatch(/\/Type \/StructTreeRoot/);
    expect(pdf.raw).toMatch(/\/ParentTree/);
    expect(pdf.structure[0]?.role).toBe("Document");
    expect(pdf.parentTreeProblems).toEqual([]);
  });

  it("06-003/07-001: XMP with dc:title and pdfuaid:part 1, and DisplayDocTitle true", () => {
    const { pdf, document } = written();
    expect(pdf.xmpEntries.get("dc:title")).toBe(document.metadata.title);
    expect(pdf.xmpEntries.get("pdfuaid:part")).toBe("1");
    expect(pdf.info.Title).toBe(document.metadata.title);
    expect(pdf.displayDocTitle).toBe(true);
  });

  it("11-001: the catalog declares the document language", () => {
    const { pdf, document } = written();
    expect(pdf.language).toBe(document.metadata.language);
  });

  it("01-005: no text is painted outside a structure element or an Artifact", () => {
    const { pdf } = written();
    expect(pdf.untaggedText.every((text) => text === "")).toBe(true);
    expect(normalized(pdf.text).length).toBeGreaterThan(20);
  });

  it("01-005: no graphic (text, rule, image) is painted outside marked content", () => {
    const { pdf } = written();
    expect(pdf.unmarkedPaint).toHaveLength(pdf.pages);
    expect(pdf.unmarkedPaint.flat()).toEqual([]);
  });

  it("31-030: no .notdef glyph is painted", () => {
    const { pdf } = written();
    expect(pdf.notdefGlyphs).toHaveLength(pdf.pages);
    expect(pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
  });

  it("18-001/18-002: page numbers are pagination Artifacts, one per page", () => {
    const { pdf } = written();
    expect(pdf.artifactText).toHaveLength(pdf.pages);
    pdf.artifactText.forEach((text, index) => expect(text.split("\n")).toContain(String(index + 1)));
  });

  it("14-002/14-003: one H1 (the title) first, then H2 per section, no skipped level", () => {
    const { pdf, document } = written();
    const levels = headings(pdf).map((node) => Number(node.role.slice(1)));
    expect(levels[0]).toBe(1);
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    levels.forEach((level, index) => {
      if (index > 0) expect(level).toBeLessThanOrEqual(levels[index - 1]! + 1);
    });
    const sectionTitles = document.sections.filter((section) => section.role !== "lead").map((section) => section.title);
    const h2 = headings(pdf)
      .filter((node) => node.role === "H2")
      .map((node) => normalized(node.text));
    expect(h2).toEqual(sectionTitles);
  });

  it("30-001 bookmarks: one outline entry per section, pointing at its heading's position", () => {
    const { pdf, document } = written();
    expect(pdf.outline.map((entry) => entry.title)).toEqual(document.sections.map((section) => section.title));
    for (const entry of pdf.outline) {
      expect(entry.kind).toBe("XYZ");
      expect(entry.top).toBeGreaterThan(0);
      expect(entry.page).toBeGreaterThanOrEqual(1);
    }
    const pages = pdf.outline.map((entry) => entry.page);
    expect([...pages].sort((a, b) => a - b)).toEqual(pages);
  });

  it("31-001/31-009: every font is embedded (TrueType FontFile2), no standard-14 font, no incomplete CIDSet", () => {
    const { pdf } = written();
    const descriptors = pdf.raw.match(/\/Type \/FontDescriptor/g) ?? [];
    expect(descriptors.length).toBeGreaterThan(0);
    expect(pdf.raw.match(/\/FontFile2 /g) ?? []).toHaveLength(descriptors.length);
    expect(pdf.raw.match(/\/ToUnicode /g) ?? []).toHaveLength(descriptors.length);
    expect(pdf.raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/);
    expect(pdf.raw).not.toMatch(/\/CIDSet/);
  });

  it("28-002/28-011: every link annotation sits in a Link element and has a non-empty /Contents; its page has /Tabs /S", () => {
    const { pdf } = written();
    const linkElements = flattenStructure(pdf.structure).filter((node) => node.role === "Link");
    const held = new Set(linkElements.flatMap((node) => node.annotations));
    for (const link of pdf.links) {
      expect(link.contents.trim()).not.toBe("");
      expect(held.has(link.id)).toBe(true);
    }
    for (const page of pdf.raw.match(/<<\n\/Type \/Page\n[\s\S]*?\n>>/g) ?? []) {
      if (page.includes("/Annots")) expect(page).toMatch(/\/Tabs \/S/);
    }
  });
});

describe("every-construct fixture", () => {
  it("06-003: XMP stays well-formed with & < and quotes in the title", () => {
    // The title's typed quotes are curled (src/document/typography.ts); & and < are kept.
    expect(everything.document.metadata.title).toMatch(/&.*<.*“/);
    // Escaped by the shared XML serializer (named or numeric references alike); the title parses back whole.
    expect(everything.pdf.xmp).toMatch(/Fish &(?:amp|#38);/);
    expect(everything.pdf.xmpEntries.get("dc:title")).toBe(everything.document.metadata.title);
    expect(everything.pdf.xmpEntries.get("dc:creator")).toEqual(["Ada Lovelace"]);
    expect(everything.pdf.xmpEntries.get("dc:source")).toBe("https://example.org/every-construct");
    expect(normalized(everything.pdf.text)).toContain("Source: https://example.org/every-construct");
  });

  it("A4 paper for en-GB, Letter for en-US", () => {
    expect(everything.pdf.raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(article.pdf.raw).toMatch(/\/MediaBox \[0 0 612 792\]/);
  });

  it("lists are L > LI > Lbl + LBody, nested inside LBody; task states are spoken", () => {
    const lists = flattenStructure(everything.pdf.structure).filter((node) => node.role === "L");
    expect(lists.length).toBeGreaterThanOrEqual(4);
    for (const list of lists) {
      for (const item of list.children) {
        expect(item.role).toBe("LI");
        expect(item.children.map((child) => child.role)).toEqual(["Lbl", "LBody"]);
      }
    }
    const nested = flattenStructure(everything.pdf.structure).filter((node) => node.role === "LBody" && node.children.some((child) => child.role === "L"));
    expect(nested.length).toBeGreaterThanOrEqual(2);
    const labels = flattenStructure(everything.pdf.structure).filter((node) => node.role === "Lbl" && node.alt !== undefined);
    expect(labels.map((node) => node.alt)).toEqual(["Done:", "Not done:"]);
    expect(everything.pdf.raw).toMatch(/\/ListNumbering \/Decimal/);
    // The nested bullets are drawn ◦ (Circle); the task list's labels are check boxes (None).
    expect(everything.pdf.raw.match(/\/ListNumbering \/\w+/g)).toEqual(["/ListNumbering /Decimal", "/ListNumbering /Circle", "/ListNumbering /Decimal", "/ListNumbering /None"]);
  });

  it("15-003: tables are Table > TR > TH/TD, every TH with a column scope", () => {
    const table = flattenStructure(everything.pdf.structure).find((node) => node.role === "Table")!;
    expect(table.children.every((row) => row.role === "TR")).toBe(true);
    expect(table.children[0]!.children.map((cell) => [cell.role, normalized(cell.text)])).toEqual([
      ["TH", "Country"],
      ["TH", "Camps"],
      ["TH", "Detainees"],
    ]);
    const headerCells = everything.pdf.raw.match(/\/S \/TH\b/g) ?? [];
    expect(headerCells).toHaveLength(3);
    expect(everything.pdf.raw.match(/\/Scope \/Column/g) ?? []).toHaveLength(3);
    expect(normalized(everything.pdf.text)).toContain("Syria 12 20,000");
  });

  it("13-004: a described image is a Figure with Alt; decorative, missing and remote images are not Figures", () => {
    const figures = flattenStructure(everything.pdf.structure).filter((node) => node.role === "Figure");
    expect(figures.map((node) => node.alt)).toEqual(["A red square on a white background"]);
    expect(normalized(everything.pdf.text)).toContain("[Image: A picture that is not on disk]");
    const rules = everything.messages.map((message) => message.rule);
    expect(rules).toEqual(expect.arrayContaining(["image-alt-missing", "image-missing", "image-remote-dropped"]));
  });

  it("BlockQuote and Code elements hold their text", () => {
    const all = flattenStructure(everything.pdf.structure);
    expect(normalized(all.find((node) => node.role === "BlockQuote")!.text)).toBe("A block quote, attributed to nobody, spanning two source lines.");
    expect(all.some((node) => node.role === "Code" && node.text.includes('console.log("code is shown, never read aloud");'))).toBe(true);
  });

  it("14-003: a skipped heading level is normalized to H3 and reported with its source line", () => {
    const skipped = headings(everything.pdf).find((node) => normalized(node.text) === "A Heading That Skips a Level");
    expect(skipped?.role).toBe("H3");
    const warning = everything.messages.find((message) => message.rule === "heading-level-skipped");
    expect(warning).toMatchObject({ severity: "warning", file: fixture, line: 28 });
    expect(everything.pdf.outline[1]!.children.map((entry) => entry.title)).toEqual(["A Heading That Skips a Level"]);
  });

  it("19-003: footnotes are Reference in the text and Note elements with IDs", () => {
    const all = flattenStructure(everything.pdf.structure);
    expect(all.filter((node) => node.role === "Reference").map((node) => node.text.trim())).toEqual(["1", "2"]);
    const notes = all.filter((node) => node.role === "Note");
    expect(notes.map((node) => normalized(node.text))).toEqual(["1. The lead footnote, with a link.", "2. The second footnote."]);
    expect(everything.pdf.raw.match(/\/S \/Note\n\/P \d+ 0 R\n\/ID \(note-\d\)/g) ?? []).toHaveLength(2);
    expect(everything.pdf.raw).toMatch(/\/IDTree/);
  });

  it("28-011: each note reference is a Link to its note, with /Contents", () => {
    const references = flattenStructure(everything.pdf.structure).filter((node) => node.role === "Reference");
    expect(references.map((node) => node.children.map((child) => [child.role, child.alt]))).toEqual([[["Link", "Note 1"]], [["Link", "Note 2"]]]);
    const noteLinks = everything.pdf.links.filter((link) => link.url === undefined);
    expect(noteLinks.map((link) => [link.dest, link.contents])).toEqual([
      ["note-1", "Note 1"],
      ["note-2", "Note 2"],
    ]);
    expect(everything.pdf.raw).toMatch(/\(note-1\) \[\d+ 0 R \/XYZ/);
  });

  it("28-011: links carry their text as /Contents; unsafe links are dropped with a warning", () => {
    const external = everything.pdf.links.filter((link) => link.url !== undefined);
    expect(external.map((link) => [link.url, link.contents])).toEqual([
      ["https://example.org/every-construct", "https://example.org/every-construct"],
      ["https://example.org/page", "link to the source"],
      ["https://example.org/note", "link"],
    ]);
    expect(everything.pdf.links.some((link) => link.url?.startsWith("javascript"))).toBe(false);
    expect(everything.messages.some((message) => message.rule === "link-unsafe-dropped" && message.line === 67)).toBe(true);
  });

  it("31-030 / 11-006: Arabic is a Span with /Lang ar drawn by a fallback font; Greek, dashes, quotes and ligatures extract as text", () => {
    const span = flattenStructure(everything.pdf.structure).find((node) => node.role === "Span" && node.lang === "ar");
    expect(span?.text.trim()).toBe("الهول");
    const text = normalized(everything.pdf.text);
    expect(text).toContain("αβγ");
    expect(text).toContain("Curly “quotes”, an em dash — and an ellipsis…");
    expect(text).toMatch(/the (ﬁ|fi) ligature/);
    expect(everything.messages.some((message) => message.rule === "glyph-missing")).toBe(false);
  });

  it("hostile HTML is never drawn", () => {
    const text = everything.pdf.text;
    expect(text).not.toContain("alert");
    expect(text).not.toContain("<script");
    expect(normalized(text)).toContain("A javascript link and an event handler.");
  });
});

describe("reading order", () => {
  it.each([
    ["seed article", () => article],
    ["Alice", () => book],
  ])("%s: every block's text appears whole and in source order (no hyphenation, no interleaving)", (_name, written) => {
    const { pdf, document } = written();
    const text = normalized(pdf.text);
    let from = 0;
    for (const section of document.sections) {
      for (const block of section.blocks) {
        const expected = normalized(readableText(block));
        if (expected === "") continue;
        const at = text.indexOf(expected, from);
        expect(at, expected.slice(0, 60)).toBeGreaterThanOrEqual(from);
        from = at + expected.length;
      }
    }
  });
});

describe("seed article", () => {
  it("has the 10 section headings as H2, in order, each with a bookmark", () => {
    const h2 = headings(article.pdf)
      .filter((node) => node.role === "H2")
      .map((node) => normalized(node.text));
    expect(h2.slice(0, 10)).toEqual(article.document.sections.filter((section) => section.role === "body").map((section) => section.title));
    expect(h2).toHaveLength(article.document.sections.filter((section) => section.role !== "lead").length);
  });
});

describe("100-section document", () => {
  it("tags 100 H2 headings and 100 bookmarks after the lead", () => {
    expect(headings(generated.pdf).filter((node) => node.role === "H2")).toHaveLength(100);
    expect(generated.pdf.outline).toHaveLength(101);
    expect(generated.pdf.links).toHaveLength(100);
    expect(generated.pdf.raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  });
});

/** The last structure leaf holding text on each page. */
function lastLeafPerPage(pdf: PdfStructure): PdfStructNode[] {
  const leaves = flattenStructure(pdf.structure).filter((node) => node.children.length === 0 && node.text.trim() !== "");
  const last = new Map<number, PdfStructNode>();
  for (const leaf of leaves) last.set(leaf.page, leaf);
  return [...last.values()];
}

describe("typography", () => {
  it.each([
    ["every-construct fixture", () => everything],
    ["seed article", () => article],
    ["Alice", () => book],
    ["100-section document", () => generated],
  ])("%s: no page ends with a heading (headings are kept with the text that follows)", (_name, written) => {
    const endings = lastLeafPerPage(written().pdf);
    expect(endings.length).toBe(written().pdf.pages);
    for (const leaf of endings) expect(leaf.role).not.toMatch(/^H[1-6]$/);
  });

  it("Alice: 12 chapters as H2 with bookmarks, in order", () => {
    const chapters = headings(book.pdf)
      .filter((node) => node.role === "H2")
      .map((node) => normalized(node.text));
    expect(chapters).toHaveLength(12);
    expect(chapters[0]).toMatch(/^Chapter I\b/i);
    expect(book.pdf.outline.slice(1).map((entry) => entry.title)).toEqual(book.document.sections.slice(1).map((section) => section.title));
    expect(book.pdf.pages).toBeGreaterThan(40);
    // A book's chapters start at the top of a page; the article's sections run on.
    const pageTop = 792 - 72;
    expect(book.pdf.outline.slice(1).every((entry) => entry.top === pageTop)).toBe(true);
    expect(article.pdf.outline.slice(1).some((entry) => entry.top !== 792 - 72)).toBe(true);
  });

  it("Alice: a page that opens a chapter has no running title, as in a printed book; the others do", () => {
    const openings = new Set(book.pdf.outline.slice(1).map((entry) => entry.page));
    expect(openings.size).toBe(12);
    book.pdf.artifactText.forEach((text, index) => {
      const page = index + 1;
      const hasTitle = text.includes("Alice’s Adventures in Wonderland");
      expect(hasTitle, `page ${page}`).toBe(page !== 1 && !openings.has(page));
    });
    // An article keeps its running title on every page after the first.
    expect(article.pdf.artifactText.slice(1).every((text) => text.split("\n").length > 1)).toBe(true);
  });
});

describe("right-to-left text (Arabic document and an Arabic phrase in English)", () => {
  let rtl: Written;
  beforeAll(async () => {
    rtl = await writePdf((await readDocument(resolve("tests/fixtures/pdf/right-to-left.md"))).document);
  });

  it("11-001/31-030: extracts each Arabic phrase in reading order, words and spaces intact", () => {
    const all = flattenStructure(rtl.pdf.structure);
    expect(rtl.pdf.language).toBe("ar");
    expect(normalized(all.find((node) => node.role === "H1")!.text)).toBe("مخيم الهول");
    // The language Span; the Spans inside it carry each right-to-left run's /ActualText.
    expect(normalized(all.find((node) => node.role === "Span" && node.lang !== undefined)!.text)).toBe("مخيم الهول الكبير");
    expect(all.find((node) => node.role === "Span" && node.lang !== undefined)!.lang).toBe("ar");
    expect(normalized(all.filter((node) => node.role === "P")[1]!.text)).toBe("نص عربي قصير هنا.");
    expect(rtl.messages.some((message) => message.rule === "glyph-missing")).toBe(false);
  });
});

describe("characters no embedded font has (CJK)", () => {
  let uncovered: Written;
  beforeAll(async () => {
    uncovered = await writePdf((await readDocument(resolve("tests/fixtures/pdf/uncovered-characters.md"))).document);
  });

  it("31-030: draws U+FFFD instead of .notdef, with the character as ActualText, and warns once", () => {
    expect(uncovered.pdf.notdefGlyphs.every((count) => count === 0)).toBe(true);
    // (The right-to-left mark is a run at an odd level: its Span's /ActualText is the mark itself.)
    const replaced = flattenStructure(uncovered.pdf.structure).filter((node) => node.role === "Span" && node.alt !== undefined && node.alt !== "\u200f");
    expect(replaced.map((node) => node.alt)).toEqual(["漢", "字", "漢", "字", "漢", "字"]);
    expect(uncovered.messages.filter((message) => message.rule === "glyph-missing")).toHaveLength(1);
    expect(uncovered.pdf.untaggedText.every((text) => text === "")).toBe(true);
    expect(normalized(uncovered.pdf.text)).toContain("Greek λόγος");
  });
});

describe("a table longer than a page", () => {
  let long: Written;
  beforeAll(async () => {
    const rows = Array.from({ length: 120 }, (_, index) => `| Row ${index + 1} | ${index * 7} | value ${index} |`);
    const source = ["---", "title: Long Table", "---", "", "Before the table.", "", "| Name | Count | Note |", "| --- | --: | --- |", ...rows, "", "After the table."].join("\n");
    long = await writePdf(parseSource(source, join(outDir, "long-table.md"), "markdown"));
  });

  it("15-003: one tagged header row; on continuation pages the header is repeated as an Artifact", () => {
    const tables = flattenStructure(long.pdf.structure).filter((node) => node.role === "Table");
    expect(new Set(tables.map((table) => table.page)).size).toBeGreaterThan(1);
    const headerCells = flattenStructure(long.pdf.structure).filter((node) => node.role === "TH" && node.text.trim() !== "");
    expect(headerCells.map((cell) => normalized(cell.text))).toEqual(["Name", "Count", "Note"]);
    for (const artifact of long.pdf.artifactText.slice(1, -1)) expect(normalized(artifact)).toContain("Name Count Note");
    const text = normalized(long.pdf.text);
    expect(text.match(/Name Count Note/g)).toHaveLength(1);
    expect(text).toContain("Row 120 833 value 119");
    expect(long.pdf.unmarkedPaint.flat()).toEqual([]);
  });
});

describe("image titles and empty sub-headings", () => {
  let captioned: Written;
  beforeAll(async () => {
    const source = [
      "---",
      "title: Captions",
      "---",
      "",
      "## Pictures",
      "",
      "###",
      "",
      '![A red square](images/red-square.png "Figure 1: a red square")',
      "",
      '![Not on disk](images/missing.png "Figure 2: lost")',
      "",
      "### After",
      "",
      "Closing words.",
    ].join("\n");
    // Beside the every-construct fixture, so `images/red-square.png` resolves.
    captioned = await writePdf(parseSource(source, resolve("tests/fixtures/every-construct/captions.md"), "markdown"));
  });

  it("13-004: an image's title is drawn under it as a P outside the Figure (the Figure's /Alt would hide it)", () => {
    const all = flattenStructure(captioned.pdf.structure);
    const figure = all.find((node) => node.role === "Figure");
    expect(figure?.alt).toBe("A red square");
    expect(figure?.children.some((child) => child.text.includes("Figure 1"))).toBe(false);
    const paragraphs = all.filter((node) => node.role === "P").map((node) => normalized(node.text));
    expect(paragraphs).toContain("Figure 1: a red square");
    expect(paragraphs).toContain("[Image: Not on disk] Figure 2: lost");
    expect(captioned.pdf.untaggedText.every((text) => text === "")).toBe(true);
  });

  it("14-003: an empty sub-heading is left out (no empty H3 or bookmark) with a warning, and the next keeps its level", () => {
    expect(captioned.pdf.outline.flatMap((entry) => entry.children).map((entry) => entry.title)).toEqual(["After"]);
    const roles = headings(captioned.pdf).map((node) => [node.role, normalized(node.text)]);
    expect(roles).toEqual([
      ["H1", "Captions"],
      ["H2", "Pictures"],
      ["H3", "After"],
    ]);
    expect(captioned.messages.filter((message) => message.rule === "heading-empty").map((message) => message.line)).toEqual([7]);
  });
});

describe("Lectern's own words in the document's language", () => {
  let french: Written;
  let german: Written;
  let japanese: Written;
  let english: Written;
  const source = (language: string) =>
    [
      "---",
      "title: Livre",
      `lang: ${language}`,
      "source: https://example.org/livre",
      "---",
      "",
      "## Un",
      "",
      "![Un port à l'aube](images/absent.png)",
      "",
      "- [x] fait",
      "- [ ] à faire",
    ].join("\n");
  beforeAll(async () => {
    const write = (language: string) => writePdf(parseSource(source(language), resolve(`tests/fixtures/every-construct/livre-${language}.md`), "markdown"));
    [french, german, japanese, english] = await Promise.all([write("fr"), write("de"), write("ja"), write("en")]);
  });

  it('"Source:", "Image:" and the task labels are French in a French document, German in a German one, and not marked as another language', () => {
    const labels = (written: Written) =>
      flattenStructure(written.pdf.structure)
        .filter((node) => node.role === "Lbl" && node.alt !== undefined)
        .map((node) => [node.alt, node.lang]);
    const paragraphs = (written: Written) =>
      flattenStructure(written.pdf.structure)
        .filter((node) => node.role === "P")
        .map((node) => normalized(node.text));
    expect(labels(french)).toEqual([
      ["Fait\u00a0:", undefined],
      ["À faire\u00a0:", undefined],
    ]);
    expect(paragraphs(french)).toContain("Source : https://example.org/livre");
    expect(paragraphs(french)).toContain("[Image : Un port à l'aube]");
    expect(labels(german)).toEqual([
      ["Erledigt:", undefined],
      ["Offen:", undefined],
    ]);
    expect(paragraphs(german)).toContain("Quelle: https://example.org/livre");
    expect(paragraphs(german)).toContain("[Bild: Un port à l'aube]");
    for (const written of [french, german]) expect(flattenStructure(written.pdf.structure).some((node) => node.role === "Span" && node.lang === "en")).toBe(false);
  });

  it("11-006: in a language Lectern has no words for, they are English, tagged /Lang en, so they are not read with a Japanese voice", () => {
    const spans = flattenStructure(japanese.pdf.structure).filter((node) => node.role === "Span" && node.lang === "en");
    expect(spans.map((node) => normalized(node.text))).toEqual(["Source:", "Image:"]);
    const labels = flattenStructure(japanese.pdf.structure).filter((node) => node.role === "Lbl" && node.alt !== undefined);
    expect(labels.map((node) => [node.alt, node.lang])).toEqual([
      ["Done:", "en"],
      ["Not done:", "en"],
    ]);
    const paragraphs = flattenStructure(japanese.pdf.structure)
      .filter((node) => node.role === "P")
      .map((node) => normalized(node.text));
    expect(paragraphs).toContain("Source: https://example.org/livre");
    expect(paragraphs).toContain("[Image: Un port à l'aube]");
  });

  it("an English document has no such spans", () => {
    expect(flattenStructure(english.pdf.structure).some((node) => node.role === "Span" && node.lang === "en")).toBe(false);
    expect(
      flattenStructure(english.pdf.structure)
        .filter((node) => node.role === "Lbl" && node.alt !== undefined)
        .map((node) => node.lang),
    ).toEqual([undefined, undefined]);
  });
});

describe("links to headings of the document", () => {
  let linked: Written;
  beforeAll(async () => {
    const source = [
      "---",
      "title: Cross References",
      "---",
      "",
      "See [the method](#the-method), [the section by its slug](#results-and-caveats), [the top](#cross-references) and [nowhere](#missing).",
      "",
      "## The Method",
      "",
      "Text.",
      "",
      "### Caveats",
      "",
      "Back to [the method](#The-Method) and on to [caveats](#caveats-1).",
      "",
      "## Results and Caveats",
      "",
      "### Caveats",
      "",
      "More.",
    ].join("\n");
    linked = await writePdf(parseSource(source, join(outDir, "cross-references.md"), "markdown"));
  });

  it("28-011: a #fragment naming a heading is a Link with a GoTo to the heading's named destination", () => {
    const internal = linked.pdf.links.filter((link) => link.url === undefined);
    expect(internal.map((link) => [link.dest, link.contents])).toEqual([
      ["h-the-method", "the method"],
      ["h-results-and-caveats", "the section by its slug"],
      ["title", "the top"],
      ["h-the-method", "the method"],
      ["h-caveats-1", "caveats"],
    ]);
    for (const name of ["h-the-method", "h-caveats", "h-results-and-caveats", "h-caveats-1", "title"]) {
      expect(linked.pdf.raw).toMatch(new RegExp(`\\(${name}\\) \\[\\d+ 0 R /XYZ`));
    }
    const links = flattenStructure(linked.pdf.structure).filter((node) => node.role === "Link");
    expect(links.map((node) => normalized(node.text))).toEqual(["the method", "the section by its slug", "the top", "the method", "caveats"]);
  });

  it("a fragment that names no heading keeps its text, without a link, and says so", () => {
    expect(normalized(linked.pdf.text)).toContain("and nowhere.");
    expect(linked.messages.filter((message) => message.rule === "link-target-missing").map((message) => message.line)).toEqual([5]);
    expect(linked.messages.some((message) => message.rule === "link-relative-dropped")).toBe(false);
  });
});

describe("strikethrough", () => {
  let struck: Written;
  beforeAll(async () => {
    const source = ["---", "title: Prices", "---", "", "Was ~~forty dollars~~ thirty, and <del>old</del> new."].join("\n");
    struck = await writePdf(parseSource(source, join(outDir, "prices.md"), "markdown"));
  });

  it("01-005: the line through struck text is an Artifact, and the text is still all there, in order", () => {
    expect(normalized(struck.pdf.text)).toContain("Was forty dollars thirty, and old new.");
    expect(struck.pdf.unmarkedPaint.flat()).toEqual([]);
    expect(struck.pdf.untaggedText.every((text) => text === "")).toBe(true);
  });
});
