// Markdown as real sites write it (issue 13): a README's logo block and badges above a lone
// `# Title`, front matter naming the title too, and `##` sections below.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Heading, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource, readDocument } from "../../src/document/read.js";
import { scriptText, sectionSpeech } from "../../src/document/speech/index.js";
import type { LecternDocument } from "../../src/document/model.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { pdfStage } from "../../src/stages/pdf/index.js";
import { byName, epubCheckMessages, fakeContext, openEpub, type OpenedEpub } from "../helpers/epub.js";
import { readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

const nvmReadme = join(import.meta.dirname, "../fixtures/markdown/nvm-readme.md");
const markdown = (source: string) => parseSource(source, "/tmp/site-page.md", "markdown");
const titles = (document: LecternDocument) => document.sections.map((section) => section.title);
const speech = (document: LecternDocument) => document.sections.map((section) => scriptText(sectionSpeech(document, section))).join("\n");
const images = (blocks: readonly RootContent[]): string[] => {
  const found: string[] = [];
  const visit = (node: RootContent): void => {
    if (node.type === "image") found.push(node.alt ?? "");
    if ("children" in node) for (const child of node.children as RootContent[]) visit(child);
  };
  for (const block of blocks) visit(block);
  return found;
};

describe("a GitHub README: logo block, `# Name` with badges, `##` sections", () => {
  let document: LecternDocument;
  let outDir: string;
  let epub: OpenedEpub;
  let pdf: PdfStructure;

  beforeAll(async () => {
    ({ document } = await readDocument(nvmReadme));
    outDir = await mkdtemp(join(tmpdir(), "lectern-readme-"));
    const result = await epubStage.write(document, fakeContext(outDir));
    epub = await openEpub(join(outDir, String(result.manifest.path)));
    const printed = await pdfStage.write(document, fakeContext(outDir));
    pdf = await readPdfStructure(join(outDir, String(printed.manifest.path)));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("takes the title from the `#` after the logo, without the badges, and cuts sections at `##`", () => {
    expect(document.metadata.title).toBe("Node Version Manager");
    expect(titles(document)).toEqual(["Node Version Manager", "Table of Contents", "Intro", "About", "Installing and Updating", "Usage"]);
    expect(document.sections.slice(1).every((section) => section.depth === 2)).toBe(true);
    expect(document.sections.map((section) => section.slug)).toEqual(["node-version-manager", "table-of-contents", "intro", "about", "installing-and-updating", "usage"]);
  });

  it("keeps the logo and the badges in the body, at the title's place", () => {
    const lead = document.sections[0]!;
    expect(lead.role).toBe("lead");
    expect(lead.blocks.some((block) => block.type === "html" && block.value.includes("nvm-logo-color.svg"))).toBe(true);
    expect(images(lead.blocks)).toEqual(["Tests", "nvm version", "CII Best Practices"]);
  });

  it("never reads the badges aloud nor counts them as words", () => {
    const said = speech(document);
    expect(said).not.toMatch(/Image: (Tests|nvm version|CII)/);
    expect(said.split("\n")[0]).toBe("Node Version Manager.");
    expect(document.sections[0]!.words).toBe(0);
  });

  it("the EPUB's table of contents lists the `##` sections, titled without badges", () => {
    expect(epub.toc.map((entry) => entry.label)).toEqual(["Node Version Manager", "Table of Contents", "Intro", "About", "Installing and Updating", "Usage"]);
    expect(epub.toc.find((entry) => entry.label === "Installing and Updating")!.children.map((entry) => entry.label)).toEqual(["Install & Update Script"]);
  });

  it("the PDF's title and bookmarks are the document's title and its `##` sections", () => {
    expect(pdf.info.Title).toBe("Node Version Manager");
    expect(pdf.outline.map((entry) => entry.title)).toEqual(titles(document));
  });
});

describe("a lone top `#` is the document's title, never a section level", () => {
  it("with a front matter title that differs, the sections are still the `##`, and the `#` heads the lead", () => {
    const document = markdown("---\ntitle: The Site Title\n---\n\n# The Page Heading\n\nOpening words of the page.\n\n## One\n\nBody one.\n\n## Two\n\nBody two.\n");
    expect(document.metadata.title).toBe("The Site Title");
    expect(titles(document)).toEqual(["The Site Title", "One", "Two"]);
    const lead = document.sections[0]!;
    const heading = lead.blocks[0] as Heading;
    expect(heading.type).toBe("heading");
    expect(toString(heading)).toBe("The Page Heading");
    expect(speech(document)).toContain("The Page Heading.");
  });

  it("in the EPUB the front matter title is the book's, the `#` a heading on the title page, the `##` chapters; EPUBCheck is silent", async () => {
    const document = markdown("---\ntitle: The Site Title\n---\n\n# The Page Heading\n\nOpening words of the page.\n\n## One\n\nBody one.\n\n## Two\n\nBody two.\n");
    const outDir = await mkdtemp(join(tmpdir(), "lectern-page-heading-"));
    try {
      const result = await epubStage.write(document, fakeContext(outDir));
      const epub = await openEpub(join(outDir, String(result.manifest.path)));
      expect(epub.toc.map((entry) => entry.label)).toEqual(["The Site Title", "One", "Two"]);
      const headings = [...epub.contentDocuments.entries()]
        .filter(([path]) => path !== epub.navPath)
        .flatMap(([, chapter]) => ["h1", "h2", "h3"].flatMap((name) => byName(chapter, name).map((heading) => `${name} ${heading.text.trim()}`)));
      expect(headings).toEqual(expect.arrayContaining(["h1 The Site Title", "h2 The Page Heading", "h2 One", "h2 Two"]));
      expect(await epubCheckMessages(epub.bytes)).toEqual([]);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it("with a front matter title that matches, the `#` is not repeated", () => {
    const document = markdown("---\ntitle: The Title\n---\n\n# The title\n\nOpening words.\n\n## One\n\nBody one.\n");
    expect(titles(document)).toEqual(["The Title", "One"]);
    expect(document.sections[0]!.blocks.some((block) => block.type === "heading")).toBe(false);
  });

  it("after HTML comments and a row of images", () => {
    const document = markdown(
      '<!-- generated -->\n<p align="center"><img src="logo.png" alt="Logo"></p>\n\n![banner](banner.png)\n\n# Tool\n\nIt does things well.\n\n## Use\n\nRun it.\n',
    );
    expect(document.metadata.title).toBe("Tool");
    expect(titles(document)).toEqual(["Tool", "Use"]);
  });

  it("but a document with several `#` headings keeps `#` as its section level", () => {
    const document = markdown("# Part One\n\nText one.\n\n## Detail\n\nMore.\n\n# Part Two\n\nText two.\n");
    expect(document.metadata.title).toBe("Site page");
    expect(titles(document)).toEqual(["Part One", "Part Two"]);
  });

  it("and a `#` below opening text is not a title", () => {
    const document = markdown("Some words before any heading at all.\n\n# Heading\n\nText.\n\n## Sub\n\nMore.\n");
    expect(document.metadata.title).toBe("Site page");
    expect(titles(document)).toEqual(["Site page", "Heading"]);
  });
});

describe("badges in the opening paragraph", () => {
  const source =
    "[![npm](https://img.shields.io/npm/v/tool.svg)](https://npmjs.com/tool) [![build][ci-badge]][ci]\n\n" +
    "A small tool that converts one thing into another, quickly and well.\n\n## Usage\n\nRun it with care.\n\n" +
    "[ci-badge]: https://ci.example/badge.svg\n[ci]: https://ci.example/\n";

  it("are neither words nor speech, and stay in the body", () => {
    const document = markdown(source);
    const lead = document.sections[0]!;
    expect(images(lead.blocks)).toEqual(["npm"]);
    const opening = lead.blocks[0]!;
    expect(opening.type === "paragraph" && opening.children.some((node) => node.type === "linkReference")).toBe(true);
    const said = speech(document);
    expect(said).not.toMatch(/Image|npm|build|\blink\b/);
    expect(said).toContain("A small tool that converts one thing into another");
    expect(lead.words).toBe(12);
  });

  it("a heading of badges alone names nothing: the file name titles the document", () => {
    const document = markdown("# [![Tests](https://ci.example/badge.svg)](https://ci.example)\n\nWords of the page.\n\n## One\n\nBody.\n");
    expect(document.metadata.title).toBe("Site page");
    expect(images(document.sections[0]!.blocks)).toEqual(["Tests"]);
  });

  it("an image in a link later in the document is not a badge: its description counts", () => {
    const document = markdown("## One\n\nOpening words of the page.\n\n## Two\n\n[![A chart of sales](chart.png)](chart.png)\n");
    expect(document.sections[1]!.words).toBe(5);
  });

  it("an image by reference separates the words around it in a title", () => {
    const document = markdown("## Alpha![logo][l]Beta\n\nText.\n\n[l]: logo.png\n");
    expect(titles(document)).toEqual(["Alpha Beta"]);
  });
});
