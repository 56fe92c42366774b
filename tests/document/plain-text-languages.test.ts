// Plain-text structure in other languages and scripts: headings in scripts without case,
// chapter words beyond English, bare Roman-numeral chapters.
import type { RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { isTitleLike, parsePlainText } from "../../src/document/plain-text.js";

const headingsOf = (source: string) =>
  parsePlainText(source)
    .tree.children.filter((node): node is Extract<RootContent, { type: "heading" }> => node.type === "heading")
    .map((node): [number, string] => [node.depth, toString(node)]);

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

const prose =
  "En l'année 1872, la maison portant le numéro 7 de Saville-row était habitée par Phileas Fogg,\nl'un des membres les plus singuliers et les plus remarqués du Reform-Club de Londres.";

describe("plain text: chapter words in French, German, Spanish, Italian, Portuguese and Dutch", () => {
  it("`CHAPITRE PREMIER` and `CHAPITRE II` are chapters, joined with a name of one or two lines", () => {
    const source = [
      "CHAPITRE PREMIER",
      "",
      "DANS LEQUEL PHILEAS FOGG ET PASSEPARTOUT S'ACCEPTENT RÉCIPROQUEMENT,",
      "L'UN COMME MAÎTRE, L'AUTRE COMME DOMESTIQUE",
      "",
      prose,
      "",
      "CHAPITRE II",
      "",
      "DANS LEQUEL PASSEPARTOUT EST CONVAINCU QU'IL A ENFIN TROUVÉ SON IDÉAL",
      "",
      prose,
      "",
    ].join("\n");
    const headings = headingsOf(source);
    expect(headings).toHaveLength(2);
    expect(headings[0]![1]).toMatch(/^Chapitre Premier\. Dans Lequel Phileas Fogg .* Domestique$/);
    expect(headings[1]![1]).toMatch(/^Chapitre II\. Dans Lequel Passepartout .* Idéal$/);
  });

  it.each([
    ["Kapitel 1", "Kapitel 2", 2],
    ["Capítulo primero", "Capítulo segundo", 2],
    ["Capitolo primo", "Capitolo secondo", 2],
    ["Livro I", "Livro II", 1],
    ["Hoofdstuk 1", "Hoofdstuk 2", 2],
    ["Teil 1", "Teil 2", 1],
  ] as const)("%s, %s", (first, second, depth) => {
    const headings = headingsOf([first, "", prose, "", second, "", prose, ""].join("\n"));
    expect(headings.map(([level]) => level)).toEqual([depth, depth]);
    expect(headings.map(([, text]) => text.toLowerCase())).toEqual([first.toLowerCase(), second.toLowerCase()]);
  });
});

describe("plain text: chapters numbered by a bare Roman numeral", () => {
  const story = (numerals: readonly string[]) =>
    ["A STUDY OF THINGS", "", "by Jane Example", "", ...numerals.flatMap((numeral, at) => [numeral, "", `THE ${["FIRST", "SECOND", "THIRD"][at]} MEETING`, "", prose, ""])].join(
      "\n",
    );

  it.each([
    ["I", "II", "III"],
    ["I.", "II.", "III."],
  ])("%s %s %s, each with a one-line name, are chapters; no numeral is left as text", (...numerals) => {
    const parsed = parsePlainText(story(numerals));
    expect(headingsOf(story(numerals))).toEqual([
      [2, "I. The First Meeting"],
      [2, "II. The Second Meeting"],
      [2, "III. The Third Meeting"],
    ]);
    expect(parsed.tree.children.some((node) => node.type === "paragraph" && /^[IV.]+$/.test(toString(node)))).toBe(false);
  });

  it("a single numeral, or numerals out of order, are no chapters", () => {
    expect(headingsOf(story(["I"])).map(([, text]) => text)).not.toContain("I. The First Meeting");
    expect(headingsOf(story(["II", "IV"])).some(([, text]) => /^I[IV]\. /.test(text))).toBe(false);
  });
});

describe("plain text: a short hard-wrapped text, more one-line blocks than wrapped lines", () => {
  const wrappedParagraphs = [
    "It was a cold morning in the early spring of the year, and the streets were",
    "quiet as we walked together down towards the river and the old bridge.",
    "",
    "It was a warm evening some weeks later, and the streets were full of people",
    "walking home from their work in the city.",
  ];
  const source = ["A STUDY OF THINGS", "", "by Jane Example", "", "I", "", "THE FIRST MEETING", "", "Some Notes", "", "More Notes", "", ...wrappedParagraphs, ""].join("\n");

  it("its paragraphs are unwrapped, not kept line by line", () => {
    const paragraphs = parsePlainText(source)
      .tree.children.filter((node) => node.type === "paragraph")
      .map((node) => toString(node));
    expect(paragraphs).toContain(
      "It was a cold morning in the early spring of the year, and the streets were quiet as we walked together down towards the river and the old bridge.",
    );
    expect(paragraphs).toContain("It was a warm evening some weeks later, and the streets were full of people walking home from their work in the city.");
  });

  it("ragged stanzas among one-line blocks are not unwrapped", () => {
    const poem = [
      "Two Songs",
      "",
      "by Jane Example",
      "",
      "First",
      "",
      "Second",
      "",
      "Third",
      "",
      "The owl and the cat",
      "went out to sea,",
      "",
      "in a green boat",
      "as fine as can be.",
      "",
    ].join("\n");
    const texts = parsePlainText(poem).tree.children.map((node) => toString(node));
    expect(texts.some((text) => /cat went|boat as/.test(text))).toBe(false);
    expect(texts).toContain("The owl and the cat");
  });
});
