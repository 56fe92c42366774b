// English number words: cardinals, ordinals, years and decimals, as a careful reader says them.

const ones = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const scales: readonly [number, string][] = [
  [1e12, "trillion"],
  [1e9, "billion"],
  [1e6, "million"],
  [1e3, "thousand"],
];

/** 0–99 as words: `forty-two`. */
function belowHundred(n: number): string {
  if (n < 20) return ones[n]!;
  const unit = n % 10;
  return unit === 0 ? tens[Math.floor(n / 10)]! : `${tens[Math.floor(n / 10)]}-${ones[unit]}`;
}

/** 0–999 as words: `three hundred and five` is British; American readers drop the "and". */
function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return belowHundred(rest);
  return rest === 0 ? `${ones[hundreds]} hundred` : `${ones[hundreds]} hundred ${belowHundred(rest)}`;
}

/** A non-negative safe integer as words: `20000` → `twenty thousand`. */
export function cardinalWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return String(n);
  if (n < 1000) return belowThousand(n);
  const parts: string[] = [];
  let rest = n;
  for (const [size, name] of scales) {
    if (rest >= size) {
      parts.push(`${cardinalWords(Math.floor(rest / size))} ${name}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(belowThousand(rest));
  return parts.join(" ");
}

const irregularOrdinals: Readonly<Record<string, string>> = {
  one: "first",
  two: "second",
  three: "third",
  five: "fifth",
  eight: "eighth",
  nine: "ninth",
  twelve: "twelfth",
};

/** `22` → `twenty-second`. */
export function ordinalWords(n: number): string {
  const words = cardinalWords(n);
  const match = /([a-z]+)$/.exec(words);
  if (!match) return words;
  const last = match[1]!;
  let ordinal: string;
  if (irregularOrdinals[last]) ordinal = irregularOrdinals[last]!;
  else if (last.endsWith("y")) ordinal = `${last.slice(0, -1)}ieth`;
  else ordinal = `${last}th`;
  return words.slice(0, words.length - last.length) + ordinal;
}

/** A year as people say it: 1971 → `nineteen seventy-one`, 2005 → `two thousand five`, 1900 → `nineteen hundred`. */
export function yearWords(year: number): string {
  if (year < 1000 || year > 9999) return cardinalWords(year);
  const century = Math.floor(year / 100);
  const rest = year % 100;
  if (year >= 2000 && year < 2010) return cardinalWords(year);
  if (rest === 0) return `${belowHundred(century)} hundred`;
  if (rest < 10) return `${belowHundred(century)} oh ${ones[rest]}`;
  return `${belowHundred(century)} ${belowHundred(rest)}`;
}

/** The plural of a number word for decades: `ninety` → `nineties`, `eighty` → `eighties`. */
export function pluralNumberWords(words: string): string {
  if (words.endsWith("y")) return `${words.slice(0, -1)}ies`;
  if (words.endsWith("x")) return `${words}es`;
  return `${words}s`;
}

/**
 * Longest run of digits read one by one (a card or an account number is read so); a longer
 * whole number is said as "a 5,000-digit number", a longer fraction as its first digits and how
 * many more: the listener hears about as much as a reader would read, not 25 minutes of digits.
 */
export const maxSpokenDigits = 20;
/** Decimals read before the rest of a long fraction is counted instead. */
const spokenDecimals = 10;

function digitByDigit(digits: string): string {
  return digits
    .split("")
    .map((d) => ones[Number(d)])
    .join(" ");
}

/** A run of digits too long to read: `a five thousand-digit number`. */
export function longNumberWords(digitCount: number): string {
  return `a ${cardinalWords(digitCount)}-digit number`;
}

/** A decimal numeral (commas allowed) as words: `4.5` → `four point five`, `20,000` → `twenty thousand`. */
export function numeralWords(numeral: string): string {
  const negative = numeral.startsWith("-") || numeral.startsWith("−");
  const digits = numeral.replace(/^[-−]/, "").replace(/,/g, "");
  const [whole = "0", fraction] = digits.split(".");
  if (whole.length > maxSpokenDigits) return longNumberWords(whole.length);
  const wholeNumber = Number(whole === "" ? "0" : whole);
  let words = Number.isSafeInteger(wholeNumber) ? cardinalWords(wholeNumber) : digitByDigit(whole);
  if (fraction !== undefined && fraction !== "") {
    words +=
      fraction.length > maxSpokenDigits
        ? ` point ${digitByDigit(fraction.slice(0, spokenDecimals))}, and ${cardinalWords(fraction.length - spokenDecimals)} more digits`
        : ` point ${digitByDigit(fraction)}`;
  }
  return negative ? `minus ${words}` : words;
}

/** A whole number as words whatever its length: cardinal when exact, else as `numeralWords` reads it. */
export function wholeNumberWords(digits: string): string {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? cardinalWords(value) : numeralWords(digits);
}

const romanValues: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** A Roman numeral's value, or undefined when `text` is not one (`IV` → 4). */
export function romanValue(text: string): number | undefined {
  if (!/^[IVXLCDM]+$/.test(text)) return undefined;
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const value = romanValues[text[i]!]!;
    const next = romanValues[text[i + 1] ?? ""] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 && total < 4000 ? total : undefined;
}

/** Digits one by one, as a phone number or an IP address is read: `0134` → `zero one three four`. */
export function digitWords(digits: string): string {
  return digitByDigit(digits.replace(/\D/g, ""));
}

/**
 * One part of a version number: `45` → `forty-five`, `10` → `ten` (Python 3.10 is "three point
 * ten", not "three point one zero"), `04` → `oh four` (Ubuntu 20.04).
 */
export function versionPartWords(part: string): string {
  if (part.length > 1 && part.startsWith("0"))
    return part
      .split("")
      .map((digit) => (digit === "0" ? "oh" : ones[Number(digit)]))
      .join(" ");
  return wholeNumberWords(part);
}

/** A version as people say it: `2.1.45` → `two point one point forty-five`. */
export function versionWords(version: string): string {
  return version
    .split(".")
    .map((part) => (/^[xyz]$/.test(part) ? part : versionPartWords(part)))
    .join(" point ");
}

/**
 * The number of a standard, as engineers say it: up to two digits whole, three or four in pairs
 * like a year (RFC 2324 → "twenty-three twenty-four", ISO 8601 → "eighty-six oh one", IEEE 802 →
 * "eight oh two"), five or more digit by digit (CVE-2021-44228's "four four two two eight").
 */
export function standardNumberWords(digits: string): string {
  if (digits.length <= 2) return cardinalWords(Number(digits));
  if (digits.length === 3) {
    const rest = Number(digits.slice(1));
    if (rest === 0) return `${ones[Number(digits[0])]} hundred`;
    return `${ones[Number(digits[0])]} ${rest < 10 ? `oh ${ones[rest]}` : belowHundred(rest)}`;
  }
  if (digits.length === 4 && !digits.startsWith("0")) {
    const high = Number(digits.slice(0, 2));
    const low = Number(digits.slice(2));
    if (low === 0) return high % 10 === 0 ? cardinalWords(Number(digits)) : `${belowHundred(high)} hundred`;
    return `${belowHundred(high)} ${low < 10 ? `oh ${ones[low]}` : belowHundred(low)}`;
  }
  return digitByDigit(digits);
}

/** A number's Roman numeral in its canonical form (4 → `IV`): `IIII` or `VX` are no numerals. */
export function romanNumeral(value: number): string {
  const table: readonly [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let rest = value;
  let numeral = "";
  for (const [size, letters] of table) {
    while (rest >= size) {
      numeral += letters;
      rest -= size;
    }
  }
  return numeral;
}
