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

  // A number is its digits (any script's) joined by group separators, bounded by its total digits,
  // however it is grouped: spaces, no-break and thin spaces, commas, points, apostrophes,
  // underscores, the Arabic thousands separator.
  const groupedForms: readonly [string, string][] = [
    ["spaces", `1 000 ${"000 ".repeat(500)}`],
    ["no-break spaces", `1\u00a0${"000\u00a0".repeat(500)}000`],
    ["narrow no-break spaces", `1\u202f${"000\u202f".repeat(500)}000`],
    ["thin spaces", `1\u2009${"000\u2009".repeat(500)}000`],
    ["commas", `1${",000".repeat(500)}`],
    ["points", `1${".000".repeat(500)}`],
    ["apostrophes", `1${"'000".repeat(500)}`],
    ["underscores", `1${"_000".repeat(500)}`],
    ["Arabic thousands separators", `٤${"٬١٢٣".repeat(500)}`],
    ["Arabic separators and a decimal", `٤${"٬١٢٣".repeat(500)}٫٥`],
    ["Devanagari digits and commas", `१${",२३४".repeat(500)}`],
  ];
  for (const language of ["en", "de", "ar"]) {
    for (const [form, number] of groupedForms) {
      it(`a 1,500-digit number grouped with ${form} is bounded and said to be shortened (${language})`, () => {
        const result = spoken(`The number ${number} is long.`, language);
        expect(result.text.length).toBeLessThan(120);
        expect(result.shortened).toHaveLength(1);
        expect(result.shortened[0]).toMatch(/^a 1,50\d-digit number$/);
        if (language === "en") expect(result.text).toMatch(/^The number a one thousand five hundred [a-z]+-digit number is long\.$/);
      });
    }
  }

  it("grouped numbers a reader reads in full are untouched: up to 20 digits, a year and a count", () => {
    expect(spoken("It cost 1 000 000 in 1990 20 times.").shortened).toEqual([]);
    expect(spoken("In 1990, 20 people paid $20,000 for 4.5 tons.").text).toBe("In nineteen ninety, twenty people paid twenty thousand dollars for four point five tons.");
    expect(spoken("Scores: 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120.").shortened).toEqual([]);
    expect(spoken("The years 1990 2000 2010 2020 2030 2040.").shortened).toEqual([]);
  });

  it("a long run of short numbers is read as its first ten and how many more, as a reader would", () => {
    const counting = Array.from({ length: 5000 }, (_, index) => index + 1).join(" ");
    const result = spoken(`Count ${counting} done.`);
    expect(result.text).toBe("Count one two three four five six seven eight nine ten and four thousand nine hundred ninety more numbers done.");
    expect(result.shortened).toEqual(["a list of 5,000 numbers"]);
    expect(spoken(`Ones ${"1 ".repeat(5000)}end.`).text).toBe("Ones one one one one one one one one one one and four thousand nine hundred ninety more numbers end.");
    expect(spoken(`Lotto ${"4, 8, 15, 16, 23, 42, ".repeat(500)}end.`).text.length).toBeLessThan(200);
    expect(spoken(`Tight ${"1,2,".repeat(2500)}end.`).text.length).toBeLessThan(200);
    // Joined by anything short that is no letter, it is still a list: "1:2:3…", "1/2/3…", a ZWJ.
    for (const joint of [" - ", " / ", " | ", " · ", " • ", " – ", " — ", " ; ", " , ", ":", "/", "-", "+", ")(", "\u200d", "\u200c", "%", "😀", "×"]) {
      const list = spoken(`Joined ${Array.from({ length: 3000 }, (_, index) => index).join(joint)} end.`);
      expect(list.text.length, joint).toBeLessThan(250);
      expect(list.shortened, joint).toEqual(["a list of 3,000 numbers"]);
    }
    // Twenty 20-digit numbers are also more than a reader reads out: the first three, then how many more.
    const long = spoken(`Keys ${Array.from({ length: 20 }, () => "12345678901234567890").join(" ")} end.`);
    expect(long.shortened).toEqual(["a list of 20 numbers"]);
    expect(long.text).toMatch(/ and seventeen more numbers end\.$/);
    expect(spoken(`Arabic ${"١ ".repeat(5000)}end.`, "ar").text.length).toBeLessThan(100);
    // In a language without English rules the list is cut to its first ten numbers.
    expect(spoken(`Zahlen ${"1 ".repeat(5000)}Ende.`, "de").text).toBe(`Zahlen ${"1 ".repeat(10)}Ende.`);
  });

  it("fuzz: the spoken text is at most a few hundred characters per written token, whatever the runs", () => {
    const run = fc.oneof(
      fc.string({ unit: fc.constantFrom("0", "1", "9", ".", ","), minLength: 1, maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom("!", "?", "-", "=", "*", "#", "$", "😀", "👨‍👩‍👧", "🇫🇷", "\uFE0F", "…"), minLength: 1, maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom("a", "B", "é", "1", "ß", "\u0301"), minLength: 1, maxLength: 3000 }),
      fc.string({ maxLength: 40 }),
      // One unit repeated: the runs a random mix rarely makes.
      fc.tuple(fc.constantFrom("7", "!", "😀", "a", "=-", "😀 "), fc.integer({ min: 1, max: 5000 })).map(([unit, count]) => unit.repeat(count)),
      // Digits of any script joined by group separators, and lists of short numbers: one token to
      // the split below only when no space is among them, so they count as few tokens.
      fc.string({
        unit: fc.constantFrom("0", "7", "٣", "१", " ", "\u00a0", "\u202f", "\u2009", ",", ".", "'", "_", "\u066c", "\u066b", ", ", "; ", " - ", " / ", ":", "\u200d", "+"),
        minLength: 1,
        maxLength: 3000,
      }),
      fc
        .tuple(fc.constantFrom("000", "١٢٣", "1", "42", "7.5"), fc.constantFrom(" ", ",", "\u066c", "\u00a0", ", ", "'"), fc.integer({ min: 1, max: 3000 }))
        .map(([group, separator, count]) => `1${(separator + group).repeat(count)}`),
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

  it("fuzz: however digits are grouped or listed, at most a few hundred characters are spoken per run", () => {
    const separator = fc.constantFrom(
      " ",
      "\u00a0",
      "\u202f",
      "\u2009",
      ",",
      ".",
      "'",
      "_",
      "\u066c",
      "\u066b",
      ", ",
      "; ",
      "  ",
      " - ",
      " – ",
      " / ",
      " | ",
      "-",
      ":",
      "/",
      ")(",
      "\u200d",
      "%",
      "😀",
    );
    const digits = fc.string({ unit: fc.constantFrom("0", "1", "7", "٣", "١", "१", "๕"), minLength: 1, maxLength: 6 });
    const numberRun = fc.array(fc.tuple(digits, separator), { minLength: 1, maxLength: 2000 }).map((groups) => groups.map(([group, joint]) => group + joint).join(""));
    fc.assert(
      fc.property(fc.array(numberRun, { minLength: 1, maxLength: 3 }), fc.constantFrom("en", "de", "ar"), (runs, language) => {
        const result = spoken(runs.join(" x "), language);
        expect(result.text.length).toBeLessThanOrEqual(500 * runs.length);
      }),
      { numRuns: 150 },
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

describe("grouped digits in a document: what the speech planner gives the engine", () => {
  it("each grouped form and a counting list stays under a limit, each with a warning at its line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lectern-speech-grouped-"));
    const path = join(dir, "digits.md");
    const counting = Array.from({ length: 5000 }, (_, index) => index + 1).join(" ");
    await writeFile(path, `# N\n\nSpaced 1 000 ${"000 ".repeat(500)}.\n\nArabic ${"١٢٣٬".repeat(500)}.\n\nComma 1${",000".repeat(500)}.\n\nCount ${counting}.\n`);
    const { document } = await readDocument(path);
    const problems: SpeechProblem[] = [];
    const script = scriptText(sectionSpeech(document, document.sections[0]!, { report: (problem) => problems.push(problem) }));
    expect(script.length).toBeLessThan(400);
    expect(problems.map((problem) => [problem.line, problem.reason.replace(/^.*: /, "")])).toEqual([
      [3, "a 1,504-digit number"],
      [5, "a 1,500-digit number"],
      [7, "a 1,501-digit number"],
      [9, "a list of 5,000 numbers"],
    ]);
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
