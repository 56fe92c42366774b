// Text normalisation for the ear: turns written conventions (abbreviations, numerals, symbols)
// into the words a careful reader would say, one table of rules per language.
import { cardinalWords, longNumberWords, maxSpokenDigits, numeralWords, ordinalWords, pluralNumberWords, romanValue, wholeNumberWords, yearWords } from "./english-numbers.js";

/** One rewrite: every match of `pattern` (global) is replaced by `replace`. */
export interface NormalizationRule {
  /** What the rule is for, e.g. `money`, `year`; named in tests. */
  readonly name: string;
  readonly pattern: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

/** A numeral, optionally with thousands separators and decimals: `20,000`, `4.5`. */
const numeral = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;

const months: Readonly<Record<string, string>> = {
  jan: "January", feb: "February", mar: "March", apr: "April", may: "May", jun: "June", jul: "July",
  aug: "August", sep: "September", sept: "September", oct: "October", nov: "November", dec: "December",
};
const monthPattern = String.raw`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\.?`;

const scaleWords: Readonly<Record<string, string>> = {
  k: "thousand", thousand: "thousand", m: "million", mn: "million", million: "million",
  b: "billion", bn: "billion", billion: "billion", t: "trillion", tn: "trillion", trillion: "trillion",
};
const currencies: Readonly<Record<string, readonly [string, string, string, string]>> = {
  // symbol → singular, plural, minor singular, minor plural
  $: ["dollar", "dollars", "cent", "cents"],
  "€": ["euro", "euros", "cent", "cents"],
  "£": ["pound", "pounds", "penny", "pence"],
  "¥": ["yen", "yen", "sen", "sen"],
};

/** Units read after a number; `[singular, plural]`. */
const units: Readonly<Record<string, readonly [string, string]>> = {
  km: ["kilometer", "kilometers"], m: ["meter", "meters"], cm: ["centimeter", "centimeters"],
  mm: ["millimeter", "millimeters"], mi: ["mile", "miles"], ft: ["foot", "feet"], "in": ["inch", "inches"],
  kg: ["kilogram", "kilograms"], g: ["gram", "grams"], lb: ["pound", "pounds"], lbs: ["pound", "pounds"],
  mph: ["mile per hour", "miles per hour"], "km/h": ["kilometer per hour", "kilometers per hour"],
  "°C": ["degree Celsius", "degrees Celsius"], "°F": ["degree Fahrenheit", "degrees Fahrenheit"],
  kW: ["kilowatt", "kilowatts"], MW: ["megawatt", "megawatts"], GB: ["gigabyte", "gigabytes"], MB: ["megabyte", "megabytes"],
  ha: ["hectare", "hectares"], L: ["liter", "liters"], ml: ["milliliter", "milliliters"],
};

/** Abbreviations with a fixed reading; matched case-sensitively as whole words. */
const abbreviations: readonly [string, string][] = [
  ["e.g.", "for example"], ["i.e.", "that is"], ["etc.", "et cetera"], ["vs.", "versus"], ["approx.", "approximately"],
  ["Mr.", "Mister"], ["Mrs.", "Missus"], ["Ms.", "Miz"], ["Dr.", "Doctor"], ["Prof.", "Professor"],
  ["Gen.", "General"], ["Col.", "Colonel"], ["Lt.", "Lieutenant"], ["Sgt.", "Sergeant"], ["Capt.", "Captain"],
  ["Gov.", "Governor"], ["Sen.", "Senator"], ["Rep.", "Representative"], ["Jr.", "Junior"], ["Sr.", "Senior"],
  ["Mt.", "Mount"], ["Ave.", "Avenue"], ["Inc.", "Incorporated"], ["Ltd.", "Limited"], ["Corp.", "Corporation"],
  ["Dept.", "Department"], ["Fig.", "Figure"], ["Vol.", "Volume"], ["Ch.", "Chapter"], ["pp.", "pages"], ["p.", "page"],
  ["U.S.A.", "U S A"], ["U.S.", "U S"], ["U.K.", "U K"], ["U.N.", "U N"], ["E.U.", "E U"], ["D.C.", "D C"],
];

/**
 * All-capital words said as words, not letter by letter. Anything else in capitals of two to
 * four letters is an initialism and is spelled (`SDF` → `S D F`).
 */
const acronyms = new Set([
  "ISIS", "ISIL", "NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "AIDS", "COVID", "LASER", "RADAR", "SCUBA",
  "UNHCR", "FEMA", "OSHA", "NAFTA", "ASEAN", "INTERPOL", "WASP", "GIF", "JPEG", "PIN", "SIM", "SWAT", "CAPTCHA",
]);
const initialismOverrides: Readonly<Record<string, string>> = { UNHCR: "U N H C R" };
/** Pronounceable-looking capitals that are nevertheless spelled. */
const spelledInitialisms = new Set(["ACLU", "IAEA", "AARP", "OECD", "USAID", "EU", "UAE"]);
/** Short English words set in capitals for emphasis (`THE END`): never initialisms. */
const capitalizedWords = new Set([
  "THE", "AND", "END", "FOR", "BUT", "NOT", "YOU", "ARE", "WAS", "HIS", "HER", "SHE", "ALL", "ONE", "TWO", "OUT", "OFF",
  "NOW", "YES", "WHO", "WHY", "HOW", "NO", "SO", "DO", "GO", "WE", "ME", "MY", "OH", "IT", "IS", "OF", "IN", "TO", "AT",
  "IF", "HE", "HIM", "HAD", "CAN", "EAT", "OLD", "RED", "BEE", "SIT", "YET", "FIT", "BEG", "AN", "AS", "BE", "BY", "OR",
  "UP", "US", "AM", "DID", "GET", "GOT", "HAS", "LET", "MAY", "NEW", "OUR", "SAY", "SEE", "TOO", "WAY", "ITS", "BIG",
]);

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function moneyWords(symbol: string, amount: string, scale: string | undefined): string {
  const [one, many, minorOne, minorMany] = currencies[symbol] ?? ["", "", "", ""];
  const scaleWord = scale ? scaleWords[scale.toLowerCase()] : undefined;
  if (scaleWord) return `${numeralWords(amount)} ${scaleWord} ${many}`;
  const [whole = "0", cents] = amount.replace(/,/g, "").split(".");
  const wholeNumber = Number(whole);
  let words = `${wholeNumberWords(whole)} ${wholeNumber === 1 ? one : many}`;
  if (cents !== undefined && cents.length === 2 && Number(cents) > 0) {
    words += ` and ${cardinalWords(Number(cents))} ${Number(cents) === 1 ? minorOne : minorMany}`;
  }
  return words;
}

function timeWords(hours: string, minutes: string, meridiem: string | undefined): string {
  const minute = Number(minutes);
  let words = cardinalWords(Number(hours));
  if (minute === 0) words += meridiem ? "" : " o'clock";
  else if (minute < 10) words += ` oh ${cardinalWords(minute)}`;
  else words += ` ${cardinalWords(minute)}`;
  if (meridiem) words += meridiem.toLowerCase().startsWith("a") ? " A M" : " P M";
  return words;
}

const isYear = (n: number): boolean => n >= 1100 && n <= 2099;

/**
 * English rules, in the order they apply: earlier rules see the written form, later ones the
 * partly spoken text (so the number rule never sees a year or an amount of money).
 */
export const englishRules: readonly NormalizationRule[] = [
  {
    name: "url",
    pattern: /\b(?:https?:\/\/|www\.)[^\s<>()]+[^\s<>().,;:!?'"]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gi,
    replace: () => "link",
  },
  {
    name: "abbreviation",
    pattern: new RegExp(`(?<![\\w.])(?:${abbreviations.map(([short]) => escapeForPattern(short)).join("|")})(?=[\\s,;:)]|$)`, "g"),
    // At the end of a sentence the abbreviation's full stop is also the sentence's: keep one.
    replace: (match, offset, whole) => {
      const spoken = abbreviations.find(([short]) => short === match)?.[1] ?? match;
      const rest = (whole as unknown as string).slice((offset as unknown as number) + match.length);
      return /^\s*$|^\s+[A-Z"“]/.test(rest) && match.endsWith(".") && !/^(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Mt|St)\.$/.test(match) ? `${spoken}.` : spoken;
    },
  },
  {
    name: "saint-or-street",
    // "St. Louis" is a saint's name; "Main St." is a street.
    pattern: /\bSt\.(\s+)([A-Z])?/g,
    replace: (_match, space, capital) => (capital ? `Saint${space}${capital}` : `Street${space}`),
  },
  {
    name: "number-sign",
    pattern: /\bNo\.\s?(?=\d)/g,
    replace: () => "number ",
  },
  {
    name: "money",
    pattern: new RegExp(`([$€£¥])\\s?(${numeral})(?:\\s?(thousand|million|billion|trillion|bn|mn|tn|[kKmMbBtT])\\b)?`, "g"),
    replace: (_match, symbol, amount, scale) => moneyWords(symbol!, amount!, scale),
  },
  {
    name: "percentage",
    pattern: new RegExp(`(${numeral})\\s?(?:%|percent\\b|per cent\\b)`, "g"),
    replace: (_match, amount) => `${numeralWords(amount!)} percent`,
  },
  {
    name: "date",
    // "Jan. 5, 2026", "January 5th", "5 January 2026".
    pattern: new RegExp(`\\b${monthPattern}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, "g"),
    replace: (_match, month, day, year) => {
      const name = months[month!.toLowerCase().slice(0, month!.toLowerCase().startsWith("sept") ? 4 : 3)] ?? month!;
      return `${name} ${ordinalWords(Number(day))}${year ? `, ${yearWords(Number(year))}` : ""}`;
    },
  },
  {
    name: "time",
    pattern: /\b(\d{1,2}):(\d{2})(?:\s?([AaPp])\.?[Mm]\.?(?=[\s,;:)]|$))?/g,
    replace: (_match, hours, minutes, meridiem) => timeWords(hours!, minutes!, meridiem),
  },
  {
    name: "hour-meridiem",
    pattern: /\b(\d{1,2})\s?([AaPp])\.?[Mm]\.?(?=[\s,;:)]|$)/g,
    replace: (_match, hours, meridiem) => `${cardinalWords(Number(hours))} ${meridiem!.toLowerCase() === "a" ? "A M" : "P M"}`,
  },
  {
    name: "decade",
    // "the 1990s", "1990's", "'80s".
    pattern: /(?:\b(\d{2})(\d0)'?s\b|['’](\d0)s\b)/g,
    replace: (_match, century, decade, short) => {
      const decadeWords = pluralNumberWords(cardinalWords(Number(decade ?? short)));
      if (short !== undefined) return decadeWords;
      if (decade === "00") return `${cardinalWords(Number(century))} hundreds`;
      return `${cardinalWords(Number(century))} ${decadeWords}`;
    },
  },
  {
    name: "range",
    // "10–20", "1990-1995", "pages 5–7": a dash between numbers is read "to".
    pattern: /\b(\d[\d,.]*)\s?[–—-]\s?(\d[\d,.]*)\b/g,
    replace: (_match, from, to) => `${from} to ${to}`,
  },
  {
    name: "unit",
    pattern: new RegExp(`(${numeral})\\s?(${Object.keys(units).map(escapeForPattern).join("|")})(?![\\w])`, "g"),
    replace: (_match, amount, unit) => {
      const [one, many] = units[unit!]!;
      return `${numeralWords(amount!)} ${Number(amount!.replace(/,/g, "")) === 1 ? one : many}`;
    },
  },
  {
    name: "ordinal",
    pattern: /\b(\d+)(?:st|nd|rd|th)\b/g,
    // Past the safe integers, the number as `numeralWords` reads it (never "Infinityth").
    replace: (match, n) => (Number.isSafeInteger(Number(n)) ? ordinalWords(Number(n)) : `${numeralWords(n!)}${match.slice(n!.length)}`),
  },
  {
    name: "chapter-numeral",
    // "Chapter IV", "Part II": Roman numerals after a division name are numbers, not letters.
    pattern: /\b(Chapter|Part|Book|Volume|Act|Scene|Section|CHAPTER|PART|BOOK|VOLUME|ACT|SCENE|SECTION|chapter|part|book|volume|act|scene|section)\s+([IVXLCDM]+)\b/g,
    replace: (match, division, roman) => {
      const value = romanValue(roman!);
      return value === undefined ? match : `${division![0]}${division!.slice(1).toLowerCase()} ${cardinalWords(value)}`;
    },
  },
  {
    name: "year",
    // A comma after the year is punctuation ("in 1990, …"; an em dash becomes one), not a thousands separator.
    pattern: /(?<![\d,.$€£¥])\b(\d{4})\b(?!\d|,\d|\.\d)/g,
    replace: (match, digits) => (isYear(Number(digits)) ? yearWords(Number(digits)) : numeralWords(match)),
  },
  {
    name: "number",
    pattern: new RegExp(`(?<![\\w.])[-−]?(?:${numeral})(?![\\w])`, "g"),
    replace: (match) => numeralWords(match),
  },
  {
    name: "initialism",
    // Not inside a contraction: the `LL` of `I'LL` is no initialism.
    pattern: /(?<!['’])\b([A-Z]{2,6})(s?)\b(?!['’])/g,
    replace: (_match, letters, plural) => {
      if (acronyms.has(letters!) || capitalizedWords.has(letters!)) return `${letters![0]}${letters!.slice(1).toLowerCase()}${plural}`;
      if (initialismOverrides[letters!]) return initialismOverrides[letters!]! + plural;
      // An emphasised word (`VERY`) reads as a word; short or unpronounceable ones are spelled (`FBI`, `USSR`, `HTML`).
      if (looksPronounceable(letters!)) return `${letters![0]}${letters!.slice(1).toLowerCase()}${plural}`;
      return letters!.split("").join(" ") + (plural ? "'s" : "");
    },
  },
  {
    name: "ampersand",
    pattern: /\s&\s/g,
    replace: () => " and ",
  },
];

/** Rules every language shares: typography for the ear, applied before the language's own. */
export const typographyRules: readonly NormalizationRule[] = [
  // Controls and separators are spaces to the ear; invisible format characters (bidi controls,
  // soft hyphens, BOMs, zero-width spaces) are nothing — but ZWJ and ZWNJ, which spell emoji and
  // Persian, Kurdish and Indic words, stay. An engine must never see a raw control.
  { name: "control", pattern: /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/gu, replace: () => " " },
  { name: "format-character", pattern: /(?![\u200C\u200D])\p{Cf}/gu, replace: () => "" },
  { name: "ligature", pattern: /[\uFB00-\uFB06]/g, replace: (match) => match.normalize("NFKC") },
  { name: "smart-quote", pattern: /[‘’‚‛]/g, replace: () => "'" },
  { name: "smart-double-quote", pattern: /[“”„‟«»]/g, replace: () => '"' },
  // An em dash or a spaced en dash is a pause in speech, like a comma.
  { name: "dash-pause", pattern: /\s*—\s*|\s+–\s+|\s--\s/g, replace: () => ", " },
  { name: "ellipsis", pattern: /\s*(?:…|\.\.\.)\s*/g, replace: () => ", " },
  // Angle brackets around words are typography, not "less than" (`<A Field Guide>`).
  { name: "angle-brackets", pattern: /<([^<>\s](?:[^<>]*[^<>\s])?)>/g, replace: (_match, inner) => inner! },
  { name: "whitespace", pattern: /\s+/g, replace: () => " " },
];

/** Per-language rule tables; a language without one gets the typography rules only. */
export const rulesByLanguage: Readonly<Record<string, readonly NormalizationRule[]>> = {
  en: englishRules,
};

/** The primary subtag of a BCP 47 tag, lower-cased: `en-US` → `en`. */
export function primaryLanguage(tag: string): string {
  return tag.split(/[-_]/)[0]!.toLowerCase();
}

/** Applies `rules` in order. */
export function applyRules(text: string, rules: readonly NormalizationRule[]): string {
  let result = text;
  for (const rule of rules) {
    result = result.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return result;
}

/**
 * Runs of capital words (a shouted heading, Alice's `EAT ME`) are lower-cased first, so their
 * words are read as words and not spelled as initialisms.
 */
function calmShouting(text: string): string {
  return text.replace(capitalRun, (run) => (isShoutedRun(run) ? lowerCaseRun(run) : run));
}

/** Two or more capital words in a row (`TOOK A WATCH OUT OF ITS WAISTCOAT-POCKET`, `EAT ME`). */
const capitalRun = /(?<![\p{L}'’])[A-Z][A-Z'’-]*(?:[ \t,;:!?-]+[A-Z][A-Z'’-]*)+(?![\p{L}])/gu;

/** A run of capitals is emphasis, not initialisms, when it is long or holds an ordinary word. */
function isShoutedRun(run: string): boolean {
  const tokens = run.split(/[ \t,;:!?-]+/).filter(Boolean);
  if (tokens.length >= 3) return true;
  return tokens.some((token) => capitalizedWords.has(token.replace(/['’].*$/, "")) || looksPronounceable(token));
}

/** Lower-cases a shouted run, keeping `I` and a Roman numeral after a division name (`CHAPTER IV`). */
function lowerCaseRun(run: string): string {
  return run.replace(/[A-Z][A-Z'’]*/g, (token, offset: number) => {
    if (token === "I") return token;
    const before = run.slice(0, offset);
    if (/^[IVXLCDM]+$/.test(token) && /(?:CHAPTER|PART|BOOK|VOLUME|ACT|SCENE|SECTION)\s+$/.test(before)) return token;
    return token.toLowerCase();
  });
}

/** Four letters or more, a vowel, and no three consonants at either end: read as a word (`VERY`, `LITTLE`), not spelled (`USSR`, `HTML`). */
function looksPronounceable(letters: string): boolean {
  return letters.length >= 4 && /[AEIOU]/.test(letters) && !/^[^AEIOUY]{3}|[^AEIOUY]{3}$/.test(letters) && !spelledInitialisms.has(letters);
}

// ---------------------------------------------------------------------------------------------
// Bounds: what is spoken stays proportional to what a person would read aloud.

/** Longest "word" (letters, marks, digits without a space) read as it is; German compounds run to about 80. */
export const maxSpokenWordLength = 100;
/** Longest run of punctuation and symbols (`=-=-=-…`, a row of different emoji) kept: longer is decoration. */
const maxSymbolRun = 10;
/** A symbol, punctuation mark or emoji (with its modifiers, ZWJ sequences and flags) as one unit. */
const symbolUnit = String.raw`(?:\p{Extended_Pictographic}(?:\uFE0F|\p{EMod})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{EMod})?)*|\p{RI}{2}|[\p{P}\p{S}]\uFE0F?)`;
/** The same unit four times or more in a row, spaces allowed between: `!!!!!!`, `😀 😀 😀 😀`. */
const repeatedSymbol = new RegExp(`(${symbolUnit})(?:\\s*\\1){3,}`, "gu");
const symbolRun = new RegExp(`(?:${symbolUnit}\\s*){${maxSymbolRun + 1},}`, "gu");
/**
 * A number as written in any script: decimal digits (`\p{Nd}`: ASCII, Arabic-Indic, Devanagari…)
 * joined by one group or decimal separator each (space, no-break, narrow no-break and thin
 * space, `,` `.` `'` `_`, the Arabic thousands separator U+066C and decimal separator U+066B) —
 * or a list of numbers, joined by anything short that is no letter: `4, 8, 15`, `1 - 2 - 3`,
 * `1:2:3`, `1/2/3`, `(1)(2)`, a ZWJ. Which one a run is, is decided by its shape
 * (`isOneNumber`); either is bounded by its digits.
 */
const groupSeparator = /^[\x20\u00A0\u202F\u2009,.'_\u066C\u066B]$/u;
/** Within a list, a joint that is not one group separator other than a space (`1,000 2,000`: the space) divides numbers. */
const numberDivider = /^(?![,.'_\u066C\u066B]$)/u;
const numberRun = /\p{Nd}+(?:[^\p{L}\p{M}\p{Nd}]{1,3}\p{Nd}+)*/gu;
/** The decimals of a numeral (`3.14159…`), too many to read: the first ten are, then how many more. */
const longFraction = new RegExp(`(?<=\\p{Nd}[.\\u066B])(\\p{Nd}{10})(\\p{Nd}{${maxSpokenDigits - 9},})`, "gu");
/** More numbers than this in a row is a list no reader reads out: the first `listedNumbers` are, then how many more. */
const maxListedNumbers = 20;
const listedNumbers = 10;
/** More digits than this in one list is shortened too (twenty 20-digit numbers); the part kept holds at most `listedDigits`. */
const maxListedDigits = 100;
const listedDigits = 60;
const longWord = new RegExp(`[\\p{L}\\p{M}\\p{N}]{${maxSpokenWordLength + 1},}`, "gu");

const countFormat = new Intl.NumberFormat("en");
const characterCount = (text: string): number => Array.from(text).length;

/**
 * Shortens what no careful reader would read out in full, and says what through `shortened`:
 * a number of more than 20 digits however grouped ("a 5,000-digit number"), a list of more than
 * 20 numbers (the first ten, "and 4,990 more numbers"), a "word" of more than 100 letters ("a
 * 100,000-letter word"), a symbol or emoji repeated (said once), a long run of mixed symbols
 * (left out, a pause instead). In languages without a rule table the run is cut to its start
 * instead: the phrase would be English in another language's voice.
 */
function boundRuns(text: string, english: boolean, shortened: (what: string) => void): string {
  return text
    .replace(longFraction, (_match, first: string, rest: string) => {
      shortened(`a number with ${countFormat.format(first.length + rest.length)} decimals`);
      return english ? `${first} and ${cardinalWords(rest.length)} more digits` : first;
    })
    .replace(numberRun, (run) => boundNumberRun(run, english, shortened))
    .replace(longWord, (word) => {
      const length = characterCount(word);
      shortened(`a ${countFormat.format(length)}-character word`);
      return english ? ` a ${cardinalWords(length)}-character word ` : Array.from(word).slice(0, maxSpokenWordLength).join("");
    })
    .replace(repeatedSymbol, (run, unit: string) => {
      shortened(`“${unit}” repeated`);
      return unit;
    })
    .replace(symbolRun, (run) => {
      shortened(`a run of ${countFormat.format(characterCount(run.replace(/\s+/g, "")))} symbols`);
      return ", ";
    });
}

const digitCount = (text: string): number => text.match(/\p{Nd}/gu)?.length ?? 0;

/** `text` split at `separator` (a capturing pattern): items at even indexes, separators at odd ones. */
const splitKeeping = (text: string, separator: RegExp): string[] => text.split(separator);

/**
 * One number, not a list: plain digits, or thousands groups (`1 000 000`, `1,000,000`, `١٢٣٬٤٥٦`,
 * Indian `1,00,00,000`) with one separator throughout, optionally then a decimal separator of
 * another kind and the decimals (`1.000.000,5`).
 */
function isOneNumber(run: string): boolean {
  const parts = splitKeeping(run, /(\P{Nd}+)/u);
  let groups = parts.filter((_, index) => index % 2 === 0);
  let separators = parts.filter((_, index) => index % 2 === 1);
  const last = separators.at(-1);
  if (last !== undefined && /^[.,\u066B]$/u.test(last) && separators.slice(0, -1).every((separator) => separator !== last)) {
    groups = groups.slice(0, -1);
    separators = separators.slice(0, -1);
  }
  if (separators.length === 0) return true;
  if (!separators.every((separator) => separator === separators[0]) || !groupSeparator.test(separators[0]!)) return false;
  const middle = groups.slice(1, -1);
  return (
    groups[0]!.length <= 3 &&
    groups.at(-1)!.length === 3 &&
    middle.every((group) => group.length === middle[0]!.length && (group.length === 2 || group.length === 3))
  );
}

/** The start of a number as written, whole groups (or the first digits) up to `maxSpokenDigits`. */
function numberStart(run: string): string {
  const parts = splitKeeping(run, /(\P{Nd}+)/u);
  if (parts[0]!.length >= maxSpokenDigits) return parts[0]!.slice(0, maxSpokenDigits);
  let kept = parts[0]!;
  let digits = kept.length;
  for (let index = 2; index < parts.length && digits + parts[index]!.length <= maxSpokenDigits; index += 2) {
    kept += parts[index - 1]! + parts[index]!;
    digits += parts[index]!.length;
  }
  return kept;
}

/**
 * A run of numerals (see `numberRun`) bounded by its digits. One number of more than 20 digits
 * is "a 1,504-digit number" however it is grouped; a list is its numbers, each bounded, and past
 * 20 numbers (or 100 digits) only its first ten (at most 60 digits) and how many more, as a reader would ("1 2 3 … 5000": "one two
 * … ten and four thousand nine hundred ninety more numbers"). In a language without rules the
 * run is cut to its start.
 */
function boundNumberRun(run: string, english: boolean, shortened: (what: string) => void): string {
  const digits = digitCount(run);
  if (digits <= maxSpokenDigits) return run;
  if (isOneNumber(run)) {
    shortened(`a ${countFormat.format(digits)}-digit number`);
    return english ? ` ${longNumberWords(digits)} ` : numberStart(run);
  }
  // A list: its numbers are what lies between dividers (spaces, `, `, `:`…) or, with none in the
  // run (`1,2,3`), between any separators. Numbers at even indexes, what joins them at odd ones.
  const pieces = splitKeeping(run, /(\P{Nd}+)/u);
  const divided = pieces.some((piece, index) => index % 2 === 1 && numberDivider.test(piece));
  const parts: string[] = [pieces[0]!];
  for (let index = 1; index < pieces.length; index += 2) {
    if (!divided || numberDivider.test(pieces[index]!)) parts.push(pieces[index]!, pieces[index + 1]!);
    else parts[parts.length - 1] += pieces[index]! + pieces[index + 1]!;
  }
  const count = (parts.length + 1) / 2;
  const bounded = (part: string, index: number) => (index % 2 === 1 ? part : boundNumberRun(part, english, shortened));
  if (count <= maxListedNumbers && digits <= maxListedDigits) return parts.map(bounded).join("");
  shortened(`a list of ${countFormat.format(count)} numbers`);
  // The first ten numbers, fewer when they are long, always at least one.
  let keptCount = 1;
  let keptDigits = digitCount(parts[0]!);
  while (keptCount < listedNumbers && keptDigits + digitCount(parts[2 * keptCount]!) <= listedDigits) keptDigits += digitCount(parts[2 * keptCount++]!);
  const kept = parts.slice(0, 2 * keptCount - 1).map(bounded).join("");
  return english ? `${kept} and ${cardinalWords(count - keptCount)} more number${count - keptCount === 1 ? "" : "s"} ` : kept;
}

/**
 * Rewrites `text` for the ear in `language` (BCP 47). Pure: same input, same output.
 * `shortened` hears, once per shortening, what was too long to read out (see `boundRuns`).
 */
export function normalizeForSpeech(text: string, language: string, shortened: (what: string) => void = () => undefined): string {
  const rules = rulesByLanguage[primaryLanguage(language)] ?? [];
  const typed = boundRuns(applyRules(text, typographyRules), rules === englishRules, shortened);
  return applyRules(calmShouting(typed), rules).replace(/\s+/g, " ").replace(/\s+([,.;:!?])/g, "$1").replace(/,(\s*,)+/g, ",").trim();
}
