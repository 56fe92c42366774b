// Plain-text structure in other languages and scripts: headings in scripts without case,
// chapter words beyond English, bare Roman-numeral chapters.
import type { RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { isTitleLike, parsePlainText } from "../../src/document/plain-text.js";

const headingsOf = (source: string) =>
  parsePlainText(source)
    .tree.children.filter((node): node is Extract<RootContent, { type: "heading" }> => node.type === "heading")
    .map((node) => [node.depth, toString(node)]);

describe("plain text: headings in scripts without capital letters", () => {
  // An RFC translated into Korean: indented body, numbered headings at the margin.
  const korean = [
    "Internet Engineering Task Force (IETF)                      T. Bray, Ed.",
    "Request for Comments: 8259                                    Textuality",
    "",
    "     JavaScript Object Notation (JSON) 데이터 교환 형식",
    "",
    "초록",
    "",
    "   JavaScript Object Notation (JSON)은 경량의 텍스트 기반이며",
    "   언어 독립적인 데이터 교환 형식이다.",
    "",
    "1.  소개",
    "",
    "   JavaScript Object Notation (JSON)은 구조화된 데이터의 직렬화를",
    "   위한 텍스트 형식이다.",
    "",
    "1.1.  이 문서에서 사용하는 규약",
    "",
    "   이 문서에서 키워드는 BCP 14에 설명된 대로 해석되어야",
    "   한다.",
    "",
    "2.  JSON 문법",
    "",
    "   JSON 텍스트는 토큰의 시퀀스이다. 토큰 집합에는 6개의 구조 문자가",
    "   포함된다.",
    "",
  ].join("\n");

  it("finds numbered and margin headings in Hangul", () => {
    const headings = headingsOf(korean);
    expect(headings).toContainEqual([2, "1. 소개"]);
    expect(headings).toContainEqual([3, "1.1. 이 문서에서 사용하는 규약"]);
    expect(headings).toContainEqual([2, "2. JSON 문법"]);
    expect(headings.map(([, text]) => text)).toContain("초록");
  });

  it("a caseless line is title-like, a caseless sentence with its full stop is not", () => {
    expect(isTitleLike("소개", { allowTerminal: true })).toBe(true);
    expect(isTitleLike("はじめに", { allowTerminal: false })).toBe(true);
    expect(isTitleLike("JSON 텍스트는 토큰의 시퀀스이다.", { allowTerminal: true })).toBe(false);
    expect(isTitleLike("これは文です。", { allowTerminal: true })).toBe(false);
  });
});
