// Inline `<span lang>` (and `<i lang>`, `dir`) is parsed once at read time into a
// `languageSpan` node (src/document/language-spans.ts): the EPUB XHTML, the PDF structure tree
// and the speech segments read the same language from it; malformed HTML is safe.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Paragraph, PhrasingContent } from "mdast";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LanguageSpan } from "../../src/document/language-spans.js";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource } from "../../src/document/read.js";
import { sectionSpeech } from "../../src/document/speech/index.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { renderPdf } from "../../src/stages/pdf/index.js";
import { findAll, localName, openEpubBytes, type XmlTree } from "../helpers/epub.js";
import { flattenStructure, readPdfStructure } from "../helpers/pdf.js";

const now = new Date("2026-02-13T00:00:00Z");
let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-language-spans-"));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const markdown = (body: string, language = "en"): LecternDocument => parseSource(`---\ntitle: Spans\nlang: ${language}\n---\n\n${body}\n`, "spans.md", "markdown");

function spans(document: LecternDocument): LanguageSpan[] {
  const found: LanguageSpan[] = [];
  const walk = (nodes: readonly PhrasingContent[]): void => {
    for (const node of nodes) {
      if (node.type === "languageSpan") found.push(node);
      if ("children" in node) walk(node.children as PhrasingContent[]);
    }
  };
  for (const section of document.sections) for (const block of section.blocks) if (block.type === "paragraph") walk(block.children);
  return found;
}

/** Every element with `lang` in the EPUB's content documents: its tag, language and text. */
async function epubLanguages(document: LecternDocument): Promise<{ tag: string; lang: string; dir?: string; text: string }[]> {
  const { bytes } = await renderEpub(document, { now, report: () => {} });
  const epub = openEpubBytes(bytes);
  return [...epub.contentDocuments.entries()]
    .filter(([path]) => path !== epub.navPath)
    .flatMap(([, xhtml]) => findAll(xhtml, (node: XmlTree) => localName(node) !== "html" && node.attributes.lang !== undefined && localName(node) !== "section"))
    .filter((node) => !["body", "header", "p", "div"].includes(localName(node)))
    .map((node) => ({ tag: localName(node), lang: node.attributes.lang!, ...(node.attributes.dir ? { dir: node.attributes.dir } : {}), text: node.text.trim() }));
}

/** Structure elements with /Lang in the PDF: role, language and text. */
async function pdfLanguages(document: LecternDocument, name: string): Promise<{ role: string; lang: string; text: string }[]> {
  const rendered = await renderPdf(document, { now, warn: () => {} });
  const path = join(outDir, `${name}.pdf`);
  await writeFile(path, rendered.bytes);
  const structure = await readPdfStructure(path);
  return flattenStructure(structure.structure)
    .filter((node) => node.lang !== undefined && node.role === "Span")
    .map((node) => ({ role: node.role, lang: node.lang!, text: node.text.trim() }));
}

/** Speech segments not in the document's language, with their text. */
function spokenLanguages(document: LecternDocument): { language: string; text: string }[] {
  return document.sections
    .flatMap((section) => sectionSpeech(document, section, { canVoice: () => true }))
    .flatMap((utterance) => utterance.segments)
    .filter((segment) => segment.language !== document.metadata.language)
    .map((segment) => ({ language: segment.language, text: segment.text.trim() }));
}

describe("language spans parsed once", () => {
  it("reads a span into one typed node, an ordinary phrasing parent", () => {
    const document = markdown('He said <span lang="fr">bonjour *tout* le monde</span> twice.');
    const [span, ...rest] = spans(document);
    expect(rest).toEqual([]);
    expect(span?.data).toEqual({ lang: "fr", hName: "span", hProperties: { lang: "fr" } });
    expect(span?.children.map((child) => child.type)).toEqual(["text", "emphasis", "text"]);
    // The raw tags are gone from the paragraph.
    const paragraph = document.sections.flatMap((section) => section.blocks).find((block): block is Paragraph => block.type === "paragraph")!;
    expect(paragraph.children.some((child) => child.type === "html")).toBe(false);
  });

  it("gives the same language in the EPUB XHTML, the PDF structure tree and the speech", async () => {
    const document = markdown('He said <span lang="fr">bonjour mes amis</span> and <i lang="la">carpe diem</i> today.\n\nThen <bdi dir="RTL" lang="ar">مرحبا</bdi> again.');
    expect(spans(document).map((span) => span.data)).toEqual([
      { lang: "fr", hName: "span", hProperties: { lang: "fr" } },
      { lang: "la", hName: "i", hProperties: { lang: "la" } },
      { lang: "ar", dir: "rtl", hName: "bdi", hProperties: { lang: "ar", dir: "rtl" } },
    ]);
    expect(await epubLanguages(document)).toEqual([
      { tag: "span", lang: "fr", text: "bonjour mes amis" },
      { tag: "i", lang: "la", text: "carpe diem" },
      { tag: "bdi", lang: "ar", dir: "rtl", text: "مرحبا" },
    ]);
    expect(await pdfLanguages(document, "three")).toEqual([
      { role: "Span", lang: "fr", text: "bonjour mes amis" },
      { role: "Span", lang: "la", text: "carpe diem" },
      { role: "Span", lang: "ar", text: "مرحبا" },
    ]);
    expect(spokenLanguages(document)).toEqual([
      { language: "fr", text: "bonjour mes amis" },
      { language: "la", text: "carpe diem" },
      { language: "ar", text: "مرحبا" },
    ]);
  });

  it("nests spans and writes a language tag in its canonical form", async () => {
    const document = markdown('A <span lang="de_AT">Servus <span lang="FR">salut</span> Leute</span> end.');
    expect(spans(document).map((span) => span.data.lang)).toEqual(["de-AT", "fr"]);
    expect(await epubLanguages(document)).toEqual([
      { tag: "span", lang: "de-AT", text: "Servus salut Leute" },
      { tag: "span", lang: "fr", text: "salut" },
    ]);
    expect(spokenLanguages(document)).toEqual([
      { language: "de-AT", text: "Servus" },
      { language: "fr", text: "salut" },
      { language: "de-AT", text: "Leute" },
    ]);
  });

  it("ends an unclosed span with its paragraph, in every writer", async () => {
    const document = markdown('One <span lang="fr">bonjour encore\n\nTwo plain words.');
    expect(spans(document).map((span) => span.data.lang)).toEqual(["fr"]);
    expect((await epubLanguages(document)).map(({ lang, text }) => ({ lang, text }))).toEqual([{ lang: "fr", text: "bonjour encore" }]);
    expect(await pdfLanguages(document, "unclosed")).toEqual([{ role: "Span", lang: "fr", text: "bonjour encore" }]);
    expect(spokenLanguages(document)).toEqual([{ language: "fr", text: "bonjour encore." }]);
  });

  it("leaves malformed or meaningless tags as raw HTML, with no language anywhere", async () => {
    const document = markdown(
      'A <span lang="not a tag">x</span> b </span> c <span lang="">d</span> e <span class="x">f</span> g <a href="https://a.example" lang="fr">h</a> i <span lang="fr"/> j.',
    );
    expect(spans(document)).toEqual([]);
    expect(spokenLanguages(document)).toEqual([]);
    expect(await pdfLanguages(document, "malformed")).toEqual([]);
  });

  it("marks Lectern's own English words in a language without a catalogue as English, in every writer", async () => {
    // An admonition's label comes from Lectern's words (src/document/words): English in Japanese.
    const document = markdown(":::warning\n注意してください。\n:::", "ja");
    expect(spans(document).map((span) => span.data.lang)).toEqual([]); // inside the quote, not a top paragraph
    expect((await epubLanguages(document)).filter(({ text }) => text === "Warning")).toEqual([{ tag: "span", lang: "en", text: "Warning" }]);
    expect(await pdfLanguages(document, "admonition")).toContainEqual({ role: "Span", lang: "en", text: "Warning" });
    const segments = document.sections.flatMap((section) => sectionSpeech(document, section, { canVoice: () => true })).flatMap((utterance) => utterance.segments);
    expect(segments.find((segment) => segment.text.startsWith("Warning"))?.language).toBe("en");
    expect(segments.find((segment) => segment.text.startsWith("注意"))?.language).toBe("ja");
    // In French the label is a French word, in the document's language: no span.
    const french = markdown(":::warning\nAttention à la marche.\n:::", "fr");
    expect(await epubLanguages(french)).toEqual([]);
  });

  it("nests at most 16 spans deep and stays linear on thousands of spans", () => {
    const document = markdown(`${'<span lang="fr">a '.repeat(90)}end`);
    let depth = 0;
    let node: PhrasingContent | undefined = spans(document)[0];
    while (node?.type === "languageSpan") {
      depth++;
      node = node.children.find((child) => child.type === "languageSpan");
    }
    expect(depth).toBe(16);
    expect(() => sectionSpeech(document, document.sections[0]!)).not.toThrow();
    // Pairing is one pass over the siblings, not a search from each opening tag.
    const many = markdown(`${'<span lang="fr">un</span> <span>deux</span> '.repeat(1_000)}end`);
    expect(spans(many)).toHaveLength(1_000);
  });
});
