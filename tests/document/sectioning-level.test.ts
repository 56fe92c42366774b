// The sectioning level: the shallowest heading depth, unless that level does not divide the
// document (a blog post whose parts are `###` above its only `##`, its conclusion).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource, readDocument } from "../../src/document/read.js";
import type { LecternDocument } from "../../src/document/model.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { pdfStage } from "../../src/stages/pdf/index.js";
import { byName, epubCheckMessages, fakeContext, openEpub, type OpenedEpub } from "../helpers/epub.js";
import { flattenStructure, readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

const blogPost = join(import.meta.dirname, "../fixtures/markdown/blog-post.md");
const markdown = (source: string) => parseSource(source, "/tmp/post.md", "markdown");
const titles = (document: LecternDocument) => document.sections.map((section) => section.title);
/** A paragraph of `count` words of prose (distinct sentences, so nothing reads as a repeated line). */
const prose = (count: number, seed = "soil") =>
  Array.from({ length: count }, (_, index) => (index % 12 === 11 ? `${seed}${index}.` : index % 12 === 0 ? `The${index}` : `${seed}${index}`)).join(" ");

describe("a blog post whose parts are `###` and whose only `##` is the conclusion", () => {
  let document: LecternDocument;
  let outDir: string;
  let epub: OpenedEpub;
  let pdf: PdfStructure;
  beforeAll(async () => {
    ({ document } = await readDocument(blogPost));
    outDir = await mkdtemp(join(tmpdir(), "lectern-blog-"));
    const result = await epubStage.write(document, fakeContext(outDir));
    epub = await openEpub(join(outDir, String(result.manifest.path)));
    const printed = await pdfStage.write(document, fakeContext(outDir));
    pdf = await readPdfStructure(join(outDir, String(printed.manifest.path)));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("is split at its `###` parts and the `##`, not into the lead and the conclusion", () => {
    expect(titles(document)).toEqual(["Three Winters on the Allotment", "The first winter: clearing", "The second winter: feeding", "The third winter: covering", "Conclusion"]);
    expect(document.sections.map((section) => section.depth)).toEqual([0, 3, 3, 3, 2]);
  });

  it("the EPUB has a chapter per part, every part an h2 and its `####` an h3; EPUBCheck is silent", async () => {
    expect(epub.toc.map((entry) => entry.label)).toEqual(titles(document));
    expect(epub.toc[1]!.children.map((entry) => entry.label)).toEqual(["What we would change"]);
    const headings = [...epub.contentDocuments.entries()]
      .filter(([path]) => path !== epub.navPath)
      .flatMap(([, chapter]) => ["h1", "h2", "h3", "h4"].flatMap((name) => byName(chapter, name).map((heading) => `${name} ${heading.text.trim()}`)));
    expect(headings).toEqual(expect.arrayContaining(["h2 The first winter: clearing", "h3 What we would change", "h2 The third winter: covering", "h2 Conclusion"]));
    expect(headings.some((heading) => heading.startsWith("h4"))).toBe(false);
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });

  it("the PDF bookmarks the parts side by side, the sub-heading under its part, tagged H2 and H3", () => {
    expect(pdf.outline.map((entry) => entry.title)).toEqual(titles(document));
    expect(pdf.outline[1]!.children.map((entry) => entry.title)).toEqual(["What we would change"]);
    const headings = flattenStructure(pdf.structure)
      .filter((node) => /^H\d$/.test(node.role))
      .map((node) => `${node.role} ${node.readText.trim()}`);
    expect(headings).toEqual(expect.arrayContaining(["H2 The first winter: clearing", "H3 What we would change", "H2 Conclusion"]));
    expect(headings.some((heading) => heading.startsWith("H4"))).toBe(false);
  });

  it("without the deeper split it would have been two sections (the rule can fail)", async () => {
    const source = await readFile(blogPost, "utf8");
    // The same post with the parts made too short to stand alone: they stay inside the lead.
    const short = source.replace(/^(#{3} .*\n\n)[^\n#]+\n/gm, "$1A few words only.\n");
    expect(titles(markdown(short))).toEqual(["Three Winters on the Allotment", "Conclusion"]);
  });
});

describe("other shapes", () => {
  it("`###` parts nested under a `##` stay its subsections, even when it holds most of the words", () => {
    // The shape of a real post (tests/corpus/hugo-blog-otel-community-day.md): `## Schedule` with its items, then `## Join us!`.
    const document = markdown(
      `# Title\n\n${prose(60)}\n\n## Schedule\n\n${prose(20)}\n\n### First\n\n${prose(150)}\n\n### Second\n\n${prose(150)}\n\n### Third\n\n${prose(150)}\n\n## Join us\n\n${prose(15)}\n`,
    );
    expect(titles(document)).toEqual(["Title", "Schedule", "Join us"]);
    expect(document.sections.map((section) => section.depth)).toEqual([0, 2, 2]);
  });

  it("a README's `##` sections stay the split even when one holds most words under its `###`", () => {
    const document = markdown(
      `# Tool\n\n${prose(30)}\n\n## Install\n\n${prose(40)}\n\n## Usage\n\n${prose(20)}\n\n### Options\n\n${prose(300)}\n\n### Examples\n\n${prose(300)}\n\n## License\n\n${prose(10)}\n`,
    );
    expect(titles(document)).toEqual(["Tool", "Install", "Usage", "License"]);
  });

  it("a big part with a single `###` inside stays whole", () => {
    const document = markdown(`${prose(400)}\n\n### Aside\n\n${prose(100)}\n\n## Comments\n\n${prose(20)}\n`);
    expect(titles(document)).toEqual(["Post", "Comments"]);
  });

  it("a long lead with the `###` notes no bigger than a few lines is not cut into them", () => {
    const document = markdown(`${prose(40)}\n\n### A\n\n${prose(30)}\n\n### B\n\n${prose(30)}\n\n### C\n\n${prose(30)}\n\n## Conclusion\n\n${prose(20)}\n`);
    expect(titles(document)).toEqual(["Post", "Conclusion"]);
  });

  it("parts that share the words evenly keep the shallowest level", () => {
    const document = markdown(`## One\n\n${prose(200)}\n\n### One A\n\n${prose(200)}\n\n### One B\n\n${prose(200)}\n\n## Two\n\n${prose(500)}\n`);
    expect(titles(document)).toEqual(["One", "Two"]);
  });
});
