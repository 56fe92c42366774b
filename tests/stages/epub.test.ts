// The EPUB stage, checked by structure: the package, the navigation, every content document,
// and W3C EPUBCheck's rules (through @likecoin/epubcheck-ts, no Java needed).
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { byName, epubCheckMessages, fakeContext, findAll, localName, openEpub, type FakeContext, type OpenedEpub, type XmlTree } from "../helpers/epub.js";

const fixture = join(import.meta.dirname, "../fixtures/every-construct/document.md");

const dpubRoleOf: Record<string, string> = {
  chapter: "doc-chapter",
  noteref: "doc-noteref",
  footnote: "doc-footnote",
  backlink: "doc-backlink",
  toc: "doc-toc",
  cover: "doc-cover",
  endnotes: "doc-endnotes",
};

function headingLevels(document: XmlTree): number[] {
  return findAll(document, (node) => /^h[1-6]$/.test(localName(node))).map((node) => Number(localName(node).slice(1)));
}

function allAttributes(document: XmlTree): [string, string][] {
  return findAll(document, () => true).flatMap((node) => Object.entries(node.attributes));
}

describe("EPUB stage on the every-construct fixture", () => {
  let outDir: string;
  let epub: OpenedEpub;
  let context: FakeContext;
  let result: Awaited<ReturnType<typeof epubStage.write>>;
  let titleOf: string;
  let sectionTitles: string[];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "lectern-epub-"));
    const { document } = await readDocument(fixture);
    titleOf = document.metadata.title;
    sectionTitles = document.sections.map((section) => section.title);
    context = fakeContext(outDir);
    result = await epubStage.write(document, context);
    epub = await openEpub(join(outDir, `${document.slug}.epub`));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("writes <slug>.epub and reports it in the manifest entry", () => {
    expect(result.manifest.path).toMatch(/^[a-z0-9-]+\.epub$/);
    expect(result.files).toEqual([join(outDir, String(result.manifest.path))]);
    expect(result.manifest.identifier).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.manifest.modified).toBe("2026-01-05T00:00:00Z");
    expect(context.labels).toHaveLength(1);
  });

  it("is a valid OCF container: mimetype first and stored", () => {
    expect(epub.entries[0]).toBe("mimetype");
    expect(epub.mimetypeFirstAndStored).toBe(true);
  });

  it("passes EPUBCheck with no message at all, usage and info included", async () => {
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });

  it("carries the front matter into the package metadata, escaped, in the document's language", () => {
    expect(epub.opf.attributes["xml:lang"]).toBe("en-GB");
    expect(epub.metadata("dc:title")).toEqual([titleOf]);
    expect(titleOf).toContain("&");
    expect(titleOf).toContain("<");
    expect(epub.metadata("dc:language")).toEqual(["en-GB"]);
    expect(epub.metadata("dc:creator")).toEqual(["Ada Lovelace"]);
    expect(epub.metadata("dc:description")).toEqual(["A small document that uses every construct Lectern supports."]);
    expect(epub.metadata("dc:source")).toEqual(["https://example.org/every-construct"]);
    expect(epub.metadata("dcterms:modified")).toEqual(["2026-01-05T00:00:00Z"]);
    expect(epub.metadata("dc:identifier")).toEqual([result.manifest.identifier]);
  });

  it("declares EPUB Accessibility 1.1 metadata that is true of this book", () => {
    expect(epub.metadata("schema:accessMode").sort()).toEqual(["textual", "visual"]);
    expect(epub.metadata("schema:accessModeSufficient")).toEqual(["textual"]);
    expect(epub.metadata("schema:accessibilityFeature")).toEqual(expect.arrayContaining(["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"]));
    expect(epub.metadata("schema:accessibilityHazard")).toEqual(["none"]);
    expect(epub.metadata("dcterms:conformsTo")).toEqual(["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]);
    // A tool is not an evaluator: no certifiedBy unless the front matter names one.
    expect(epub.metadata("a11y:certifiedBy")).toEqual([]);
    const [summary] = epub.metadata("schema:accessibilitySummary");
    expect(summary).toContain(titleOf);
    expect(summary).toContain("1 image has a text alternative");
    expect(summary).toContain("1 decorative image");
    expect(summary).toContain("2 images that were not available");
    expect(summary).toContain("2 footnotes");
    expect(summary).toContain("Arabic (ar)");
  });

  it("lists every section in the nav, in order, with sub-headings nested, and has landmarks", () => {
    expect(epub.toc.map((entry) => entry.label)).toEqual(sectionTitles);
    const lists = epub.toc.find((entry) => entry.label === "Lists of Every Kind");
    expect(lists?.children.map((entry) => entry.label)).toEqual(["A Heading That Skips a Level"]);
    expect(epub.landmarks.map((landmark) => landmark.type)).toEqual(expect.arrayContaining(["toc", "bodymatter", "cover", "titlepage"]));
    // Every nav target exists: the file in the manifest, the fragment as an id in it.
    const targets = [...epub.toc, ...epub.toc.flatMap((entry) => entry.children), ...epub.landmarks];
    for (const target of targets) {
      const [path, fragment] = target.href.split("#");
      const document = epub.contentDocuments.get(path ?? "");
      expect(document, target.href).toBeDefined();
      if (fragment)
        expect(
          findAll(document!, (node) => node.attributes.id === fragment),
          target.href,
        ).toHaveLength(1);
    }
  });

  it("writes every content document as well-formed XHTML in the document's language", () => {
    expect(epub.contentDocuments.size).toBeGreaterThanOrEqual(sectionTitles.length + 1);
    for (const [path, document] of epub.contentDocuments) {
      expect(document.attributes["xml:lang"], path).toBe("en-GB");
      expect(document.attributes.lang, path).toBe("en-GB");
      expect(byName(document, "title")[0]?.text.trim(), path).not.toBe("");
    }
  });

  it("gives every content document one main landmark", () => {
    for (const [path, document] of epub.contentDocuments) {
      if (path === epub.navPath) continue;
      expect(byName(document, "main"), path).toHaveLength(1);
    }
  });

  it("has one h1 (the title) and headings that never skip a level", () => {
    const h1s = [...epub.contentDocuments.entries()].filter(([path]) => path !== epub.navPath).flatMap(([, document]) => byName(document, "h1"));
    expect(h1s.map((heading) => heading.text)).toEqual([titleOf]);
    for (const [path, document] of epub.contentDocuments) {
      const levels = headingLevels(document);
      for (let index = 1; index < levels.length; index += 1) {
        expect(levels[index]! - levels[index - 1]!, `${path}: ${levels.join(",")}`).toBeLessThanOrEqual(1);
      }
    }
    expect(context.messages.map((message) => message.rule)).toContain("heading-level-skipped");
  });

  it("labels each chapter section by its heading and pairs every epub:type with its ARIA role", () => {
    const chapters = [...epub.contentDocuments.values()].flatMap((document) =>
      findAll(document, (node) => localName(node) === "section" && node.attributes["epub:type"] === "chapter"),
    );
    expect(chapters.length).toBe(sectionTitles.length - 1);
    for (const chapter of chapters) {
      const heading = findAll(chapter, (node) => node.attributes.id === chapter.attributes["aria-labelledby"])[0];
      expect(heading && /^h[1-6]$/.test(localName(heading))).toBe(true);
    }
    for (const [path, document] of epub.contentDocuments) {
      const landmarks = findAll(document, (node) => node.attributes["epub:type"] === "landmarks");
      for (const node of findAll(document, (candidate) => candidate.attributes["epub:type"] !== undefined)) {
        if (landmarks.some((landmark) => findAll(landmark, (inner) => inner === node).length > 0)) continue;
        for (const type of node.attributes["epub:type"]!.split(/\s+/)) {
          const role = dpubRoleOf[type];
          if (role) expect(node.attributes.role, `${path}: epub:type=${type}`).toBe(role);
        }
      }
    }
  });

  it("makes hostile content inert: no script, iframe, event handler or javascript: URL, and no script text", () => {
    for (const path of epub.entries.filter((entry) => entry.endsWith(".xhtml") || entry.endsWith(".svg"))) {
      const document = epub.xml(path);
      expect(
        findAll(document, (node) => ["script", "iframe", "object", "embed"].includes(localName(node))),
        path,
      ).toEqual([]);
      for (const [name, value] of allAttributes(document)) {
        expect(name.toLowerCase(), path).not.toMatch(/^on/);
        expect(value.toLowerCase(), path).not.toContain("javascript:");
      }
      expect(epub.text(path)).not.toContain("this text must never be shown");
    }
    // The author is told what was removed, and where.
    const cleaned = context.messages.filter((message) => message.rule === "html-sanitized");
    expect(cleaned.map((message) => message.reason)).toEqual([
      expect.stringContaining("<script>"),
      expect.stringContaining("<iframe>"),
      expect.stringContaining("`onclick` attribute"),
    ]);
    expect(cleaned.every((message) => (message.line ?? 0) > 60)).toBe(true);
    const hostile = [...epub.contentDocuments.entries()].find(([path, document]) => path !== epub.navPath && document.text.includes("Hostile Content"))?.[1];
    expect(hostile?.text).toContain("javascript link");
    expect(hostile?.text).toContain("an event handler");
  });

  it("keeps an inline span in another language with lang and dir", () => {
    const spans = [...epub.contentDocuments.values()].flatMap((document) => findAll(document, (node) => node.attributes.lang === "ar"));
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes.dir).toBe("rtl");
    expect(spans[0]?.text).toBe("الهول");
  });

  it('packages local images with their alt text, keeps alt="" for decorative ones, and never fetches remote ones', () => {
    const images = [...epub.contentDocuments.values()].flatMap((document) => byName(document, "img"));
    const content = images.filter((image) => !(image.attributes.src ?? "").includes("cover"));
    expect(content.map((image) => image.attributes.alt)).toEqual(["A red square on a white background", ""]);
    for (const image of images) {
      expect(image.attributes.src).not.toMatch(/^[a-z]+:/i);
      const packaged = epub.manifest.find((item) => item.href === image.attributes.src);
      expect(packaged?.mediaType, image.attributes.src).toMatch(/^image\//);
      expect(epub.file(packaged!.path).length).toBeGreaterThan(0);
    }
    const red = epub.manifest.find((item) => item.href === content[0]?.attributes.src);
    expect(epub.file(red!.path)).toEqual(new Uint8Array(readFileSync(join(import.meta.dirname, "../fixtures/every-construct/images/red-square.png"))));
    // The missing and the remote image: left out, their alt text kept, each named in a warning.
    const allText = [...epub.contentDocuments.values()].map((document) => document.text).join("\n");
    expect(allText).toContain("A picture that is not on disk");
    expect(allText).toContain("A remote picture, never fetched");
    const remote = context.messages.find((message) => message.rule === "image-remote-dropped");
    expect(remote?.reason).toContain("https://example.org/remote.png");
    expect(remote?.line).toBeGreaterThan(0);
    expect(context.messages.find((message) => message.rule === "image-missing")?.reason).toContain("images/missing.png");
    expect(epub.entries.some((entry) => entry.includes("remote"))).toBe(false);
  });

  it("writes a generated cover with alt text and a title page", () => {
    const coverImage = epub.manifest.find((item) => item.properties.includes("cover-image"));
    expect(coverImage?.mediaType).toBe("image/svg+xml");
    const svg = epub.xml(coverImage!.path);
    expect(svg.text).toContain(titleOf.slice(0, 10));
    const coverPage = epub.contentDocuments.get(epub.spine[0]!);
    const coverImg = byName(coverPage!, "img")[0];
    expect(coverImg?.attributes.alt).toContain("Ada Lovelace");
    const titlePage = epub.contentDocuments.get(epub.spine[1]!);
    expect(byName(titlePage!, "h1")[0]?.text).toBe(titleOf);
  });

  it("renders footnotes as EPUB 3 footnotes with links both ways", () => {
    let notes = 0;
    for (const [path, document] of epub.contentDocuments) {
      for (const reference of findAll(document, (node) => node.attributes["epub:type"] === "noteref")) {
        const target = reference.attributes.href!.slice(1);
        const note = findAll(document, (node) => node.attributes.id === target)[0];
        expect(note?.attributes["epub:type"], path).toBe("footnote");
        expect(note?.attributes.role).toBe("doc-footnote");
        const back = findAll(note!, (node) => node.attributes["epub:type"] === "backlink")[0];
        expect(back?.attributes.href).toBe(`#${reference.attributes.id}`);
        // The arrow asks for its text glyph (U+FE0E), never a coloured emoji.
        expect(back?.text).toBe("↩\uFE0E");
        notes += 1;
      }
    }
    expect(notes).toBe(2);
  });

  it("writes tables with scoped header cells and lists as lists, without form controls", () => {
    const all = [...epub.contentDocuments.values()];
    const headers = all.flatMap((document) => byName(document, "th"));
    expect(headers.map((cell) => cell.text)).toEqual(["Country", "Camps", "Detainees"]);
    expect(headers.every((cell) => cell.attributes.scope === "col")).toBe(true);
    expect(all.flatMap((document) => findAll(document, (node) => "align" in node.attributes))).toEqual([]);
    expect(all.flatMap((document) => byName(document, "input"))).toEqual([]);
    const nested = all.flatMap((document) => findAll(document, (node) => localName(node) === "li" && byName(node, "ol").length > 0));
    expect(nested.length).toBeGreaterThan(0);
    expect(all.flatMap((document) => byName(document, "blockquote"))).toHaveLength(1);
    expect(all.flatMap((document) => byName(document, "pre"))).toHaveLength(1);
  });

  it("is reproducible: the same input and date give the same bytes; the date only changes dcterms:modified", async () => {
    const again = await mkdtemp(join(tmpdir(), "lectern-epub-again-"));
    try {
      // A fresh parse, so no state is shared with the first build.
      await epubStage.write((await readDocument(fixture)).document, fakeContext(again));
      const first = await readFile(join(outDir, String(result.manifest.path)));
      const second = await readFile(join(again, String(result.manifest.path)));
      expect(second.equals(first)).toBe(true);

      const later = await epubStage.write((await readDocument(fixture)).document, fakeContext(again, new Date("2030-06-06T06:06:06Z")));
      expect(later.manifest.modified).toBe("2030-06-06T06:06:06Z");
      expect(later.manifest.identifier).toBe(result.manifest.identifier);
      const relaid = await openEpub(join(again, String(later.manifest.path)));
      expect(relaid.metadata("dcterms:modified")).toEqual(["2030-06-06T06:06:06Z"]);
      for (const path of epub.entries.filter((entry) => entry !== epub.opfPath)) {
        expect(Buffer.from(relaid.file(path)).equals(Buffer.from(epub.file(path))), path).toBe(true);
      }
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});
