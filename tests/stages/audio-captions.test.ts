// Captions show the document's words, at the engine's sentence timings.
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { sectionSpeech } from "../../src/document/speech/index.js";
import { defaultCueLimits, sentenceCues, splitSentence, utteranceCaptions, wrapCueLines } from "../../src/stages/audio/captions.js";

const timed = (utterance: number, start: number, end: number, text: string) => ({ utterance, start, end, text });

describe("caption text", () => {
  it("utterances carry their written sentences, while the spoken text is normalised", () => {
    const document = parseSource("## The U.S. Position\n\nUp to 20,000 people left. Dr. Lee counted 15% of them on Jan. 5, 2026.\n", "/tmp/c.md", "markdown");
    const [heading, first, second] = sectionSpeech(document, document.sections[0]!, {});
    // one cue, however it is punctuated (speech adds the closing period that makes a pause)
    expect(heading!.caption).toEqual(["The U.S. Position."]);
    // one utterance per sentence (src/document/sentences.ts), each with its written text
    expect([first!.caption, second!.caption]).toEqual([["Up to 20,000 people left."], ["Dr. Lee counted 15% of them on Jan. 5, 2026."]]);
    expect(first!.segments.map((segment) => segment.text).join(" ")).toMatch(/twenty thousand/);
  });

  it("a sentence ending in an ellipsis or a typeset closing quote gets no extra full stop", () => {
    for (const [text, language, last] of [
      ['Er fragte: "Wie geht\'s?"', "de", "„Wie geht’s?“"],
      ["Et puis... la fin...", "fr", "la fin…"],
      ['She said "no."', "en", "“no.”"],
    ] as const) {
      const document = parseSource(`---\nlang: ${language}\n---\n\n${text}\n`, "/tmp/c.md", "markdown");
      const [paragraph] = sectionSpeech(document, document.sections[0]!, {});
      expect(paragraph!.caption!.join(" ").endsWith(last)).toBe(true);
    }
  });

  it("sentences are cut by the language's rules", () => {
    const document = parseSource("---\nlang: de\n---\n\nEr kam um 5 Uhr. Sie nicht.\n", "/tmp/c.md", "markdown");
    expect(sectionSpeech(document, document.sections[0]!, {}).map((utterance) => utterance.caption)).toEqual([["Er kam um 5 Uhr."], ["Sie nicht."]]);
  });

  const spoken = (text: string) => ({ segments: [{ text }] });

  it("shows each utterance's written sentence over the span the engine measured for it", () => {
    const result = utteranceCaptions(
      [
        { start: 0, end: 10 },
        { start: 14, end: 20 },
      ],
      [
        { ...spoken("twenty thousand left."), caption: ["20,000 left."] },
        { ...spoken("Doctor Lee counted."), caption: ["Dr. Lee counted."] },
      ],
    );
    expect(result).toEqual([
      { utterance: 0, start: 0, end: 10, text: "20,000 left." },
      { utterance: 1, start: 14, end: 20, text: "Dr. Lee counted." },
    ]);
  });

  it("cuts an utterance of several written sentences at the spoken word nearest each one's share", () => {
    // espeak ends a sentence after "etc." where the text does not; the spans do not care.
    const words = [
      timed(0, 0, 2, "Apples,"),
      timed(0, 2, 4, "pears,"),
      timed(0, 4, 6, "et"),
      timed(0, 6, 7, "cetera"),
      timed(0, 7, 8, "were"),
      timed(0, 8, 9, "sold."),
      timed(0, 10, 11, "Then"),
      timed(0, 11, 12, "rain."),
    ];
    const result = utteranceCaptions(
      [{ start: 0, end: 12 }],
      [{ ...spoken("Apples, pears, et cetera were sold. Then rain."), caption: ["Apples, pears, etc. were sold.", "Then rain."] }],
      words,
    );
    expect(result).toEqual([
      { utterance: 0, start: 0, end: 10, text: "Apples, pears, etc. were sold." },
      { utterance: 0, start: 10, end: 12, text: "Then rain." },
    ]);
  });

  it("cuts by the written share when the engine gave no words", () => {
    const result = utteranceCaptions([{ start: 100, end: 200 }], [{ ...spoken("One. Three."), caption: ["One.", "Three."] }]);
    // "One." and its space are 5 of the 12 characters: the cut is 5/12 of the way.
    expect(result.map((cue) => [cue.start, cue.end])).toEqual([
      [100, 142],
      [142, 200],
    ]);
  });

  it("shows what is said for an utterance without written text, and nothing for an empty span", () => {
    const result = utteranceCaptions(
      [
        { start: 0, end: 9 },
        { start: 9, end: 9 },
      ],
      [spoken("A shell example, 2 lines."), { ...spoken("Gone."), caption: ["Gone."] }],
    );
    expect(result).toEqual([{ utterance: 0, start: 0, end: 9, text: "A shell example, 2 lines." }]);
  });
});

/** Spoken word timings for `text` at a steady `rate` characters per second, from `start` (samples at 1 kHz). */
function steadyWords(text: string, start: number, charactersPerSecond: number): { words: ReturnType<typeof timed>[]; end: number } {
  const words: ReturnType<typeof timed>[] = [];
  let at = start;
  for (const word of text.split(" ")) {
    const length = ((word.length + 1) / charactersPerSecond) * 1000;
    words.push(timed(0, at, at + length, word));
    at += length;
  }
  return { words, end: at };
}

// A real long sentence (Lewis Carroll, Alice's Adventures in Wonderland, ch. I; public domain):
// 542 characters, 58 seconds as one cue before cues were cut to size.
const longSentence =
  "So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid), " +
  "whether the pleasure of making a daisy-chain would be worth the trouble of getting up and picking the daisies, " +
  "when suddenly a White Rabbit with pink eyes ran close by her, and burning with curiosity, she ran across the field after it, " +
  "and fortunately was just in time to see it pop down a large rabbit-hole under the hedge, which she had never noticed before, " +
  'and said, "Oh dear! Oh dear! I shall be late!" as it went.';

describe("caption cues", () => {
  const limits = defaultCueLimits;
  const sampleRate = 1000;

  it("cut a long sentence into cues of at most two lines of 42 characters and 7 seconds, in order, losing no word", () => {
    const { words, end } = steadyWords(longSentence, 0, 12);
    const cues = sentenceCues([timed(0, 0, end, longSentence)], sampleRate, 0, end / sampleRate + 1, words);
    expect(cues.length).toBeGreaterThan(5);
    for (const cue of cues) {
      const lines = cue.text.split("\n");
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(42);
      expect(cue.end - cue.start).toBeLessThanOrEqual(7.001);
      expect(cue.end).toBeGreaterThan(cue.start);
    }
    for (let index = 1; index < cues.length; index++) expect(cues[index]!.start).toBeGreaterThanOrEqual(cues[index - 1]!.end);
    expect(cues.map((cue) => cue.text.replace(/\n/g, " ")).join(" ")).toBe(longSentence);
  });

  it("never cut inside a quotation when a cut outside it fits, and prefer clause ends", () => {
    const { words, end } = steadyWords(longSentence, 0, 12);
    const pieces = splitSentence(longSentence, 0, end, words, sampleRate, limits);
    for (const piece of pieces.slice(0, -1)) {
      const quotes = (
        pieces
          .slice(0, pieces.indexOf(piece) + 1)
          .map((p) => p.text)
          .join(" ")
          .match(/"/g) ?? []
      ).length;
      expect(quotes % 2).toBe(0);
    }
    // More pieces end at a comma or a sentence end than a word boundary alone would give.
    const atPunctuation = pieces.slice(0, -1).filter((piece) => /[,.!?)]$/.test(piece.text)).length;
    expect(atPunctuation).toBeGreaterThanOrEqual(Math.ceil((pieces.length - 1) / 2));
  });

  it("time each cut at the spoken word that starts at the same share of the spoken text", () => {
    // Written "20,000" is spoken as two words; the cut after the first half still lands mid-speech.
    const written = "Up to 20,000 people left the camp in the first week, and many more followed them in the weeks after that.";
    const spoken = "Up to twenty thousand people left the camp in the first week, and many more followed them in the weeks after that.";
    const { words, end } = steadyWords(spoken, 500, 15);
    const pieces = splitSentence(written, 500, end, words, sampleRate, limits);
    expect(pieces.length).toBe(2);
    expect(pieces[0]!.text).toBe("Up to 20,000 people left the camp in the first week,");
    const and = words.find((word) => word.text === "and")!;
    expect(pieces[0]!.end).toBe(and.start);
    expect(pieces[1]!.start).toBe(and.start);
  });

  it("keep a short sentence whole, on two balanced lines when it is longer than one", () => {
    expect(sentenceCues([timed(0, 0, 3000, "Short and sweet.")], sampleRate, 0, 10)).toEqual([{ start: 0, end: 3, text: "Short and sweet." }]);
    expect(wrapCueLines("The transfer was framed publicly as stabilization today.", limits)).toBe("The transfer was framed publicly\nas stabilization today.");
  });
});
