// The EPUB stage on awkward input: raw HTML images, links inside and outside the book,
// pictures that cannot be packaged, skipped heading levels, repeated footnotes, right-to-left
// languages, hostile titles. Every book must still pass EPUBCheck without a message.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { epubStage, renderEpub } from "../../src/stages/epub/index.js";
import { readingFontOption } from "../../src/stages/epub/reading-font.js";
import { byName, epubCheckMessages, fakeContext, findAll, localName, openEpub, openEpubBytes, type FakeContext, type OpenedEpub, type XmlTree } from "../helpers/epub.js";

const awkward = join(import.meta.dirname, "../fixtures/epub/awkward/book/document.md");

function chapters(epub: OpenedEpub): [string, XmlTree][] {
  return [...epub.contentDocuments.entries()].filter(([path]) => path !== epub.navPath);
}

describe("EPUB stage on awkward Markdown", () => {
  let outDir: string;
  let epub: OpenedEpub;
  let context: FakeContext;
  const rules = () => context.messages.map((message) => message.rule);

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "lectern-epub-awkward-"));
    const { document } = await readDocument(awkward);
    context = fakeContext(outDir);
    const result = await epubStage.write(document, context);
    epub = await openEpub(join(outDir, String(result.manifest.path)));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("passes EPUBCheck with no message", async () => {
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });

  it("points fragment links at the file holding their heading, and unwraps links that lead nowhere", () => {
    const links = chapters(epub).flatMap(([path, document]) => byName(document, "a").map((link) => ({ path, link })));
    const hrefOf = (label: string) => links.find(({ link }) => link.text === label)?.link.attributes.href;
    const second = hrefOf("a link to the second section");
    expect(second).toMatch(/^\d\d-second-section\.xhtml/);
    expect(epub.contentDocuments.has(`OEBPS/${second!.split("#")[0]}`)).toBe(true);
    expect(hrefOf("the first")).toMatch(/^\d\d-first-section\.xhtml/);
    expect(hrefOf("an address")).toBe("mailto:someone@example.org");
    // Kept as text, without a link.
    expect(hrefOf("a missing anchor")).toBeUndefined();
    expect(hrefOf("another file")).toBeUndefined();
    expect(hrefOf("script link")).toBeUndefined();
    const all = chapters(epub)
      .map(([, document]) => document.text)
      .join("\n");
    for (const label of ["a missing anchor", "another file", "script link"]) expect(all).toContain(label);
    expect(rules()).toEqual(expect.arrayContaining(["link-target-missing", "link-relative-dropped"]));
    // Markdown links keep their source line in the warning (lines 10 and 11 of the fixture).
    const missing = context.messages.find((message) => message.rule === "link-target-missing");
    expect(missing?.line).toBe(10);
    expect(context.messages.find((message) => message.rule === "link-relative-dropped")?.line).toBe(11);
  });

  it("packages each local picture once, from Markdown or raw HTML, SVG cleaned, and drops the rest with a named warning", () => {
    const pictures = epub.manifest.filter((item) => item.mediaType.startsWith("image/") && !item.properties.includes("cover-image"));
    // The scripted and the remote-loading SVG are packaged cleaned (svg-safety.ts), not dropped.
    expect(pictures.map((item) => item.mediaType).sort()).toEqual(["image/png", "image/png", "image/svg+xml", "image/svg+xml", "image/svg+xml", "image/svg+xml"]);
    for (const item of pictures.filter((picture) => picture.mediaType === "image/svg+xml")) {
      expect(epub.text(item.path)).not.toMatch(/onload|example\.org|<script/);
    }
    // A PNG named .jpg is packaged as what its bytes say (EPUBCheck OPF-029 checks).
    expect(pictures.every((item) => item.href.endsWith(item.mediaType === "image/png" ? ".png" : ".svg"))).toBe(true);
    const images = chapters(epub)
      .flatMap(([, document]) => byName(document, "img"))
      .filter((image) => !image.attributes.src?.includes("cover"));
    expect(images.map((image) => image.attributes.alt)).toEqual([
      "Raw HTML picture of a red square",
      "Scripted drawing",
      "Plain drawing",
      "Same red square again",
      "inline red square",
      "Renamed picture",
      "Remote drawing",
      "Gradient drawing",
    ]);
    const reasons = context.messages.map((message) => `${message.rule}: ${message.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^image-remote-dropped: .*https:\/\/example\.org\/tracker\.gif/),
        expect.stringMatching(/^image-outside-folder: .*\.\.\/outside\/secret\.png/),
        expect.stringMatching(/^image-svg-cleaned: .*images\/scripted\.svg.*event handler `onload`/),
        expect.stringMatching(/^image-missing: .*nothing-here\.png/),
        expect.stringMatching(/^image-type-unsupported: .*not-an-image\.png/),
        expect.stringMatching(/^image-svg-cleaned: .*remote\.svg.*reference to `https:\/\/example\.org\/pixel\.png`/),
      ]),
    );
    const all = chapters(epub)
      .map(([, document]) => document.text)
      .join("\n");
    for (const alt of ["Remote raw picture", "Outside the folder", "broken picture", "Not an image"]) {
      expect(all).toContain(alt);
    }
    const captions = chapters(epub).flatMap(([, document]) => byName(document, "figcaption"));
    expect(captions.map((caption) => caption.text)).toEqual(["A grey square"]);
  });

  it("drops styles, foreign ids, event handlers and unknown elements but keeps their text", () => {
    for (const [path, document] of chapters(epub)) {
      const attributes = findAll(document, () => true).flatMap((node) => Object.keys(node.attributes));
      expect(
        attributes.filter((name) => name === "style" || name.startsWith("on")),
        path,
      ).toEqual([]);
      expect(
        findAll(document, (node) => node.attributes.id === "clash"),
        path,
      ).toEqual([]);
      expect(
        findAll(document, (node) => ["details", "summary"].includes(localName(node))),
        path,
      ).toEqual([]);
    }
    const all = chapters(epub)
      .map(([, document]) => document.text)
      .join("\n");
    expect(all).toContain("Styled paragraph");
    expect(all).toContain("Text inside details");
  });

  it("closes a skipped heading level and nests the outline in the nav", () => {
    const first = epub.toc.find((entry) => entry.label === "First Section");
    expect(first?.children.map((entry) => entry.label)).toEqual(["Sub Heading"]);
    expect(first?.children[0]?.children.map((entry) => entry.label)).toEqual(["Deep Skip"]);
    const [path] = first!.href.split("#");
    const levels = findAll(epub.contentDocuments.get(path!)!, (node) => /^h\d$/.test(localName(node))).map((node) => localName(node));
    expect(levels).toEqual(["h2", "h3", "h4"]);
    expect(context.messages.find((message) => message.rule === "heading-level-skipped")?.line).toBeGreaterThan(0);
  });

  it("writes one footnote cited twice, with a back link to its first citation", () => {
    const [, document] = chapters(epub).find(([, candidate]) => candidate.text.includes("cited twice"))!;
    const references = findAll(document, (node) => node.attributes["epub:type"] === "noteref");
    expect(references.map((reference) => reference.attributes.id)).toEqual(["fnref-1", "fnref-1-2"]);
    expect(references.map((reference) => reference.attributes.href)).toEqual(["#fn-1", "#fn-1"]);
    const notes = findAll(document, (node) => node.attributes["epub:type"] === "footnote");
    expect(notes).toHaveLength(1);
    expect(byName(notes[0]!, "img")[0]?.attributes.alt).toBe("inline red square");
    const orphan = context.messages.find((message) => message.rule === "footnote-unreferenced");
    expect(orphan?.reason).toContain("[^orphan]");
    expect(orphan?.line).toBeGreaterThan(30);
    expect(chapters(epub).some(([, candidate]) => candidate.text.includes("A note nobody cites"))).toBe(false);
  });

  it("names the evaluator only because the front matter does, and records the publisher", () => {
    expect(epub.metadata("a11y:certifiedBy")).toEqual(["Jane Evaluator"]);
    expect(epub.metadata("dc:publisher")).toEqual(["Test & Co"]);
    expect(epub.metadata("dc:date")).toEqual(["2025-12-24"]);
  });
});

describe("EPUB stage on other shapes of document", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-epub-shapes-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function build(name: string, source: string): Promise<{ epub: OpenedEpub; sections: string[] }> {
    const path = join(folder, name);
    await writeFile(path, source);
    const { document } = await readDocument(path);
    const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} });
    return { epub: openEpubBytes(bytes), sections: document.sections.map((section) => section.title) };
  }

  it("writes a right-to-left book with dir and page progression set", async () => {
    const { epub } = await build("arabic.md", "---\ntitle: مخيم الهول\nauthor: كاتب\nlang: ar\n---\n\nمقدمة قصيرة عن المخيم.\n\n## الفصل الأول\n\nنص الفصل الأول.\n");
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
    expect(epub.opf.attributes["xml:lang"]).toBe("ar");
    const spine = findAll(epub.opf, (node) => localName(node) === "spine")[0];
    expect(spine?.attributes["page-progression-direction"]).toBe("rtl");
    for (const [path, document] of epub.contentDocuments) {
      expect(document.attributes.dir, path).toBe("rtl");
      expect(document.attributes["xml:lang"], path).toBe("ar");
    }
    // Lectern's own English words are marked as English inside the Arabic book.
    const contents = byName(epub.nav, "h1")[0];
    expect(findAll(contents!, (node) => node.attributes.lang === "en").map((node) => node.text)).toEqual(["Contents"]);
  });

  it("writes a document with no front matter and no headings as one section", async () => {
    const { epub, sections } = await build("bare.md", "Just one paragraph of text, with nothing else around it at all.\n");
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
    expect(epub.toc.map((entry) => entry.label)).toEqual(sections);
    expect(sections).toHaveLength(1);
    expect(epub.metadata("dc:description")[0]?.length).toBeGreaterThan(0);
  });

  it("names empty headings and empty links, and drops empty sub-headings (axe empty-heading, link-name)", async () => {
    const { epub, sections } = await build(
      "empty.md",
      "---\ntitle: Edge\n---\n\nIntro text here.\n\n## \n\nText under an empty heading.\n\n## Links\n\n" +
        "[](https://example.org/empty) and [![](img.png)](https://example.org/pic) and ![](gone.png)\n\n### \n\nUnder an empty sub-heading.\n",
    );
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
    expect(epub.toc.map((entry) => entry.label)).toEqual(sections);
    expect(epub.toc.every((entry) => entry.children.length === 0)).toBe(true);
    for (const [path, document] of chapters(epub)) {
      for (const heading of findAll(document, (node) => /^h[1-6]$/.test(localName(node)))) expect(heading.text.trim(), path).not.toBe("");
      for (const link of byName(document, "a")) expect(link.text.trim(), path).not.toBe("");
    }
    const emptyHeadingSection = chapters(epub).find(([, document]) => document.text.includes("Text under an empty heading"))?.[1];
    expect(byName(emptyHeadingSection!, "h2")[0]?.text).toBe(sections[1]);
    // Both missing images were decorative: nothing stands in for them, and the summary says no more.
    expect(epub.metadata("schema:accessibilitySummary")[0]).not.toContain("replaced by");
  });

  it("drops raw HTML attribute values HTML does not allow, and roles Lectern did not write", async () => {
    await copyFile(join(import.meta.dirname, "../fixtures/every-construct/images/red-square.png"), join(folder, "red-square.png"));
    const { epub } = await build(
      "attributes.md",
      '---\ntitle: Attributes\n---\n\nText.\n\n3. three\n4. four\n\n<ol start="x"><li>a</li></ol>\n\n' +
        '<img src="red-square.png" width="100%" height="12" alt="a red square">\n\n' +
        '<table><tr><td colspan="x" rowspan="2">c</td></tr></table>\n\n<time datetime="not a date">then</time> ' +
        '<time datetime="2026-02-13">a date</time> <span role="button" aria-hidden="true">fake button</span>\n',
    );
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
    const page = epub.contentDocuments.get(epub.spine[1]!)!;
    expect(byName(page, "ol").map((list) => list.attributes.start)).toEqual(["3", undefined]);
    const image = byName(page, "img")[0];
    expect([image?.attributes.width, image?.attributes.height]).toEqual([undefined, "12"]);
    expect(byName(page, "td")[0]?.attributes).toEqual({ rowspan: "2" });
    expect(byName(page, "time").map((time) => time.attributes.datetime)).toEqual([undefined, "2026-02-13"]);
    expect(findAll(page, (node) => node.attributes.role === "button" || "aria-hidden" in node.attributes)).toEqual([]);
    expect(page.text).toContain("fake button");
  });

  it("keeps any title and author well-formed and exact (escaped, XML-invalid characters dropped)", async () => {
    const { document } = await readDocument(awkward);
    const invalid = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
        fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), fc.constantFrom(" ", "\t\u0001", "A & <B>")),
        async (title, author) => {
          const cleanTitle = title.replace(invalid, "").trim();
          const cleanAuthor = author.replace(invalid, "").trim();
          fc.pre(cleanTitle.length > 0);
          const metadata = { ...document.metadata, title, author };
          const { bytes } = await renderEpub({ ...document, metadata }, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} });
          const epub = openEpubBytes(bytes);
          expect(epub.metadata("dc:title")).toEqual([cleanTitle]);
          // A blank author is no author.
          expect(epub.metadata("dc:creator")).toEqual(cleanAuthor ? [cleanAuthor] : []);
          const titlePage = epub.contentDocuments.get(epub.spine[1]!)!;
          expect(byName(titlePage, "h1")[0]?.text).toBe(cleanTitle);
          expect(await epubCheckMessages(bytes)).toEqual([]);
        },
      ),
      { numRuns: 16, seed: 20260105 },
    );
  });

  it("embeds DejaVu Serif only when asked, declared in the manifest and the style sheet", async () => {
    expect(readingFontOption({})).toBe("none");
    expect(readingFontOption({ epubReadingFont: "dejavu-serif" })).toBe("dejavu-serif");
    // Library callers without types may pass anything: only the known font is honoured.
    expect(readingFontOption({ epubReadingFont: 42 as unknown as "none" })).toBe("none");
    const { document } = await readDocument(awkward);
    const plain = openEpubBytes((await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} })).bytes);
    expect(plain.manifest.filter((item) => item.mediaType.startsWith("font/"))).toEqual([]);
    expect(plain.text("OEBPS/style.css")).not.toMatch(/font-family:(?!\s*monospace)/);
    const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {}, readingFont: "dejavu-serif" });
    const withFont = openEpubBytes(bytes);
    const fonts = withFont.manifest.filter((item) => item.mediaType === "font/ttf");
    expect(fonts).toHaveLength(4);
    for (const font of fonts) expect(withFont.file(font.path).length).toBeGreaterThan(100_000);
    expect(withFont.text("OEBPS/style.css")).toContain("@font-face");
    // EPUBCheck only notes (usage) that @font-face is used: no error, no warning.
    expect((await epubCheckMessages(bytes)).every((message) => message.startsWith("usage CSS-028"))).toBe(true);
  });
});

describe("accessibility summary in a book that is not in English", () => {
  it('is marked xml:lang="en" (it is written in English) and names the book\'s language', async () => {
    const { parseSource } = await import("../../src/document/read.js");
    const document = parseSource(["---", "title: Livre", "lang: fr-FR", "---", "", "## Un", "", "Texte."].join("\n"), "/tmp/livre.md", "markdown");
    const french = openEpubBytes((await renderEpub(document, { now: new Date("2026-01-05T00:00:00Z"), report: () => {} })).bytes);
    const meta = findAll(french.opf, (node) => localName(node) === "meta" && node.attributes.property === "schema:accessibilitySummary");
    expect(meta.map((node) => node.attributes["xml:lang"])).toEqual(["en"]);
    expect(meta[0]?.text).toContain("The text is in French (fr-FR)");
    expect(await epubCheckMessages(french.bytes)).toEqual([]);

    const { document: english } = await readDocument(awkward);
    const book = openEpubBytes((await renderEpub(english, { now: new Date("2026-01-05T00:00:00Z"), report: () => {} })).bytes);
    const englishMeta = findAll(book.opf, (node) => localName(node) === "meta" && node.attributes.property === "schema:accessibilitySummary");
    expect(englishMeta.map((node) => node.attributes["xml:lang"])).toEqual([undefined]);
  });
});

describe("an image that cannot be packaged", () => {
  it("leaves its description labelled as one, as the PDF does ([Image: …]), in the book's language, marked English where it falls back", async () => {
    const { parseSource } = await import("../../src/document/read.js");
    const build = async (language: string) => {
      const document = parseSource(
        ["---", "title: Pictures", `lang: ${language}`, "---", "", "## One", "", "![A harbour at dawn](https://example.org/harbour.jpg)"].join("\n"),
        "/tmp/pictures.md",
        "markdown",
      );
      const epub = openEpubBytes((await renderEpub(document, { now: new Date("2026-01-05T00:00:00Z"), report: () => {} })).bytes);
      const chapter = [...epub.contentDocuments.entries()].find(([path]) => path.endsWith("-one.xhtml"))![1];
      return findAll(chapter, (node) => localName(node) === "span" && (node.attributes.class ?? "").includes("image-omitted"));
    };
    const [english] = await build("en");
    expect(english?.text).toBe("[Image: A harbour at dawn]");
    const [french] = await build("fr");
    expect(french?.text).toBe("[Image\u00a0: A harbour at dawn]");
    expect(findAll(french!, (node) => node.attributes.lang !== undefined)).toEqual([]);
    const [japanese] = await build("ja");
    expect(japanese?.text).toBe("[Image: A harbour at dawn]");
    expect(findAll(japanese!, (node) => node.attributes.lang === "en").map((node) => node.text)).toEqual(["Image:"]);
  });
});
