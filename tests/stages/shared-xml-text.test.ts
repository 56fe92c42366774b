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
  const hostile = 'a ]]> b <c> & "d" \'e\' -- f\tg\nh\ri \u0001\uD800\uFFFE ?> <!-- <![CDATA[ x';
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
