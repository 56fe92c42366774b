// Speech normalisation, one table per category (issue 5): written input → what the reader says.
import { describe, expect, it } from "vitest";
import { cardinalWords, ordinalWords, yearWords } from "../../src/document/speech/english-numbers.js";
import { applyLexicon, parseJsonLexicon, parsePlsLexicon } from "../../src/document/speech/lexicon.js";
import { normalizeForSpeech } from "../../src/document/speech/normalize.js";

const table: Record<string, [string, string][]> = {
  abbreviations: [
    ["Dr. Smith arrived.", "Doctor Smith arrived."],
    ["St. Louis is a city.", "Saint Louis is a city."],
    ["He lives on Main St. today", "He lives on Main Street today"],
    ["Item No. 5 is gone.", "Item number five is gone."],
    ["Bring fruit, e.g. apples.", "Bring fruit, for example apples."],
    ["One thing, i.e. this one.", "One thing, that is this one."],
    ["A threat to the U.S.", "A threat to the U S."],
    ["Mr. and Mrs. Jones", "Mister and Missus Jones"],
  ],
  numbers: [
    ["20,000 people", "twenty thousand people"],
    ["4.5 tons", "four point five tons"],
    ["It was 3 to 1.", "It was three to one."],
    ["several 100 escapees", "several one hundred escapees"],
    ["1,234,567 votes", "one million two hundred thirty-four thousand five hundred sixty-seven votes"],
  ],
  ordinals: [
    ["the 1st and 22nd", "the first and twenty-second"],
    ["his 3rd try, her 11th", "his third try, her eleventh"],
  ],
  years: [
    ["in 1971", "in nineteen seventy-one"],
    ["in the 1990s", "in the nineteen nineties"],
    ["back in the '80s", "back in the eighties"],
    ["by 2005 and 2026", "by two thousand five and twenty twenty-six"],
    ["since 1900", "since nineteen hundred"],
  ],
  money: [
    ["$4.5 million", "four point five million dollars"],
    ["€1.2M", "one point two million euros"],
    ["$3.50 each", "three dollars and fifty cents each"],
    ["£1", "one pound"],
  ],
  percentages: [
    ["rose 12%", "rose twelve percent"],
    ["a 4.5% rate", "a four point five percent rate"],
  ],
  dates: [
    ["Jan. 5, 2026", "January fifth, twenty twenty-six"],
    ["on March 3rd", "on March third"],
  ],
  times: [
    ["at 3:45 p.m.", "at three forty-five P M"],
    ["at 10:05", "at ten oh five"],
    ["by 9 a.m.", "by nine A M"],
  ],
  ranges: [
    ["pages 5–7", "pages five to seven"],
    ["from 1990-1995", "from nineteen ninety to nineteen ninety-five"],
  ],
  units: [
    ["14 km away", "fourteen kilometers away"],
    ["500 m long", "five hundred meters long"],
    ["1 kg", "one kilogram"],
  ],
  initialisms: [
    ["ISIS and the SDF", "Isis and the S D F"],
    ["the FBI and IPT", "the F B I and I P T"],
    ["NATO allies", "Nato allies"],
    ["nothing so VERY remarkable", "nothing so Very remarkable"],
    ["the USSR and the ACLU", "the U S S R and the A C L U"],
    ["HTML and CNN", "H T M L and C N N"],
    ["THE END", "the end"],
    ["when the Rabbit actually TOOK A WATCH OUT OF ITS WAISTCOAT-POCKET, and looked at it", "when the Rabbit actually took a watch out of its waistcoat-pocket, and looked at it"],
    ["WHY THE NUMBER MATTERS", "why the number matters"],
    ["to PLENTY of MYSELF", "to Plenty of Myself"],
    ["labelled EAT ME in currants", "labelled eat me in currants"],
    ["a LITTLE bottle, I'LL see", "a Little bottle, I'LL see"],
    ["the FBI, SDF and ISIS", "the F B I, S D F and Isis"],
    // Accented capitals are capitals: a word, not initials and a stray letter.
    ["the CAFÉ OPENS AT NINE", "the café opens at nine"],
    ["a CAFÉ", "a Café"],
  ],
  punctuation: [
    ["a dash—a pause", "a dash, a pause"],
    ["and then… nothing", "and then, nothing"],
    ["“smart” quotes and ‘single’ ones", "\"smart\" quotes and 'single' ones"],
    ["the ﬁ ligature", "the fi ligature"],
    ["Fish & Chips", "Fish and Chips"],
  ],
  markup: [
    ["see https://example.org/page?x=1 for more", "see link for more"],
    ["write to ada@example.org today", "write to link today"],
    ["CHAPTER IV. The Rabbit Sends in a Little Bill", "chapter four. The Rabbit Sends in a Little Bill"],
    ["CHAPTER XII. ALICE'S EVIDENCE", "chapter twelve. alice's evidence"],
  ],
};

describe("normalizeForSpeech (English)", () => {
  for (const [category, rows] of Object.entries(table)) {
    describe(category, () => {
      it.each(rows)("%j → %j", (input, spoken) => {
        expect(normalizeForSpeech(input, "en-US")).toBe(spoken);
      });
    });
  }

  it.each([
    ["fr", "ÉCOLE NATIONALE", "école nationale"],
    ["fr", "CHAPITRE IV. LA FÊTE À L’ÉCOLE", "chapitre IV. la fête à l'école"],
    ["fr", "L’ÉTÉ ÉTAIT CHAUD", "l'été était chaud"],
    ["de", "GRÜSSE AUS MÜNCHEN", "grüsse aus münchen"],
    ["de", "ÜBER DEN WOLKEN", "über den wolken"],
    ["de", "KAPITEL IV", "kapitel IV"],
  ])("in %s, a shouted run with accented capitals is read as words: %j", (language, input, spoken) => {
    expect(normalizeForSpeech(input, language)).toBe(spoken);
  });

  it("leaves another language's text to that language's rules (typography only)", () => {
    expect(normalizeForSpeech("Il a 20 ans — voilà", "fr")).toBe("Il a 20 ans, voilà");
  });
});

describe("number words", () => {
  it.each([
    [0, "zero"],
    [15, "fifteen"],
    [42, "forty-two"],
    [100, "one hundred"],
    [1001, "one thousand one"],
    [2_000_000, "two million"],
  ])("cardinal %i", (n, words) => expect(cardinalWords(n)).toBe(words));
  it.each([
    [1, "first"],
    [12, "twelfth"],
    [20, "twentieth"],
    [103, "one hundred third"],
  ])("ordinal %i", (n, words) => expect(ordinalWords(n)).toBe(words));
  it.each([
    [1066, "ten sixty-six"],
    [1905, "nineteen oh five"],
    [2010, "twenty ten"],
  ])("year %i", (n, words) => expect(yearWords(n)).toBe(words));
});

describe("pronunciation lexicon", () => {
  it("replaces whole words, ignoring case, longest entry first", () => {
    const lexicon = parseJsonLexicon('{"al-Sharaa": "al Sha-rah", "Hol": "Hole", "al": "ahl"}');
    expect(applyLexicon("President al-Sharaa visited al-Hol and Holland.", lexicon)).toBe("President al Sha-rah visited ahl-Hole and Holland.");
  });
  it("reads PLS aliases", () => {
    const lexicon = parsePlsLexicon(`<?xml version="1.0"?><lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" xml:lang="en-US">
      <lexeme><grapheme>Hol</grapheme><alias>Hole</alias></lexeme>
      <lexeme><grapheme>SDF</grapheme><phoneme>ɛs di ɛf</phoneme></lexeme></lexicon>`);
    expect([...lexicon]).toEqual([["Hol", "Hole"]]);
  });
  it("rejects a lexicon that is not an object of strings, quoting the bad value", () => {
    expect(() => parseJsonLexicon('{"Hol": 3}')).toThrow(/`Hol` to be a string, got `3` \(number\)/);
    expect(() => parseJsonLexicon("[]")).toThrow(/got an array/);
  });
});
