// Captions show the document's words, at the engine's sentence timings.
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { captionSentences, sectionSpeech } from "../../src/document/speech/index.js";
import { withWrittenText } from "../../src/stages/audio/captions.js";

const timed = (utterance: number, start: number, end: number, text: string) => ({ utterance, start, end, text });

describe("caption text", () => {
  it("utterances carry their written sentences, while the spoken text is normalised", () => {
    const document = parseSource("## The U.S. Position\n\nUp to 20,000 people left. Dr. Lee counted 15% of them on Jan. 5, 2026.\n", "/tmp/c.md", "markdown");
    const [heading, paragraph] = sectionSpeech(document, document.sections[0]!, {});
    // one cue, however it is punctuated (speech adds the closing period that makes a pause)
    expect(heading!.caption).toEqual(["The U.S. Position."]);
    expect(paragraph!.caption).toEqual(["Up to 20,000 people left.", "Dr. Lee counted 15% of them on Jan. 5, 2026."]);
    expect(paragraph!.segments.map((segment) => segment.text).join(" ")).toMatch(/twenty thousand/);
  });

  it("sentences are cut by the language's rules", () => {
    expect(captionSentences("Er kam um 5 Uhr. Sie nicht.", "de")).toEqual(["Er kam um 5 Uhr.", "Sie nicht."]);
    expect(captionSentences("   ", "en")).toEqual([]);
  });

  it("replaces the engine's text sentence by sentence when the counts agree", () => {
    const result = withWrittenText([timed(0, 0, 10, "twenty thousand left."), timed(0, 10, 20, "Doctor Lee counted.")], [{ caption: ["20,000 left.", "Dr. Lee counted."] }]);
    expect(result.map((sentence) => [sentence.start, sentence.end, sentence.text])).toEqual([
      [0, 10, "20,000 left."],
      [10, 20, "Dr. Lee counted."],
    ]);
  });

  it("joins the engine's pieces into one cue when the text is one sentence", () => {
    const result = withWrittenText([timed(1, 5, 9, "the U S."), timed(1, 9, 15, "Position.")], [{}, { caption: ["The U.S. Position"] }]);
    expect(result).toEqual([{ utterance: 1, start: 5, end: 15, text: "The U.S. Position" }]);
  });

  it("keeps the engine's text when the sentences cannot be paired", () => {
    const engine = [timed(0, 0, 5, "One."), timed(0, 5, 9, "Two."), timed(0, 9, 12, "Three.")];
    expect(withWrittenText(engine, [{ caption: ["One.", "Two and three."] }])).toEqual(engine);
  });
});
