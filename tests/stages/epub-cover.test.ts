// The generated cover: title lines that fit the picture in any script.
import { describe, expect, it } from "vitest";
import { coverSvg, wrapText } from "../../src/stages/epub/front-matter-pages.js";
import { serializeSvg } from "../../src/stages/epub/xhtml.js";
import { byName, parseXml } from "../helpers/epub.js";

describe("cover title wrapping", () => {
  it("breaks at spaces, never beyond the width", () => {
    expect(wrapText("Alice's Adventures in Wonderland", 18, 7)).toEqual(["Alice's Adventures", "in Wonderland"]);
  });

  it("breaks inside words too long for a line, counting CJK characters as two columns", () => {
    const lines = wrapText("不思議の国のアリスの冒険と鏡の国のアリスの物語", 18, 7);
    expect(lines.join("")).toBe("不思議の国のアリスの冒険と鏡の国のアリスの物語");
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(9);
    expect(wrapText("Pneumonoultramicroscopicsilicovolcanoconiosis", 18, 7).every((line) => line.length <= 18)).toBe(true);
  });

  it("ends the last line in an ellipsis when the title runs out of lines", () => {
    const lines = wrapText("one two three four five six seven eight nine ten", 5, 3);
    expect(lines).toEqual(["one", "two", "three…"]);
  });

  it("draws every title line as SVG text, with a title element for the whole cover", () => {
    const svg = parseXml(serializeSvg(coverSvg({ title: "Fish & Chips <A Guide>", author: "Ada Lovelace", language: "en-GB" })));
    expect(svg.namespace).toBe("http://www.w3.org/2000/svg");
    expect(byName(svg, "title")[0]?.text).toBe("Cover: Fish & Chips <A Guide>, by Ada Lovelace");
    expect(byName(svg, "text").map((line) => line.text)).toEqual(["Fish & Chips <A", "Guide>", "Ada Lovelace"]);
    expect(svg.attributes["xml:lang"]).toBe("en-GB");
  });
});
