// One rule for the characters XML cannot hold, in the EPUB's documents and the PDF's XMP.
import { describe, expect, it } from "vitest";
import { serializeXml } from "../../src/stages/pdf/xmp.js";
import { xmlSafeText } from "../../src/stages/shared/xml-text.js";

describe("xmlSafeText", () => {
  it("drops C0 controls, lone surrogates, U+FFFE and U+FFFF; keeps tab, newlines and astral characters", () => {
    expect(xmlSafeText("a\u0000b\u0007c\td\ne\rf")).toBe("abc\td\ne\rf");
    expect(xmlSafeText("x\uD800y\uDC00z")).toBe("xyz");
    expect(xmlSafeText("\uFFFE\uFFFF😀")).toBe("😀");
  });

  it("the PDF's XMP uses it: a lone surrogate in a title cannot reach the packet", () => {
    expect(serializeXml({ name: "dc:title", children: ["Fish\uD800 & Chips\u0001"] })).toBe("<dc:title>Fish &#38; Chips</dc:title>");
  });
});
