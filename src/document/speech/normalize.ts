// Text normalisation for the ear: turns written conventions (abbreviations, numerals, symbols)
// into the words a careful reader would say, one table of rules per language.
import {
  cardinalWords,
  digitWords,
  longNumberWords,
  maxSpokenDigits,
  numeralWords,
  ordinalWords,
  pluralNumberWords,
  romanValue,
  standardNumberWords,
  romanNumeral,
  versionWords,
  wholeNumberWords,
  yearWords,
} from "./english-numbers.js";
import { spokenAbbreviations } from "../abbreviations.js";

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
  jan: "January",
  feb: "February",
  mar: "March",
  apr: "April",
  may: "May",
  jun: "June",
  jul: "July",
  aug: "August",
  sep: "September",
  sept: "September",
  oct: "October",
  nov: "November",
  dec: "December",
};
const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const monthPattern = String.raw`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\.?`;

const scaleWords: Readonly<Record<string, string>> = {
  k: "thousand",
  thousand: "thousand",
  m: "million",
  mn: "million",
  million: "million",
  b: "billion",
  bn: "billion",
  billion: "billion",
  t: "trillion",
  tn: "trillion",
  trillion: "trillion",
  // German abbreviations, met in English text quoting a German figure (`€3,2 Mio`).
  mio: "million",
  mrd: "billion",
};
const currencies: Readonly<Record<string, readonly [string, string, string, string]>> = {
  // symbol → singular, plural, minor singular, minor plural
  $: ["dollar", "dollars", "cent", "cents"],
  "€": ["euro", "euros", "cent", "cents"],
  "£": ["pound", "pounds", "penny", "pence"],
  "¥": ["yen", "yen", "sen", "sen"],
};

/** Scales after an amount of money (`$1.5M`, `€2 bn`, `€3,2 Mio`). */
const moneyScales = String.raw`thousand|million|billion|trillion|bn|mn|tn|Mio|Mrd|[kKmMbBtT]`;

/** Units read after a number; `[singular, plural]`. */
const units: Readonly<Record<string, readonly [string, string]>> = {
  km: ["kilometer", "kilometers"],
  m: ["meter", "meters"],
  cm: ["centimeter", "centimeters"],
  mm: ["millimeter", "millimeters"],
  mi: ["mile", "miles"],
  ft: ["foot", "feet"],
  in: ["inch", "inches"],
  kg: ["kilogram", "kilograms"],
  g: ["gram", "grams"],
  lb: ["pound", "pounds"],
  lbs: ["pound", "pounds"],
  mph: ["mile per hour", "miles per hour"],
  "km/h": ["kilometer per hour", "kilometers per hour"],
  "°C": ["degree Celsius", "degrees Celsius"],
  "°F": ["degree Fahrenheit", "degrees Fahrenheit"],
  kW: ["kilowatt", "kilowatts"],
  MW: ["megawatt", "megawatts"],
  W: ["watt", "watts"],
  kWh: ["kilowatt-hour", "kilowatt-hours"],
  mAh: ["milliamp-hour", "milliamp-hours"],
  mA: ["milliamp", "milliamps"],
  V: ["volt", "volts"],
  TB: ["terabyte", "terabytes"],
  GB: ["gigabyte", "gigabytes"],
  MB: ["megabyte", "megabytes"],
  KB: ["kilobyte", "kilobytes"],
  kB: ["kilobyte", "kilobytes"],
  TiB: ["tebibyte", "tebibytes"],
  GiB: ["gibibyte", "gibibytes"],
  MiB: ["mebibyte", "mebibytes"],
  KiB: ["kibibyte", "kibibytes"],
  Gbps: ["gigabit per second", "gigabits per second"],
  Mbps: ["megabit per second", "megabits per second"],
  kbps: ["kilobit per second", "kilobits per second"],
  GHz: ["gigahertz", "gigahertz"],
  MHz: ["megahertz", "megahertz"],
  kHz: ["kilohertz", "kilohertz"],
  Hz: ["hertz", "hertz"],
  ms: ["millisecond", "milliseconds"],
  µs: ["microsecond", "microseconds"],
  ns: ["nanosecond", "nanoseconds"],
  min: ["minute", "minutes"],
  px: ["pixel", "pixels"],
  ha: ["hectare", "hectares"],
  L: ["liter", "liters"],
  ml: ["milliliter", "milliliters"],
};

/** Units a measure is divided by (`m/s²`, `g/cm³`): their singular names. */
const perUnits: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(units).map(([symbol, [one]]) => [symbol, one])),
  s: "second",
  h: "hour",
};

/** Units of time: a measure per second squared is an acceleration, per cubic meter a density. */
const timeUnits = new Set(["s", "h", "min", "ms", "µs", "ns"]);

/** Alternatives longest first, so `mm` is not read as `m` followed by a stray letter. */
const alternation = (symbols: readonly string[]): string =>
  [...symbols]
    .sort((a, b) => b.length - a.length)
    .map(escapeForPattern)
    .join("|");

/**
 * A unit with a square or cube (`50 km²`, `10 cm³`, `9.8 m/s²`, `per m²`): "square", "cubic"
 * before the unit, "squared", "cubed" after a unit it is divided by. A superscript after a unit
 * is its power, never a note's mark.
 */
const unitPowerPattern = new RegExp(
  `(?:(${numeral})\\s?|(?<![\\p{L}\\p{N}]))(${alternation(Object.keys(units))})([²³])?(?:\\/(${alternation(Object.keys(perUnits))})([²³])?)?(?![\\p{L}\\p{N}])`,
  "gu",
);

/** Units only read as such when written against the number (`5in`): "at 5 in the morning" is no length. */
const attachedOnlyUnits = new Set(["in", "V", "W", "L"]);

/** Names that take a regnal number: "Henry VIII" is Henry the Eighth. */
const regnalNames = new Set([
  "Henry",
  "Elizabeth",
  "Charles",
  "George",
  "William",
  "Edward",
  "James",
  "Louis",
  "Richard",
  "John",
  "Mary",
  "Anne",
  "Victoria",
  "Peter",
  "Catherine",
  "Nicholas",
  "Alexander",
  "Frederick",
  "Philip",
  "Felipe",
  "Pius",
  "Leo",
  "Benedict",
  "Gregory",
  "Innocent",
  "Clement",
  "Paul",
  "Francis",
  "Ferdinand",
  "Isabella",
  "Napoleon",
  "Ivan",
  "Constantine",
  "Otto",
  "Wilhelm",
  "Gustav",
  "Carl",
  "Christian",
  "Haakon",
  "Olaf",
  "Harald",
  "Rudolf",
  "Maximilian",
  "Leopold",
  "Joseph",
  "Franz",
  "Boniface",
  "Urban",
  "Sixtus",
  "Alfonso",
  "Pedro",
  "Manuel",
  "Umberto",
  "Henri",
  "Friedrich",
  "Karl",
  "Ludwig",
  "Stephen",
  "David",
  "Robert",
  "Edmund",
  "Harold",
  "Ramesses",
  "Ptolemy",
  "Mehmed",
  "Selim",
  "Suleiman",
  "Murad",
  "Rama",
]);

/**
 * Capitalised words that begin sentences or name nothing: a number after them is no version
 * ("In 3.14 seconds") and a Roman numeral after them is a word ("The IV drip").
 */
const functionWords = new Set([
  "A",
  "An",
  "The",
  "In",
  "On",
  "At",
  "By",
  "Of",
  "For",
  "From",
  "To",
  "With",
  "About",
  "Around",
  "Over",
  "Under",
  "Up",
  "Only",
  "Just",
  "Nearly",
  "Almost",
  "Roughly",
  "Some",
  "All",
  "Each",
  "Every",
  "It",
  "This",
  "That",
  "These",
  "Those",
  "Is",
  "Was",
  "Are",
  "Were",
  "And",
  "But",
  "Or",
  "So",
  "If",
  "When",
  "Then",
  "Now",
  "After",
  "Before",
  "Since",
  "Until",
  "Between",
  "Than",
  "Less",
  "More",
  "Add",
  "Take",
  "Give",
  "Pay",
  "Use",
  "Buy",
  "Sell",
  "Costs",
  "Total",
  "Average",
  "Page",
  "Pages",
  "Step",
  "Steps",
  "Line",
  "Lines",
  "I",
  "We",
  "You",
  "He",
  "She",
  "They",
  "My",
  "Our",
  "Your",
  "His",
  "Her",
]);

const superscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
/** `⁵³` → `53`, `⁻³` → `-3`. */
export function fromSuperscript(text: string): string {
  return Array.from(text, (character) => (character === "⁻" ? "-" : character === "⁺" ? "+" : String(superscriptDigits.indexOf(character)))).join("");
}
/** `53` → `⁵³`: what a `<sup>` number becomes in the text (captions show it so, the rules read it as a power). */
export function toSuperscript(text: string): string {
  return Array.from(text, (character) => (character === "-" || character === "−" ? "⁻" : character === "+" ? "⁺" : (superscriptDigits[Number(character)] ?? character))).join("");
}

/**
 * A power: a superscript number after a digit, a closing bracket, a lone letter (`2⁵³`,
 * `(x+1)²`, `m²`) or a few letters right after an operator, a product of variables read letter
 * by letter (`E = mc²` → "m c squared"); after a word it is a note's mark. `word` says "to the
 * power of" in the language.
 */
function powerRule(replace: (base: string, exponent: string) => string): NormalizationRule {
  return {
    name: "power",
    pattern: /(\d|\)|(?<![\p{L}\p{N}])\p{L}|(?<=[=+−±×·*/(]\s?)\p{L}{2,3})([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)/gu,
    replace: (_match, base, exponent) => replace([...base!].join(" "), fromSuperscript(exponent!)),
  };
}

const standardDesignators = String.raw`RFC|ISO(?:\/IEC)?|IEC|IEEE|ANSI|DIN|ECMA|PEP|CVE|CWE|ITU-T`;

/** `192.168.0.1`: four parts of at most 255. */
const isAddress = (parts: readonly string[]): boolean => parts.every((part) => Number(part) <= 255);

/** The words around a local `555-1234` that make it a telephone number rather than a range. */
const telephoneContext = /\b(?:call|phone|telephone|tel|fax|dial|text|ring|contact|number|hotline|mobile|cell)\b[^.\d]{0,20}$/i;

/** Abbreviations with a fixed reading (src/document/abbreviations.ts); matched case-sensitively as whole words. */
const abbreviations = spokenAbbreviations("en");

/**
 * All-capital words said as words, not letter by letter. Anything else in capitals of two to
 * four letters is an initialism and is spelled (`SDF` → `S D F`).
 */
const acronyms = new Set([
  "ISIS",
  "ISIL",
  "NATO",
  "NASA",
  "UNESCO",
  "UNICEF",
  "OPEC",
  "AIDS",
  "COVID",
  "LASER",
  "RADAR",
  "SCUBA",
  "UNHCR",
  "FEMA",
  "OSHA",
  "NAFTA",
  "ASEAN",
  "INTERPOL",
  "WASP",
  "GIF",
  "JPEG",
  "PIN",
  "SIM",
  "SWAT",
  "CAPTCHA",
  "PEP",
  "DIN",
]);
const initialismOverrides: Readonly<Record<string, string>> = { UNHCR: "U N H C R", IEEE: "I triple E" };
/** Pronounceable-looking capitals that are nevertheless spelled. */
const spelledInitialisms = new Set(["ACLU", "IAEA", "AARP", "OECD", "USAID", "EU", "UAE"]);
/** Short English words set in capitals for emphasis (`THE END`): never initialisms. */
const capitalizedWords = new Set([
  "THE",
  "AND",
  "END",
  "FOR",
  "BUT",
  "NOT",
  "YOU",
  "ARE",
  "WAS",
  "HIS",
  "HER",
  "SHE",
  "ALL",
  "ONE",
  "TWO",
  "OUT",
  "OFF",
  "NOW",
  "YES",
  "WHO",
  "WHY",
  "HOW",
  "NO",
  "SO",
  "DO",
  "GO",
  "WE",
  "ME",
  "MY",
  "OH",
  "IT",
  "IS",
  "OF",
  "IN",
  "TO",
  "AT",
  "IF",
  "HE",
  "HIM",
  "HAD",
  "CAN",
  "EAT",
  "OLD",
  "RED",
  "BEE",
  "SIT",
  "YET",
  "FIT",
  "BEG",
  "AN",
  "AS",
  "BE",
  "BY",
  "OR",
  "UP",
  "US",
  "AM",
  "DID",
  "GET",
  "GOT",
  "HAS",
  "LET",
  "MAY",
  "NEW",
  "OUR",
  "SAY",
  "SEE",
  "TOO",
  "WAY",
  "ITS",
  "BIG",
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
    // "Main St." is a street: after a capitalised name that does not begin the sentence. "St.
    // Louis" is a saint: before a capitalised name. "St. James St.": both. At the end of a
    // sentence the abbreviation's full stop is also the sentence's: kept.
    pattern: /\bSt\.(?=(\s+[A-Z])?)/g,
    replace: (_match, capital, offset, whole) => {
      const before = (whole as unknown as string).slice(0, offset as unknown as number);
      const rest = (whole as unknown as string).slice((offset as unknown as number) + 3);
      const name = /(\S+\s+)?\d*\s*\p{Lu}[\p{L}'’-]*\s+$/u.exec(before);
      // The word before the name ends no sentence ("St. James St.": "St." ends none either).
      const afterName = name?.[1] !== undefined && (!/[.!?]["')\]]*\s+$/.test(name[1]) || /^(?:St|Mt|Dr|Mr|Mrs|Ms)\.\s+$/.test(name[1]));
      if (!afterName && capital) return "Saint";
      return /^\s*$|^\s+[A-Z"“]/.test(rest) ? "Street." : "Street";
    },
  },
  {
    name: "number-sign",
    pattern: /\bNo\.\s?(?=\d)/g,
    replace: () => "number ",
  },
  // Before anything reads their digits as amounts or years.
  {
    name: "standard",
    // "RFC 2324" is "RFC twenty-three twenty-four", as the IETF says it; "IEEE 802.11"
    // "eight oh two dot eleven"; "ISO/IEC 27001:2013" "two seven zero zero one, twenty thirteen".
    pattern: new RegExp(`\\b(${standardDesignators})([\\s-]?)(\\d+(?:[.:-]\\d+)*)\\b(?![.:-]\\d)`, "g"),
    replace: (_match, designator, _space, number) =>
      `${designator} ${number!
        .split(/([.:-])/)
        .map((part, index) => (index % 2 === 1 ? (part === "." ? " dot " : part === ":" ? ", " : " ") : standardNumberWords(part)))
        .join("")}`,
  },
  {
    name: "iso-date",
    // 2026-02-13, the date a machine writes: February thirteenth, twenty twenty-six.
    pattern: /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g,
    replace: (match, year, month, day) => {
      const monthName = monthNames[Number(month) - 1];
      if (!monthName || Number(day) < 1 || Number(day) > 31) return match;
      return `${monthName} ${ordinalWords(Number(day))}, ${yearWords(Number(year))}`;
    },
  },
  {
    name: "ip-address",
    // Digits read one by one, parts joined by "dot", as network engineers read them; a port after it too.
    pattern: /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::(\d{1,5}))?(?!\w|\.\d)/g,
    replace: (match, a, b, c, d, port) => {
      if (!isAddress([a!, b!, c!, d!])) return match;
      return `${[a, b, c, d].map((part) => digitWords(part!)).join(" dot ")}${port ? ` port ${digitWords(port)}` : ""}`;
    },
  },
  {
    name: "version-marked",
    // "v2.1.0", "version 3.10", "release 2": a version whatever its shape; "v" is said "version".
    pattern: /(?<![\w.])(?:(v)|(version|Version|release|Release|ver\.)\s+)(\d+(?:\.(?:\d+|[xyz]))*)(\+?)(?!\w|\.\d)/g,
    replace: (_match, v, word, version, plus) => `${v ? "version" : word === "ver." ? "version" : word} ${versionWords(version!)}${plus ? " or later" : ""}`,
  },
  {
    name: "version-dotted",
    // Two dots or more make a version ("Anki 2.1.45+"): "two point one point forty-five or later".
    pattern: /(?<![\w.])(\d+(?:\.\d+){2,})(\+?)(?!\w|\.\d)/g,
    replace: (_match, version, plus) => `${versionWords(version!)}${plus ? " or later" : ""}`,
  },
  {
    name: "version-after-name",
    // After a name ("Alpine 3.10", "Python 3.12", "Node 20+", "Figure 2.10") a number with one
    // dot is a version or a numbered part: "three point ten", not "three point one zero".
    // The versions listed after it are versions too: "Alpine 3.5 - 3.12", "Alpine 3.13 & 3.14".
    pattern: /(?<![\p{L}\p{N}])(\p{Lu}[\p{L}\p{N}.+#-]*[\p{L}\p{N}+#])(\s+)(\d+(?:\.\d{1,3})?\+?(?:\s*(?:[–—-]|&|,|and|or|to)\s*\d+(?:\.\d{1,3})?\+?)*)(?!\w|\.\d)/gu,
    replace: (match, name, space, versions) => {
      if (functionWords.has(name!) || !/\.|\+/.test(versions!.split(/\s*(?:[–—-]|&|,|and|or|to)\s*/)[0]!)) return match;
      const spoken = versions!
        .split(/(\s*(?:[–—-]|&|,|and|or|to)\s*)/)
        .map((part, index) => {
          if (index % 2 === 1) return /[–—-]/.test(part) ? " to " : part.includes("&") ? " and " : part;
          return `${versionWords(part.replace(/\+$/, ""))}${part.endsWith("+") ? " or later" : ""}`;
        })
        .join("");
      return `${name}${space}${spoken}`;
    },
  },
  {
    name: "approximately",
    // "~4.3GB": a tilde before a number is "about".
    pattern: /(?<![\w/~])~\s?(?=\d)/g,
    replace: () => "about ",
  },
  {
    name: "number-hash",
    // "#1782", an issue or item number.
    pattern: /(?<![\w&#])#(?=\d)/g,
    replace: () => "number ",
  },
  {
    name: "telephone",
    // Digit by digit in their groups, a pause between: "five five five, zero one three four".
    // "(555) 123-4567", "555-123-4567", "+44 20 7946 0958"; a bare "555-1234" when its second
    // group starts with 0 (no range does) or the words before it speak of calling.
    pattern: /(?<![\w+(])(?:(\+\d{1,3}(?:[\s.-]\(?\d{1,4}\)?){2,4})|((?:\+1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4})|(\d{3}-\d{4}))(?![\w]|[-.]\d)/g,
    replace: (match, international, national, local, offset, whole) => {
      if (local !== undefined) {
        const before = (whole as unknown as string).slice(0, offset as unknown as number);
        if (!local.split("-")[1]!.startsWith("0") && !telephoneContext.test(before)) return match;
      }
      const groups = (international ?? national ?? local!).match(/\+?\d+/g)!;
      return groups.map((group) => (group.startsWith("+") ? `plus ${digitWords(group)}` : digitWords(group))).join(", ");
    },
  },
  {
    name: "unit-power",
    pattern: unitPowerPattern,
    replace: (match, amount, unit, power, per, perPower, offset, whole) => {
      if (power === undefined && perPower === undefined) return match;
      const before = (whole as unknown as string).slice(0, offset as unknown as number);
      // Without a number, "per m²" is one square meter, "in km²" is square kilometers.
      const one = amount === undefined ? /(?:\bper|\ba|\ban|\beach|\/)\s*$/i.test(before) : Number(amount.replace(/,/g, "")) === 1;
      const name = units[unit!]![one ? 0 : 1];
      const words = [amount === undefined ? "" : numeralWords(amount), power === "²" ? "square" : power === "³" ? "cubic" : "", name];
      const perPowerWord = perPower === undefined ? "" : timeUnits.has(per!) ? (perPower === "²" ? "squared" : "cubed") : perPower === "²" ? "square" : "cubic";
      if (per !== undefined) words.push("per", ...(timeUnits.has(per) ? [perUnits[per]!, perPowerWord] : [perPowerWord, perUnits[per]!]));
      return words.filter(Boolean).join(" ");
    },
  },
  powerRule((base, exponent) => `${base} ${exponent === "2" ? "squared" : exponent === "3" ? "cubed" : `to the power of ${exponent.replace(/^-/, "minus ")}`}`),
  {
    name: "reference-mark",
    // A superscript number after a word is a note's mark ("text¹"), not read, as a reader would not.
    pattern: /(?<=\p{L})[⁰¹²³⁴⁵⁶⁷⁸⁹]+/gu,
    replace: () => "",
  },
  {
    name: "money",
    // Before a scale, a comma with one or two digits after it is a decimal comma (`€3,2 Mio`).
    pattern: new RegExp(`([$€£¥])\\s?(?:(\\d+,\\d{1,2})\\s?(${moneyScales})\\b|(${numeral})(?:\\s?(${moneyScales})\\b)?)`, "g"),
    replace: (_match, symbol, decimalComma, commaScale, amount, scale) =>
      decimalComma === undefined ? moneyWords(symbol!, amount!, scale) : moneyWords(symbol!, decimalComma.replace(",", "."), commaScale),
  },
  {
    name: "times",
    // `2×`, `3 × 4`: a multiplication sign after a number is "times" (spaces are made single later).
    pattern: /(?<=\d)\s?×/g,
    replace: () => " times ",
  },
  {
    name: "around-the-clock",
    // `24/7` is said "twenty-four seven", not as a fraction or a date.
    pattern: /(?<![\d/.,])24\/7(?![\d/]|[.,]\d)/g,
    replace: () => "twenty-four seven",
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
    pattern: new RegExp(`(${numeral})\\s?(${alternation(Object.keys(units))})(?![\\w])`, "g"),
    replace: (match, amount, unit) => {
      if (attachedOnlyUnits.has(unit!) && /\s/.test(match)) return match;
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
    name: "regnal-numeral",
    // "Henry VIII" is Henry the Eighth; after another name a numeral of two letters or more is a
    // number ("World War II", "Rocky IV", "Type II"); a lone "I" only after a monarch's name
    // ("Elizabeth I") or "War", never "I am". IVXL only: "DC", "MIX" and "CD" are no numerals here.
    pattern: /(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+)\s+([IVXL]+)(?![\p{L}\p{N}'’])/gu,
    replace: (match, name, roman) => {
      const value = romanValue(roman!);
      if (value === undefined || functionWords.has(name!) || roman !== romanNumeral(value)) return match;
      if (regnalNames.has(name!)) return `${name} the ${ordinalWords(value).replace(/^\w/, (first) => first.toUpperCase())}`;
      if (roman!.length >= 2 ? roman !== "XL" : name === "War") return `${name} ${cardinalWords(value)}`;
      return match;
    },
  },
  {
    name: "year",
    // A comma after the year is punctuation ("in 1990, …"; an em dash becomes one), not a thousands separator.
    pattern: /(?<![\d,.$€£¥])\b(\d{4})\b(?!\d|,\d|\.\d)/g,
    replace: (match, digits) => (isYear(Number(digits)) ? yearWords(Number(digits)) : numeralWords(match)),
  },
  {
    name: "plus",
    // "18+", "100+ stars": a plus after a number (versions were read "or later" above).
    pattern: /(\d)\+(?=[\s,;:.)!?]|$)/g,
    replace: (_match, digit) => `${digit} plus`,
  },
  {
    name: "number",
    pattern: new RegExp(`(?<![\\w.])[-−]?(?:${numeral})(?![\\w])`, "g"),
    replace: (match) => numeralWords(match),
  },
  {
    name: "initialism",
    // Not inside a contraction: the `LL` of `I'LL` is no initialism.
    // Whole words of capitals in any script: `CAFÉ` is a word, not `C A F` and a stray `É`.
    pattern: /(?<![\p{L}\p{M}\p{N}_'’])(\p{Lu}{2,6})(s?)(?![\p{L}\p{M}\p{N}_'’])/gu,
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

/**
 * French, German and Spanish: only what no engine can read (a superscript power); the digits are
 * left to the voice's own number rules, which speak them in the language, never in English.
 */
const frenchRules: readonly NormalizationRule[] = [powerRule((base, exponent) => `${base} puissance ${exponent}`)];
const germanScales: Readonly<Record<string, readonly [string, string]>> = { Tsd: ["Tausend", "Tausend"], Mio: ["Million", "Millionen"], Mrd: ["Milliarde", "Milliarden"] };
const germanCurrencies: Readonly<Record<string, string>> = { "€": "Euro", $: "Dollar", "£": "Pfund" };
/** An abbreviation's full stop is taken with it only mid-sentence (`3 Mio. Euro`, `3 Mio. kostet`). */
const germanScale = String.raw`(Tsd|Mio|Mrd)\b(?:\.(?=\s+(?:\p{Ll}|Euro|Dollar|Pfund|[€$£])))?`;
const germanLengths: Readonly<Record<string, string>> = { km: "Kilometer", dm: "Dezimeter", cm: "Zentimeter", mm: "Millimeter", m: "Meter" };
const germanTimes: Readonly<Record<string, string>> = { s: "Sekunde", h: "Stunde", min: "Minute" };
const germanRules: readonly NormalizationRule[] = [
  {
    name: "unit-power",
    // `50 km²` → "50 Quadratkilometer", `10 cm³` → "10 Kubikzentimeter", `9,8 m/s²` → "9,8 Meter pro
    // Sekunde zum Quadrat": the voice spells `km²` as letters and a number.
    pattern: /(?<![\p{L}\p{N}])(km|dm|cm|mm|m)([²³])?(?:\/(s|h|min)([²³]))?(?![\p{L}\p{N}])/gu,
    replace: (match, length, power, time, timePower) => {
      if (power === undefined && timePower === undefined) return match;
      const name = `${power === "²" ? "Quadrat" : power === "³" ? "Kubik" : ""}${power === undefined ? germanLengths[length!] : germanLengths[length!]!.toLowerCase()}`;
      return time === undefined ? name : `${name} pro ${germanTimes[time]} ${timePower === "²" ? "zum Quadrat" : "hoch 3"}`;
    },
  },
  powerRule((base, exponent) => `${base} hoch ${exponent}`),
  {
    name: "money",
    // `€3,2 Mio` → "3,2 Millionen Euro": the amount first, as it is said; the digits left to the voice.
    pattern: new RegExp(String.raw`([€$£])\s?(\d+(?:[.,]\d+)*)(?:\s?${germanScale})?`, "gu"),
    replace: (_match, symbol, amount, scale) => {
      const scaleWord = scale === undefined ? "" : `${germanScales[scale]![amount === "1" ? 0 : 1]} `;
      return `${amount} ${scaleWord}${germanCurrencies[symbol!]}`;
    },
  },
  {
    name: "scale",
    pattern: new RegExp(String.raw`(?<=(\d+(?:[.,]\d+)*)\s?)${germanScale}`, "gu"),
    replace: (_match, amount, scale) => germanScales[scale!]![amount === "1" ? 0 : 1]!,
  },
  { name: "times", pattern: /(?<=\d)\s?×/g, replace: () => " mal " },
];
const spanishRules: readonly NormalizationRule[] = [powerRule((base, exponent) => `${base} elevado a ${exponent}`)];

/** Per-language rule tables; a language without one gets the typography rules only. */
export const rulesByLanguage: Readonly<Record<string, readonly NormalizationRule[]>> = {
  en: englishRules,
  fr: frenchRules,
  de: germanRules,
  es: spanishRules,
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
// Any script's capitals (`ÉCOLE NATIONALE`, `GRÜSSE AUS MÜNCHEN`), with combining accents.
const capitalRun = /(?<![\p{L}\p{M}'’])\p{Lu}[\p{Lu}\p{M}'’-]*(?:[ \t,;:!?-]+\p{Lu}[\p{Lu}\p{M}'’-]*)+(?![\p{L}\p{M}])/gu;

/** A run of capitals is emphasis, not initialisms, when it is long or holds an ordinary word. */
function isShoutedRun(run: string): boolean {
  const tokens = run.split(/[ \t,;:!?-]+/).filter(Boolean);
  if (tokens.length >= 3) return true;
  return tokens.some((token) => capitalizedWords.has(token.replace(/['’].*$/, "")) || looksPronounceable(token));
}

/** A division's name before its Roman numeral, in the languages with rules (`CHAPITRE IV`, `KAPITEL IV`). */
const divisionBefore =
  /(?:CHAPTER|PART|BOOK|VOLUME|ACT|SCENE|SECTION|CHAPITRE|LIVRE|TOME|PARTIE|ACTE|SCÈNE|KAPITEL|TEIL|BUCH|BAND|AKT|SZENE|CAPÍTULO|LIBRO|PARTE|ACTO|ESCENA)\s+$/u;

/** Lower-cases a shouted run, keeping `I` and a Roman numeral after a division name (`CHAPTER IV`). */
function lowerCaseRun(run: string): string {
  return run.replace(/\p{Lu}[\p{Lu}\p{M}'’]*/gu, (token, offset: number) => {
    if (token === "I") return token;
    const before = run.slice(0, offset);
    if (/^[IVXLCDM]+$/.test(token) && divisionBefore.test(before)) return token;
    return token.toLowerCase();
  });
}

/** Four letters or more, a vowel, and no three consonants at either end: read as a word (`VERY`, `LITTLE`), not spelled (`USSR`, `HTML`). */
function looksPronounceable(letters: string): boolean {
  // Accents are taken off first, so `ÉCOLE` has the vowels of `ECOLE`; Æ, Œ, Ø are vowels too.
  const base = letters.normalize("NFD").replace(/\p{M}/gu, "");
  return [...base].length >= 4 && /[AEIOUÆŒØ]/u.test(base) && !/^[^AEIOUYÆŒØ]{3}|[^AEIOUYÆŒØ]{3}$/u.test(base) && !spelledInitialisms.has(letters);
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
  return groups[0]!.length <= 3 && groups.at(-1)!.length === 3 && middle.every((group) => group.length === middle[0]!.length && (group.length === 2 || group.length === 3));
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
  const kept = parts
    .slice(0, 2 * keptCount - 1)
    .map(bounded)
    .join("");
  return english ? `${kept} and ${cardinalWords(count - keptCount)} more number${count - keptCount === 1 ? "" : "s"} ` : kept;
}

/**
 * Rewrites `text` for the ear in `language` (BCP 47). Pure: same input, same output.
 * `shortened` hears, once per shortening, what was too long to read out (see `boundRuns`).
 */
export function normalizeForSpeech(text: string, language: string, shortened: (what: string) => void = () => undefined): string {
  const rules = rulesByLanguage[primaryLanguage(language)] ?? [];
  const typed = boundRuns(applyRules(text, typographyRules), rules === englishRules, shortened);
  return applyRules(calmShouting(typed), rules)
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/,(\s*,)+/g, ",")
    .trim();
}
