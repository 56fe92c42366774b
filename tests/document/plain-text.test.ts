import { readFileSync } from "node:fs";
import type { Emphasis, Paragraph, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { isTitleLike, parsePlainText } from "../../src/document/plain-text.js";

const seedPath = new URL("../corpus/000_14f3f3ed66253a4f.txt", import.meta.url).pathname;
const alicePath = new URL("../corpus/alice-in-wonderland.txt", import.meta.url).pathname;

const seedHeadings = [
  "The Al-Hol Detention Camp—The Largest Terrorist Camp in the World",
  "The Camp That Held the Aftermath",
  "The Transfer and the Breakdown",
  "Why the Number Matters: The New ISIS Threat to the U.S.",
  "Reintegration Without Infrastructure",
  "The Future is Bleak for Syria’s Minorities",
  "Executing Druze for Sport",
  "Impunity as a Signal",
  "A Fractured Firewall: What Will the West Do?",
  "Terrorist Ecosystems",
];

function text(source: string, file = "/tmp/example.txt") {
  return parseSource(source, file, "text");
}

function walk(nodes: readonly RootContent[], visit: (node: RootContent) => void): void {
  for (const node of nodes) {
    visit(node);
    if ("children" in node) walk(node.children as RootContent[], visit);
  }
}

describe("plain text: the seed article (one paragraph per line)", () => {
  const document = text(readFileSync(seedPath, "utf8"), seedPath);

  it("finds the lead section plus exactly the ten headings, in order", () => {
    const body = document.sections.filter((section) => section.role === "body");
    expect(body.map((section) => section.title)).toEqual(seedHeadings);
    expect(document.sections[0]!.role).toBe("lead");
    expect(document.sections[0]!.blocks).toHaveLength(2);
  });

  it("turns the author bio and copyright lines into end matter", () => {
    const last = document.sections.at(-1)!;
    expect(last.role).toBe("end-matter");
    expect(last.title).toBe("About the Author");
    expect(toString(last.blocks[0]!)).toMatch(/^Steven Emerson is executive director/);
    expect(last.blocks.map((block) => toString(block)).join("\n")).toMatch(/Copyright © 2026/);
    // and the last body section no longer holds them
    const terrorist = document.sections.find((section) => section.title === "Terrorist Ecosystems")!;
    expect(terrorist.blocks.map((block) => toString(block)).join(" ")).not.toMatch(/Copyright|Steven Emerson is/);
  });

  it("keeps one paragraph per line, with source lines", () => {
    const camp = document.sections.find((section) => section.title === "The Transfer and the Breakdown")!;
    expect(camp.start?.line).toBe(11);
    expect(camp.blocks).toHaveLength(8);
    expect(camp.blocks.every((block) => block.type === "paragraph")).toBe(true);
    expect(camp.blocks[0]!.position?.start.line).toBe(12);
  });

  it("counts words close to wc", () => {
    // wc -w counts 1,953 whitespace-separated tokens, em-dash-joined words count as one there.
    expect(document.words).toBeGreaterThan(1900);
    expect(document.words).toBeLessThan(2100);
  });
});

describe("plain text: Alice (a hard-wrapped Project Gutenberg book)", () => {
  const document = text(readFileSync(alicePath, "utf8"), alicePath);
  const chapters = document.sections.filter((section) => section.role === "body");

  it("finds the twelve chapters with their names", () => {
    expect(chapters).toHaveLength(12);
    expect(chapters[0]!.title).toBe("Chapter I. Down the Rabbit-Hole");
    expect(chapters[11]!.title).toBe("Chapter XII. Alice’s Evidence");
    expect(chapters.map((chapter) => chapter.slug)).toContain("chapter-vii-a-mad-tea-party");
  });

  it("takes title and author from the title page", () => {
    expect(document.metadata.title).toBe("Alice’s Adventures in Wonderland");
    expect(document.metadata.author).toBe("Lewis Carroll");
  });

  it("unwraps prose paragraphs into single lines", () => {
    const first = chapters[0]!.blocks[0] as Paragraph;
    expect(first.type).toBe("paragraph");
    expect(toString(first)).toMatch(/^Alice was beginning to get very tired of sitting by her sister on the bank, and of/);
    expect(first.children.some((child) => child.type === "break")).toBe(false);
  });

  it("keeps the line breaks of indented verse", () => {
    const poem = chapters[1]!.blocks.find((block) => toString(block).startsWith("‘How doth the little crocodile")) as Paragraph;
    expect(poem).toBeDefined();
    expect(poem.children.filter((child) => child.type === "break")).toHaveLength(3);
  });

  it("turns _underscores_ into emphasis and star lines into one scene break", () => {
    const emphasis: Emphasis[] = [];
    walk(chapters[1]!.blocks, (node) => {
      if (node.type === "emphasis") emphasis.push(node);
    });
    // "_I_ shan't be able!" in Chapter II
    expect(emphasis.map((node) => toString(node))).toContain("I");
    const chapterText = chapters[1]!.blocks.map((block) => toString(block)).join(" ");
    expect(chapterText).toContain("I shan’t be able");
    expect(chapterText).not.toMatch(/_I_/);
    const breaks = chapters[0]!.blocks.filter((block) => block.type === "thematicBreak");
    // Chapter I has two groups of three star lines: two scene breaks.
    expect(breaks).toHaveLength(2);
  });

  it("turns Gutenberg double hyphens into em dashes", () => {
    const last = chapters[11]!.blocks.map((block) => toString(block)).join(" ");
    expect(last).toContain("dull reality—the grass");
    expect(last).not.toMatch(/\w--\w/);
  });

  it("describes the book with its whole opening sentence, not a cut-off phrase", () => {
    expect(document.metadata.description).toMatch(/^Alice was beginning to get very tired .* ‘without pictures or conversation\?’$/);
  });

  it("counts about 26,000 words", () => {
    expect(document.words).toBeGreaterThan(25_000);
    expect(document.words).toBeLessThan(28_000);
  });
});

describe("plain text: heuristics on other shapes", () => {
  it("an article with blank lines between paragraphs and a title line with a byline", () => {
    const document = text(
      [
        "The Quiet Harbour",
        "",
        "By Maria Okafor",
        "",
        "Fishing boats left the harbour before dawn, as they had for a century. Nobody expected the water to change.",
        "",
        "He said no.",
        "",
        "What the Tide Brought",
        "",
        "On the third morning the nets came up empty. The harbour master called the ministry, and the ministry called nobody.",
        "",
        "Counting the Cost",
        "",
        "By winter, half the boats were for sale. The town's only school lost a third of its pupils in a single year.",
      ].join("\n"),
    );
    expect(document.metadata.title).toBe("The Quiet Harbour");
    expect(document.metadata.author).toBe("Maria Okafor");
    expect(document.sections.map((section) => [section.role, section.title])).toEqual([
      ["lead", "The Quiet Harbour"],
      ["body", "What the Tide Brought"],
      ["body", "Counting the Cost"],
    ]);
    // a short sentence is not a heading
    expect(document.sections[0]!.blocks.map((block) => toString(block))).toContain("He said no.");
  });

  it("a wrapped book with `CHAPTER 1` and the chapter name on its own line, inside Gutenberg boilerplate", () => {
    const wrap = (sentence: string) =>
      sentence
        .match(/.{1,68}(\s|$)/g)!
        .map((line) => line.trim())
        .join("\n");
    const paragraph = wrap(
      "It was a long road from the coast to the mountains, and the travellers had no map but the stars and the memory of an old woman who had walked it once when she was young.",
    );
    const document = text(
      [
        "The Project Gutenberg eBook of The Long Road",
        "",
        "Title: The Long Road",
        "Author: Jane Doe",
        "Language: English",
        "",
        "*** START OF THE PROJECT GUTENBERG EBOOK THE LONG ROAD ***",
        "",
        "CHAPTER 1",
        "",
        "THE COAST",
        "",
        paragraph,
        "",
        "CHAPTER 2",
        "",
        "The Mountains",
        "",
        paragraph,
        "",
        "Chapter 3 was never written, because the travellers never came back from the",
        "mountains to tell their story, and the author stopped here.",
        "",
        "*** END OF THE PROJECT GUTENBERG EBOOK THE LONG ROAD ***",
        "",
        "Licence text that is not part of the book.",
      ].join("\n"),
    );
    expect(document.metadata.title).toBe("The Long Road");
    expect(document.metadata.author).toBe("Jane Doe");
    expect(document.sections.filter((section) => section.role === "body").map((section) => section.title)).toEqual(["Chapter 1. The Coast", "Chapter 2. The Mountains"]);
    const allText = document.sections.flatMap((section) => section.blocks.map((block) => toString(block))).join(" ");
    expect(allText).toContain("Chapter 3 was never written");
    expect(allText).not.toContain("Licence text");
  });

  it("bulleted lines become a list, bare URLs become links", () => {
    const { tree } = parsePlainText(["Packing List", "", "- a tent", "- two maps", "- water for three days", "", "Details at https://example.org/trip."].join("\n"));
    const list = tree.children.find((node) => node.type === "list");
    expect(list && "children" in list ? list.children : []).toHaveLength(3);
    const links: RootContent[] = [];
    walk(tree.children, (node) => {
      if (node.type === "link") links.push(node);
    });
    expect(links).toHaveLength(1);
    expect((links[0] as { url: string }).url).toBe("https://example.org/trip");
  });

  it("title-like lines: headlines yes, prose no", () => {
    for (const heading of [
      "Why the Number Matters: The New ISIS Threat to the U.S.",
      "Executing Druze for Sport",
      "A Fractured Firewall: What Will the West Do?",
      "The State of the Union",
    ]) {
      expect(isTitleLike(heading, { allowTerminal: true }), heading).toBe(true);
    }
    for (const prose of ["He said no.", "It fell. Then It Rose", "Nobody came to the meeting that night", "Ingredients:", "“Quoted Words Are Not Headings”", "- A Bullet Item"]) {
      expect(isTitleLike(prose, { allowTerminal: true }), prose).toBe(false);
    }
  });
});
