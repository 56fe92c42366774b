// One rule for the characters XML cannot hold, and one serializer for every XML file Lectern
// writes (the EPUB's documents, SVG images, the PDF's XMP).
import type { Element } from "xast";
import { describe, expect, it } from "vitest";
import { serializeXml } from "../../src/stages/pdf/xmp.js";
import { serializeXmlTree, xmlSafeText } from "../../src/stages/shared/xml-text.js";
import { parseXml } from "../helpers/epub.js";

describe("xmlSafeText", () => {
  it("drops C0 controls, lone surrogates, U+FFFE and U+FFFF; keeps tab, newlines and astral characters", () => {
    expect(xmlSafeText("a\u0000b\u0007c\td\ne\rf")).toBe("abc\td\ne\rf");
    expect(xmlSafeText("x\uD800y\uDC00z")).toBe("xyz");
    expect(xmlSafeText("\uFFFE\uFFFF😀")).toBe("😀");
  });

  it("the PDF's XMP uses it: a lone surrogate in a title cannot reach the packet", () => {
    expect(serializeXml({ name: "dc:title", children: ["Fish\uD800 & Chips\u0001"] })).toBe("<dc:title>Fish &amp; Chips</dc:title>");
  });
});

describe("serializeXmlTree", () => {
  const hostile = "a ]]> b <c> & \"d\" 'e' -- f\tg\nh\ri \u0001\uD800\uFFFE ?> <!-- <![CDATA[ x";
  const tree: Element = {
    type: "element",
    name: "root",
    attributes: { title: hostile },
    children: [
      { type: "text", value: hostile },
      { type: "cdata", value: hostile },
      { type: "comment", value: `${hostile}-` },
      { type: "element", name: "empty", attributes: {}, children: [] },
    ],
  };

  it("writes well-formed XML whatever text, attributes, comments and instructions hold, and reads back the same text", () => {
    const xml = serializeXmlTree({ type: "root", children: [{ type: "instruction", name: "note", value: hostile }, tree] });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    // Outside comments and instructions (where it is plain text), `]]>` never appears.
    expect(xml.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g, "")).not.toContain("]]>");
    const parsed = parseXml(xml);
    const safe = xmlSafeText(hostile);
    // Attribute value normalisation would turn tab, newline and CR into spaces: they are references.
    expect(parsed.attributes.title).toBe(safe);
    // Text and CDATA read back exactly (the carriage return included).
    expect(parsed.text).toBe(safe + safe);
  });

  it("refuses names that are not XML names and raw XML strings", () => {
    expect(() => serializeXmlTree({ type: "element", name: "a b", attributes: {}, children: [] })).toThrow(/not an XML name/);
    expect(() => serializeXmlTree({ type: "element", name: "a", attributes: { 'x="1" onload': "y" }, children: [] })).toThrow(/not an XML name/);
    expect(() => serializeXmlTree({ type: "root", children: [{ type: "raw", value: "<script/>" } as never] })).toThrow(/raw XML/);
  });

  it("the XMP packet goes through it: `]]>` and newlines in a title stay text", () => {
    const packet = serializeXml({ name: "dc:title", attributes: { "xml:lang": "x\ny" }, children: ["code ]]> here"] });
    expect(packet).toBe('<dc:title xml:lang="x&#xA;y">code ]]&gt; here</dc:title>');
  });
});

describe("the PDF's XMP packet", () => {
  it("stays well-formed XML with `]]>`, markup and newlines in every field, and dates past 9999 are held to four digits", async () => {
    const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { parseSource } = await import("../../src/document/read.js");
    const { renderPdf } = await import("../../src/stages/pdf/index.js");
    const { readPdfStructure } = await import("../helpers/pdf.js");
    const folder = await mkdtemp(join(tmpdir(), "lectern-xmp-"));
    try {
      const path = join(folder, "book.md");
      const parsed = parseSource("Some text.\n", path, "markdown");
      const hostile = 'Code ]]> & <b> "q" -- ?>';
      const document = {
        ...parsed,
        metadata: { ...parsed.metadata, title: hostile, author: hostile, description: `${hostile}\nsecond line`, source: hostile, publisher: hostile },
      };
      const rendered = await renderPdf(document, { now: new Date("+012026-01-01T00:00:00Z"), warn: () => {} });
      await writeFile(join(folder, "book.pdf"), rendered.bytes);
      const pdf = await readPdfStructure(join(folder, "book.pdf"));
      const packet = pdf.xmp ?? "";
      const rdf = packet.slice(packet.indexOf("<x:xmpmeta"), packet.lastIndexOf("</x:xmpmeta>") + "</x:xmpmeta>".length);
      const tree = parseXml(rdf);
      expect(tree.text).toContain(hostile);
      expect(pdf.xmpEntries.get("dc:title")).toBe(hostile);
      expect(rdf).toContain("<xmp:CreateDate>9999-12-31T23:59:59Z</xmp:CreateDate>");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
