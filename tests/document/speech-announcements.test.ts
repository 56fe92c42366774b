// Lectern's own announcements ("Quote:", "A shell example, 3 lines.", "Notes:", the title on
// the title page) belong to a unit, so that a talking book's clips play them: a media-overlay
// player plays only what its clips name.
import { describe, expect, it } from "vitest";
import { sectionSpeech } from "../../src/document/speech/index.js";
import { sentenceSections } from "../../src/document/sentences.js";
import { parseSource } from "../../src/document/read.js";

function spoken(markdown: string, readCode: "short" | "none" = "short"): { kind: string; id: string | undefined; text: string }[] {
  const doc = parseSource(markdown, "/virtual/announcements.md", "markdown");
  return doc.sections.flatMap((section) =>
    sectionSpeech(doc, section, { readCode }).map((utterance) => ({
      kind: utterance.kind,
      id: utterance.id,
      text: utterance.segments.map((segment) => segment.text).join(" "),
    })),
  );
}

describe("announcements join a unit", () => {
  it("a code block's announcement is the block's own unit, read out or not", () => {
    const source = "---\ntitle: T\n---\n\nRun it.\n\n```sh\nnpm install\nnpm test\nnpm start\n```\n\nDone.\n";
    for (const readCode of ["short", "none"] as const) {
      const doc = parseSource(source, "/virtual/code.md", "markdown");
      const units = sentenceSections(doc).flatMap((section) => section.sentences);
      const code = units.find((unit) => unit.kind === "code")!;
      const announcement = spoken(source, readCode).find((utterance) => utterance.kind === "announcement" && /example/.test(utterance.text));
      expect(announcement?.id, readCode).toBe(code.id);
    }
  });

  it("'Quote:' joins the quote's first sentence, 'End quote.' its last", () => {
    const utterances = spoken("---\ntitle: T\n---\n\nBefore.\n\n> First quoted. Second quoted.\n\nAfter.\n");
    const quoteStart = utterances.findIndex((utterance) => utterance.kind === "announcement");
    const quoteEnd = utterances.findLastIndex((utterance) => utterance.kind === "announcement");
    expect(utterances[quoteStart]!.id).toBe(utterances[quoteStart + 1]!.id);
    expect(utterances[quoteStart + 1]!.text).toMatch(/First quoted/);
    expect(utterances[quoteEnd]!.id).toBe(utterances[quoteEnd - 1]!.id);
    expect(utterances[quoteEnd - 1]!.text).toMatch(/Second quoted/);
    expect(utterances[quoteEnd + 1]!.text).toMatch(/After/);
    expect(utterances[quoteEnd + 1]!.id).not.toBe(utterances[quoteEnd]!.id);
  });

  it("the title said on the title page, a table's announcement and 'Notes:' join the unit after them; no utterance is left without one", () => {
    const utterances = spoken("---\ntitle: The Book\nauthor: A. Writer\n---\n\nOpening words.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: The note.\n");
    expect(utterances.every((utterance) => utterance.id !== undefined)).toBe(true);
    const title = utterances.findIndex((utterance) => utterance.kind === "title");
    expect(utterances[title]!.id).toBe(utterances.find((utterance) => utterance.kind === "paragraph")!.id);
    const notes = utterances.findIndex((utterance) => utterance.kind === "announcement" && /note/i.test(utterance.text));
    expect(utterances[notes]!.id).toBe(utterances[notes + 1]!.id);
    expect(utterances[notes + 1]!.kind).toBe("footnote");
  });
});
