// Numbers in technical text (issue 14, item 3): written → what a careful reader says, table by table.
// The first rows of each table are the cases found on real documents ("Anki 2.1.45+", "Alpine
// 3.10", "RFC 2324", "555-0134", `2<sup>53</sup>`, "St. James St.").
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { normalizeForSpeech } from "../../src/document/speech/normalize.js";
import { sectionSpeech } from "../../src/document/speech/index.js";

const english: Record<string, [string, string][]> = {
  versions: [
    ["Anki 2.1.45+ is required.", "Anki two point one point forty-five or later is required."],
    ["Alpine 3.10 and Python 3.12", "Alpine three point ten and Python three point twelve"],
    ["Ubuntu 20.04 LTS", "Ubuntu twenty point oh four L T S"],
    ["Install v0.40.6 now", "Install version zero point forty point six now"],
    ["since version 3.10", "since version three point ten"],
    ["Node 20+ only", "Node twenty or later only"],
    ["Figure 2.10 shows it.", "Figure two point ten shows it."],
    // From nvm's README: lists and ranges of versions after a name, and placeholders.
    ["Alpine Linux 3.5 - 3.12", "Alpine Linux three point five to three point twelve"],
    ["Alpine 3.13 & 3.14 install", "Alpine three point thirteen and three point fourteen install"],
    ["nodejs version 20.x.y.", "nodejs version twenty point x point y."],
    // Not versions: a decimal after a lower-case word or a sentence's first word stays a decimal.
    ["It weighs 3.10 kg.", "It weighs three point one zero kilograms."],
    ["In 3.14 seconds", "In three point one four seconds"],
  ],
  "IP addresses": [
    ["ping 192.168.0.1 now", "ping one nine two dot one six eight dot zero dot one now"],
    ["at 127.0.0.1:8080.", "at one two seven dot zero dot zero dot one port eight zero eight zero."],
  ],
  telephones: [
    ["Call 555-0134 now.", "Call five five five, zero one three four now."],
    ["call me at 555-1234", "call me at five five five, one two three four"],
    ["(555) 123-4567", "five five five, one two three, four five six seven"],
    ["555-123-4567", "five five five, one two three, four five six seven"],
    ["+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"],
  ],
  standards: [
    ["RFC 2324 says", "R F C twenty-three twenty-four says"],
    ["RFC 791.", "R F C seven ninety-one."],
    ["ISO 8601 dates", "I S O eighty-six oh one dates"],
    ["IEEE 802.11 radios", "I triple E eight oh two dot eleven radios"],
    ["ISO/IEC 27001:2013", "I S O/I E C two seven zero zero one, twenty thirteen"],
    ["CVE-2021-44228 is bad", "C V E twenty twenty-one four four two two eight is bad"],
    ["PEP 8 style", "Pep eight style"],
    ["ECMA-262", "Ecma two sixty-two"],
  ],
  ranges: [
    ["from 1990–1995", "from nineteen ninety to nineteen ninety-five"],
    ["pages 5-7", "pages five to seven"],
    ["500-1000 words", "five hundred to one thousand words"],
    ["2.1-2.5 GHz", "two point one to two point five gigahertz"],
    ["on 2026-02-13.", "on February thirteenth, twenty twenty-six."],
  ],
  powers: [
    ["2⁵³ values", "two to the power of fifty-three values"],
    ["10⁻³ m", "ten to the power of minus three meters"],
    ["a 5 m² room", "a five square meters room"],
    ["x³", "x cubed"],
    ["as noted¹ before", "as noted before"],
    // A superscript after a unit or after variables is a power, after a word a note's mark.
    ["The park covers 50 km² and the flat is 45 m².", "The park covers fifty square kilometers and the flat is forty-five square meters."],
    ["10 cm³ of water, 1 m³ of sand", "ten cubic centimeters of water, one cubic meter of sand"],
    ["Gravity is 9.8 m/s².", "Gravity is nine point eight meters per second squared."],
    ["a density of 2 g/cm³", "a density of two grams per cubic centimeter"],
    ["the price per m² in km²", "the price per square meter in square kilometers"],
    ["The formula is E = mc².", "The formula is E = m c squared."],
    ["a² + b² = c²", "a squared + b squared = c squared"],
    ["at 90 km/h", "at ninety kilometers per hour"],
  ],
  "signs and set phrases": [
    ["The price rose 2× in 2023.", "The price rose two times in twenty twenty-three."],
    ["3 × 4 and 2×3", "three times four and two times three"],
    ["It runs 24/7.", "It runs twenty-four seven."],
    ["from $1.5M to €3,2 Mio.", "from one point five million dollars to three point two million euros."],
  ],
  ordinals: [["1st, 2nd, 3rd, 21st, 112th", "first, second, third, twenty-first, one hundred twelfth"]],
  times: [
    ["at 10:30", "at ten thirty"],
    ["at 3 pm", "at three P M"],
    ["by 10:30 a.m.", "by ten thirty A M"],
  ],
  units: [
    ["5 km", "five kilometers"],
    ["20 MB", "twenty megabytes"],
    ["3.5 GHz", "three point five gigahertz"],
    ["100 ms", "one hundred milliseconds"],
    ["1 px", "one pixel"],
    ["at 5 in the morning", "at five in the morning"],
  ],
  currencies: [
    ["$5", "five dollars"],
    ["€20", "twenty euros"],
    ["£1.5m", "one point five million pounds"],
  ],
  "Roman numerals": [
    ["Chapter IV", "Chapter four"],
    ["Henry VIII", "Henry the Eighth"],
    ["Elizabeth I and Louis XIV", "Elizabeth the First and Louis the Fourteenth"],
    ["World War II", "World War two"],
    ["Rocky IV", "Rocky four"],
    ["I am here", "I am here"],
    ["Malcolm X and the Model X", "Malcolm X and the Model X"],
    ["Washington DC", "Washington D C"],
    ["The IV drip", "The I V drip"],
  ],
  "Saint or Street": [
    ["St. James St.", "Saint James Street."],
    ["St. James St. is busy.", "Saint James Street is busy."],
    ["on Main St. today", "on Main Street today"],
    ["Visit St. Louis.", "Visit Saint Louis."],
    ["the church of St. Mary", "the church of Saint Mary"],
  ],
  signs: [
    ["18+ only", "eighteen plus only"],
    ["the ~4.3GB file", "the about four point three gigabytes file"],
    ["(see #1782)", "(see number seventeen eighty-two)"],
  ],
};

describe("normalizeForSpeech: technical English", () => {
  for (const [category, rows] of Object.entries(english)) {
    describe(category, () => {
      it.each(rows)("%j → %j", (written, spoken) => expect(normalizeForSpeech(written, "en-US")).toBe(spoken));
    });
  }
});

const sectionText = (markdown: string, language = "en") => {
  const document = parseSource(`---\nlang: ${language}\n---\n## S\n\n${markdown}`, "/tmp/numbers.md", "markdown");
  const [, paragraph] = sectionSpeech(document, document.sections[0]!);
  return paragraph!;
};

describe("superscripts in the document", () => {
  it("reads <sup> as a power, and shows it as superscript digits in the captions", () => {
    const paragraph = sectionText("A double holds integers up to 2<sup>53</sup> exactly, and x<sup>2</sup> is a square; the 1<sup>st</sup> try.");
    expect(paragraph.segments[0]!.text).toBe("A double holds integers up to two to the power of fifty-three exactly, and x squared is a square; the first try.");
    expect(paragraph.caption).toEqual(["A double holds integers up to 2⁵³ exactly, and x² is a square; the 1st try."]);
  });

  it.each([
    ["fr", "2 puissance 53"],
    ["de", "2 hoch 53"],
    ["es", "2 elevado a 53"],
  ])("in %s: %j", (language, spoken) => {
    expect(sectionText("Es 2<sup>53</sup>.", language).segments[0]!.text).toContain(spoken);
  });
});

describe("German money, signs and units: the amount first, the digits left to the voice", () => {
  it.each([
    ["Der Preis stieg 2× auf €3,2 Mio. Es kostet 3 Mio. Euro oder 1 Mrd.", "Der Preis stieg 2 mal auf 3,2 Millionen Euro. Es kostet 3 Millionen Euro oder 1 Milliarde."],
    ["Das kostet €20 und 5 Tsd. kommen.", "Das kostet 20 Euro und 5 Tausend kommen."],
    ["Der Park hat 50 km², die Wohnung 45 m². 10 cm³ Wasser.", "Der Park hat 50 Quadratkilometer, die Wohnung 45 Quadratmeter. 10 Kubikzentimeter Wasser."],
    ["Sie beträgt 9,81 m/s², und E = mc².", "Sie beträgt 9,81 Meter pro Sekunde zum Quadrat, und E = m c hoch 2."],
  ])("%j → %j", (written, spoken) => expect(normalizeForSpeech(written, "de-DE")).toBe(spoken));
});

describe("other languages: never English words", () => {
  const englishNumberWords =
    /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|thousand|million|point|dot|plus|later|power|squared|kilomet\w*|gigahertz|megabytes?|euros?|Saint|Street|the)\b/i;
  it.each([
    ["fr", "Il faut Node 20.19 et la version 2.1.45+ ; appelez le 555-0134 ou 192.168.0.1 à 10:30 le 1er mai 2026, à 5 km, 3,5 GHz, 20 €, 2⁵³, RFC 2324, Henri IV, St. Louis."],
    ["de", "Man braucht Node 20.19 und Version 2.1.45+; rufen Sie 555-0134 oder 192.168.0.1 um 10:30 am 1. Mai 2026 an, 5 km, 3,5 GHz, 20 €, 2⁵³, RFC 2324."],
    ["es", "Se necesita Node 20.19 y la versión 2.1.45+; llame al 555-0134 o a 192.168.0.1 a las 10:30 del 1 de mayo de 2026, 5 km, 3,5 GHz, 20 €, 2⁵³, RFC 2324."],
  ])("%s: digits are left to the voice's own rules", (language, text) => {
    const spoken = normalizeForSpeech(text, language);
    expect(spoken).not.toMatch(englishNumberWords);
    expect(spoken).toMatch(/20\.19/);
  });

  it("a French document's speech segments hold no English number words", () => {
    const paragraph = sectionText("La version 2.1.45+ tourne sur Alpine 3.10 à 192.168.0.1, 3,5 GHz et 20 Mo, depuis 2019 (RFC 2324).", "fr-FR");
    expect(paragraph.segments.every((segment) => segment.language === "fr-FR")).toBe(true);
    expect(paragraph.segments.map((segment) => segment.text).join(" ")).not.toMatch(englishNumberWords);
  });
});
