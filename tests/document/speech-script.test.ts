// The speech script of each section: what is read, in which order, and what is never read.
import { describe, expect, it } from "vitest";
import { parseSource, readDocument } from "../../src/document/read.js";
import type { LecternDocument, Section } from "../../src/document/model.js";
import { scriptText, sectionSpeech, utteranceText } from "../../src/document/speech/index.js";

const fixture = new URL("../fixtures/every-construct/document.md", import.meta.url).pathname;
const { document } = await readDocument(fixture);

function section(doc: LecternDocument, title: string): Section {
  const found = doc.sections.find((candidate) => candidate.title === title);
  if (!found) throw new Error(`no section ${title}`);
  return found;
}

describe("sectionSpeech", () => {
  it("reads the lead section's title and author first, then a pause", () => {
    const utterances = sectionSpeech(document, document.sections[0]!);
    expect(utterances[0]).toMatchObject({ kind: "title" });
    expect(utteranceText(utterances[0]!)).toBe('Fish and Chips A Field Guide to "Quotes".');
    expect(utteranceText(utterances[1]!)).toBe("By Ada Lovelace.");
    expect(utterances[1]!.pauseAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it("does not read a title that is only the file name", async () => {
    const seed = (await readDocument(new URL("../corpus/000_14f3f3ed66253a4f.txt", import.meta.url).pathname)).document;
    const lead = sectionSpeech(seed, seed.sections[0]!);
    expect(lead[0]!.kind).toBe("paragraph");
    expect(scriptText(lead)).not.toMatch(/14f3f3ed/i);
  });

  it("reads a title the text gives even when it matches the file name", () => {
    for (const source of [
      "# Installation\n\nRun the installer and follow the prompts on screen.\n",
      "---\ntitle: Installation\n---\n\nRun the installer and follow the prompts on screen.\n",
    ]) {
      const doc = parseSource(source, "/docs/installation.md", "markdown");
      expect(doc.metadata.title).toBe("Installation");
      const lead = sectionSpeech(doc, doc.sections[0]!);
      expect(lead[0]).toMatchObject({ kind: "title", segments: [{ text: "Installation." }] });
    }
    // With no title in the text, the same file name is still not read.
    const untitled = parseSource("Run the installer and follow the prompts on screen.\n", "/docs/installation.md", "markdown");
    expect(untitled.metadata.title).toBe("Installation");
    expect(sectionSpeech(untitled, untitled.sections[0]!)[0]!.kind).toBe("paragraph");
  });

  it("reads the visible text of block HTML, one utterance per block box, never its hidden parts", () => {
    const source = [
      "# Project",
      "",
      "A Markdown paragraph first.",
      "",
      '<p align="center"><a href="https://github.com/o/p/actions"><img src="https://img.shields.io/badge/build-passing-green" alt="build passing"></a> <a href="https://npmjs.com/p"><img src="https://img.shields.io/npm/v/p" alt="npm version"></a></p>',
      "",
      '<p align="center"><img src="logo.png" alt="Project logo" width="120"></p>',
      "",
      "<p>This paragraph is written in HTML and says something important.</p>",
      "",
      '<div align="center">',
      "  <b>Fast</b> and <i>small</i>, with <code>npm i p</code> and no dependencies<sup>2</sup> at all",
      "</div>",
      "",
      "<details><summary>Why another tool</summary>Because the others were slow.</details>",
      "",
      '<center><p>Usage</p><p lang="fr">Bonjour à tous</p></center>',
      "",
      "<script>alert('never read')</script>",
      "",
      "<!-- a comment is never read -->",
      "",
      '<iframe src="https://example.com">iframe fallback</iframe><style>p { color: red }</style>',
      "",
      "Plain Markdown paragraph.",
      "",
    ].join("\n");
    const doc = parseSource(source, "/docs/readme.md", "markdown");
    expect(doc.sections).toHaveLength(1);
    const utterances = sectionSpeech(doc, doc.sections[0]!, { canVoice: () => true });
    const text = scriptText(utterances);
    expect(utterances.map((utterance) => utterance.caption?.join(" "))).toEqual([
      "Project.",
      "A Markdown paragraph first.",
      "This paragraph is written in HTML and says something important.",
      "Fast and small, with npm i p and no dependencies² at all.",
      // A raw HTML block is one unit (src/document/sentences.ts): its boxes are one utterance, each closed as a sentence.
      "Why another tool. Because the others were slow.",
      "Usage. Bonjour à tous.",
      "Plain Markdown paragraph.",
    ]);
    expect(utterances.find((utterance) => utterance.caption?.[0] === "Usage. Bonjour à tous.")!.segments).toEqual([
      { text: "Usage.", language: "en" },
      { text: "Bonjour à tous.", language: "fr" },
    ]);
    expect(text).toContain("npm i p");
    expect(text).not.toMatch(/build|npm version|logo|alert|comment|iframe|color/i);
  });

  it("says nothing, not a lone full stop, for a paragraph of badges", () => {
    const source =
      "# Tool\n\n[![Gem Version](https://img.shields.io/gem/v/tool.svg)][gems]\n[![Build Status](https://github.com/o/tool/workflows/CI/badge.svg)][ci]\n\n[gems]: https://rubygems.org/gems/tool\n[ci]: https://github.com/o/tool/actions\n\nTool is a simple generator.\n";
    const doc = parseSource(source, "/docs/readme.md", "markdown");
    const utterances = sectionSpeech(doc, doc.sections[0]!);
    expect(utterances.map((utterance) => utteranceText(utterance))).toEqual(["Tool.", "Tool is a simple generator."]);
  });

  it("reads a section's heading first, then pauses longer than after a paragraph", () => {
    const utterances = sectionSpeech(document, section(document, "Lists of Every Kind"));
    expect(utterances[0]).toMatchObject({ kind: "heading", segments: [{ text: "Lists of Every Kind." }] });
    const paragraph = utterances.find((utterance) => utterance.kind === "paragraph")!;
    expect(utterances[0]!.pauseAfterMs).toBeGreaterThan(paragraph.pauseAfterMs);
  });

  it("reads list items with their numbers and task states", () => {
    const text = scriptText(sectionSpeech(document, section(document, "Lists of Every Kind")));
    expect(text).toContain("one: First ordered item.");
    expect(text).toContain("three: Third ordered item.");
    expect(text).toContain("nested bullet two.");
    expect(text).toContain("Done: A finished task.");
    expect(text).toContain("Not done: An open task.");
  });

  it("reads table rows as header: cell pairs, quotes announced, a short code block announced then read", () => {
    const text = scriptText(sectionSpeech(document, section(document, "Tables and Quotes")));
    // Each cell is a unit of its own, said after its column's name.
    expect(text).toContain("Country: Syria.\nCamps: twelve.\nDetainees: twenty thousand.");
    expect(text).toContain("Quote:\nA block quote, attributed to nobody, spanning two source lines.\nEnd quote.");
    expect(text).toContain("A JavaScript example, one line.\nconsole dot log left paren double quote code is shown comma never read aloud double quote right paren semicolon");
    const announced = scriptText(sectionSpeech(document, section(document, "Tables and Quotes"), { readCode: "none" }));
    expect(announced).toContain("A JavaScript example, one line.");
    expect(announced).not.toContain("console");
  });

  it("reads alt text of described images only, and announces a span it cannot voice", () => {
    const text = scriptText(sectionSpeech(document, section(document, "Images and Languages")));
    expect(text).toContain("Image: A red square on a white background.");
    expect(text).not.toMatch(/decorative|png|https?:/);
    expect(text).toContain("The Arabic name (a phrase in Arabic) is written right to left.");
    expect(text).not.toContain("الهول");
  });

  it("reports a span it announces instead of voicing, with its line", () => {
    const problems: { rule: string; line?: number }[] = [];
    sectionSpeech(document, section(document, "Images and Languages"), { report: (problem) => problems.push(problem) });
    expect(problems).toEqual([expect.objectContaining({ rule: "speech-language-announced", line: expect.any(Number) })]);
  });

  it("voices a span in its own language when the engine can", () => {
    const utterances = sectionSpeech(document, section(document, "Images and Languages"), { canVoice: () => true });
    const arabic = utterances.flatMap((utterance) => utterance.segments).filter((segment) => segment.language === "ar");
    expect(arabic.map((segment) => segment.text)).toEqual(["الهول"]);
  });

  it("never reads script text, URLs or markup", () => {
    const all = document.sections.map((each) => scriptText(sectionSpeech(document, each))).join("\n");
    expect(all).not.toMatch(/alert|<|>|https?:|javascript:|onclick|\*\*|`/);
    expect(scriptText(sectionSpeech(document, section(document, "Hostile Content")))).toBe("Hostile Content.\nA javascript link and an event handler.");
  });

  it("reads footnotes at the end of their section, or skips them", () => {
    const lists = section(document, "Lists of Every Kind");
    const text = scriptText(sectionSpeech(document, lists));
    expect(text.endsWith("Note.\nNote one: The second footnote.")).toBe(true);
    expect(scriptText(sectionSpeech(document, lists, { footnotes: "skip" }))).not.toContain("Note");
  });

  it("applies the lexicon before normalisation", () => {
    const text = scriptText(sectionSpeech(document, section(document, "The Last Section"), { lexicon: new Map([["Closing", "Final"]]) }));
    expect(text).toBe("The Last Section.\nFinal words.");
  });

  it("keeps source lines on utterances so captions map back to the text", () => {
    const utterances = sectionSpeech(document, section(document, "The Last Section"));
    expect(utterances.every((utterance) => typeof utterance.line === "number")).toBe(true);
  });
});

describe("a heading numbered in Roman numerals", () => {
  it("is said with its number, not spelled as letters, and shown as written", () => {
    const document = parseSource(
      "# Book\n\nThe first words of the book, before its chapters begin, are here.\n\n## II. The Second Meeting\n\nThey met again.\n\n## IIII. Not a numeral\n\nWords.\n",
      "/tmp/book.md",
      "markdown",
    );
    const [heading] = sectionSpeech(document, document.sections[1]!, {});
    expect(heading!.segments.map((segment) => segment.text).join(" ")).toMatch(/^2\. The Second Meeting/);
    expect(heading!.caption).toEqual(["II. The Second Meeting."]);
    const [malformed] = sectionSpeech(document, document.sections[2]!, {});
    expect(malformed!.segments.map((segment) => segment.text).join(" ")).not.toMatch(/^4/);
  });
});
