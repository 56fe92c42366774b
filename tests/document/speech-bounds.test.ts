// Bounded speech: what is spoken (and so the audio's length) stays proportional to what a person
// would read aloud, whatever runs of digits, letters, symbols or emoji the text holds; a warning
// says what was shortened. Also the cover art's text, which a long title must not slow down.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { normalizeForSpeech, scriptText, sectionSpeech, type SpeechProblem } from "../../src/document/speech/index.js";
import { wrap } from "../../src/stages/audio/cover.js";

function spoken(text: string, language = "en"): { text: string; shortened: string[] } {
  const shortened: string[] = [];
  return { text: normalizeForSpeech(text, language, (what) => shortened.push(what)), shortened };
}

describe("long runs are spoken in a bounded way", () => {
  it("a 5,000-digit number is 'a five thousand-digit number', not 5,000 digit names", () => {
    const result = spoken(`It is ${"7".repeat(5000)} long.`);
    expect(result.text).toBe("It is a five thousand-digit number long.");
    expect(result.shortened).toEqual(["a 5,000-digit number"]);
  });

  it("a fraction with 5,000 decimals: the first ten, then how many more", () => {
    const result = spoken(`Pi is 3.${"1415926535".repeat(500)}.`);
    expect(result.text).toBe("Pi is three point one four one five nine two six five three five and four thousand nine hundred ninety more digits.");
  });

  it("numbers past the safe integers never read as 'Infinity' or in exponent form", () => {
    const result = spoken("The 123456789012345678901234th time cost $123456789012345678901234 and 99999999999999999th.").text;
    expect(result).not.toMatch(/Infinity|e\+|\d{21}/);
    expect(result.length).toBeLessThan(250);
  });

  it("up to 20 digits are still read (a card number), and ordinary numbers as before", () => {
    expect(spoken("Call 12345678901234567890.").text).toBe("Call one two three four five six seven eight nine zero one two three four five six seven eight nine zero.");
    expect(spoken("The U.S. paid $20,000 in 1990, 45% of it.").text).toBe("The U S paid twenty thousand dollars in nineteen ninety, forty-five percent of it.");
  });

  it("a 100,000-letter word, a run of 10,000 exclamation marks, repeated and mixed symbols and emoji", () => {
    expect(spoken(`x${"a".repeat(99_999)} end`).text).toBe("a one hundred thousand-character word end");
    expect(spoken(`Wow${"!".repeat(10_000)}`).text).toBe("Wow!");
    expect(spoken(`${"😀".repeat(10_000)} and ${"😀 ".repeat(1000)}`).text).toBe("😀 and 😀");
    expect(spoken("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧 🇫🇷🇫🇷🇫🇷🇫🇷").text).toBe("👨‍👩‍👧 🇫🇷");
    expect(spoken(`Rule ${"=-".repeat(500)} done.`).text).toBe("Rule, done.");
    // Ordinary punctuation, long compounds and emphasis are untouched.
    expect(spoken("Really?! Yes!!! Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz.").text).toBe(
      "Really?! Yes!!! Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz.",
    );
  });

  it("control and format characters never reach the engine; ZWJ and ZWNJ stay", () => {
    expect(spoken("co\u00adoperate\u0007 now\u202e back\u2028line \u0000x\u001bX \ufeffمی\u200cخواهم 👨\u200d👩\u200d👧").text).toBe(
      "cooperate now back line x X می\u200cخواهم 👨\u200d👩\u200d👧",
    );
  });

  it("in a language without English rules the run is cut to its start, not described in English", () => {
    expect(spoken(`Zahl ${"7".repeat(5000)}.`, "de").text).toBe(`Zahl ${"7".repeat(20)}.`);
    expect(spoken(`${"b".repeat(5000)}.`, "de").text).toBe(`${"b".repeat(100)}.`);
  });

  it("fuzz: the spoken text is at most a few hundred characters per written token, whatever the runs", () => {
    const run = fc.oneof(
      fc.string({ unit: fc.constantFrom("0", "1", "9", ".", ","), minLength: 1, maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom("!", "?", "-", "=", "*", "#", "$", "😀", "👨‍👩‍👧", "🇫🇷", "\uFE0F", "…"), minLength: 1, maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom("a", "B", "é", "1", "ß", "\u0301"), minLength: 1, maxLength: 3000 }),
      fc.string({ maxLength: 40 }),
      // One unit repeated: the runs a random mix rarely makes.
      fc.tuple(fc.constantFrom("7", "!", "😀", "a", "=-", "😀 "), fc.integer({ min: 1, max: 5000 })).map(([unit, count]) => unit.repeat(count)),
    );
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 6 }), fc.constantFrom("en", "en-US", "de", "fr"), (runs, language) => {
        const text = runs.join(" ");
        const tokens = text.split(/\s+/).filter(Boolean).length;
        expect(spoken(text, language).text.length).toBeLessThanOrEqual(250 * tokens + 250);
      }),
      { numRuns: 200 },
    );
  });

  it("the section's speech says what was shortened, with the line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lectern-speech-bounds-"));
    const path = join(dir, "long.md");
    await writeFile(path, `---\ntitle: Long\nlang: en\n---\n\n## Numbers\n\nA short one.\n\nThe number ${"4".repeat(5000)} is long.\n`);
    const { document } = await readDocument(path);
    const problems: SpeechProblem[] = [];
    const script = scriptText(sectionSpeech(document, document.sections.find((section) => section.title === "Numbers")!, { report: (problem) => problems.push(problem) }));
    expect(script.length).toBeLessThan(200);
    expect(problems).toEqual([{ rule: "speech-text-shortened", reason: "shortened for listening, not read out in full: a 5,000-digit number", line: 10 }]);
  });
});

describe("cover art text", () => {
  it("a 22,000-letter title wraps into at most six lines of at most 20 characters, cut with an ellipsis", () => {
    const lines = wrap("x".repeat(22_000), 20, 6);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(Array.from(line).length).toBeLessThanOrEqual(20);
    expect(lines.at(-1)).toMatch(/…$/);
  });

  it("a 22 KB title of words looks at no more than it shows", () => {
    const lines = wrap("Lorem ipsum dolor sit amet ".repeat(815), 20, 6);
    expect(lines).toHaveLength(6);
    expect(lines.at(-1)).toMatch(/…$/);
    expect(wrap("The Title of a Book", 20, 6)).toEqual(["The Title of a Book"]);
  });
});
