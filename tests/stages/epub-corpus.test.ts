// The EPUB stage on real texts: the seed article (plain text, ten headings, end matter) and a
// whole book (Alice, twelve chapters, 26k words). Both must pass EPUBCheck without a message.
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { byName, epubCheckMessages, findAll, localName, openEpubBytes } from "../helpers/epub.js";

const seedArticle = new URL("../corpus/000_14f3f3ed66253a4f.txt", import.meta.url).pathname;
const alice = new URL("../corpus/alice-in-wonderland.txt", import.meta.url).pathname;
const now = new Date("2026-02-13T00:00:00Z");

describe("EPUB stage on real texts", () => {
  it("writes the seed article: one nav entry and one file per section, end matter included", async () => {
    const { document } = await readDocument(seedArticle);
    const { bytes } = await renderEpub(document, { now, report: () => {} });
    const epub = openEpubBytes(bytes);
    expect(await epubCheckMessages(bytes)).toEqual([]);
    expect(epub.toc.map((entry) => entry.label)).toEqual(document.sections.map((section) => section.title));
    expect(epub.toc.map((entry) => entry.label)).toContain("Why the Number Matters: The New ISIS Threat to the U.S.");
    const bodyFiles = epub.spine.filter((path) => /\/\d\d-/.test(path));
    expect(bodyFiles).toHaveLength(document.sections.filter((section) => section.role !== "lead").length);
    // Every word of every section is in the book (headings and paragraphs, in order).
    const text = [...epub.contentDocuments.entries()]
      .filter(([path]) => path !== epub.navPath)
      .map(([, document]) => document.text)
      .join(" ")
      .replace(/\s+/g, " ");
    expect(text).toContain("Terrorist Ecosystems");
    const headings = epub.spine
      .filter((path) => path !== epub.navPath)
      .map((path) => epub.contentDocuments.get(path)!)
      .flatMap((document) => findAll(document, (node) => /^h[2-6]$/.test(localName(node))).map((node) => node.text));
    expect(headings.slice(0, 10)).toEqual(document.sections.filter((section) => section.role === "body").map((section) => section.title));
  });

  it("writes a whole book: twelve chapters, in order, valid", async () => {
    const { document } = await readDocument(alice);
    const { bytes } = await renderEpub(document, { now, report: () => {} });
    const epub = openEpubBytes(bytes);
    expect(await epubCheckMessages(bytes)).toEqual([]);
    const chapters = epub.toc.filter((entry) => /^Chapter [IVXL]+\./.test(entry.label));
    expect(chapters).toHaveLength(12);
    expect(chapters[0]?.label).toBe("Chapter I. Down the Rabbit-Hole");
    expect(chapters[11]?.label).toBe("Chapter XII. Alice’s Evidence");
    const paragraphs = [...epub.contentDocuments.values()].flatMap((document) => byName(document, "p"));
    expect(paragraphs.length).toBeGreaterThan(500);
  });
});
