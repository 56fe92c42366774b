// The document's language when nothing declares it: read from the prose a listener would hear.
//
// The language decides the EPUB's and PDF's `lang`, the speech voice, the number reading and the
// paper size, so a French page tagged `en` is wrong everywhere at once. When neither the command
// line, the front matter, a metadata file nor a Gutenberg `Language:` header gives one, the
// sections' prose is sampled and handed to franc (trigram profiles of the UDHR in each language).
//
// `franc` (187 languages, ~380 KB installed with its two dependencies) rather than `franc-min`
// (82 languages, ~240 KB): franc-min has no Catalan, Danish, Norwegian, Finnish, Slovak or
// Estonian, so a Danish book would be called Swedish or German; 140 KB is cheap for that.
// `iso-639-3` gives the ISO 639-3 → 639-1 table (only its 4 KB `iso6393-to-1.js` is loaded).
import type { Nodes, RootContent } from "mdast";
import { francAll } from "franc";
import { iso6393To1 } from "iso-639-3/iso6393-to-1.js";
import type { Message } from "../messages.js";
import { isBadgeLink } from "./badges.js";
import type { Section } from "./model.js";

/** The document's language, and how it was found when nothing declared it. */
export interface LanguageDecision {
  readonly language: string;
  /**
   * `detected` from the prose, `default` (`en`, with a warning) when the prose could not tell;
   * absent when the language was declared (the layer that declared it is its source).
   */
  readonly source?: "detected" | "default";
}

/** The language used when the prose cannot tell (and the one the outputs assumed before detection). */
export const defaultLanguage = "en";

/**
 * At most this many characters of prose are sampled, in `sampleWindows` windows spread over the
 * document: franc reads at most 2,048 characters per call (its MAX_LENGTH), and windows from
 * the start to the end keep one part (an epigraph, an English licence) from deciding alone.
 * Measured: an 18 MB book costs 70–150 ms (its parse takes 20 s; the sample's bound is
 * tested in tests/document/language.test.ts).
 */
export const sampleWindows = 10;
export const windowCharacters = 2048;

/**
 * Fewer letters than this and the language is not guessed. Measured with franc on the real
 * paragraphs of tests/document/language-texts.ts cut to their first 8, 15, 25 and 40 words:
 * under 100 letters it named the wrong language in 5 of 34 cuts (Quijote's first 8 words as
 * French, Max Havelaar's as Afrikaans, Andersen's first 15 as Dutch, the Swedish constitution's
 * first 8 and 15 as Norwegian); from 100 letters (about 20 words) it was right in every cut.
 */
export const minimumLetters = 100;

/**
 * The best candidate must be ahead of the second by at least this share of its lead over the
 * tenth (`relativeMargin`). Measured on the same texts, from 100 letters: the right language
 * led by 0.048–0.85 (closest: Andersen's Danish over Norwegian Bokmål at 40 words, 0.048;
 * whole Danish and Bokmål paragraphs over each other 0.105–0.131, Portuguese ones over the
 * next (Spanish) 0.31–0.40); it was barely ahead in one cut (Swedish over Bokmål on the Swedish
 * constitution's first 20 words, 0.017), and half Danish, half Bokmål gave 0.020. 0.03 keeps
 * every clear answer and refuses those two.
 */
export const minimumMargin = 0.03;

/**
 * The languages franc may answer, as ISO 639-3: every language espeak-ng (the bundled voice)
 * can read that franc has a profile for, plus the world's major languages. Without the list
 * franc's 187 profiles include regional neighbours that come close or win: on the test texts
 * Scots (`sco`) was second to English at 0.98, Low German (`nds`) second to German, Sardinian
 * (`src`) second to French and Portuguese, Tiv and Fulfulde above Spanish on 8 words.
 * franc answers scripts with one language (Greek, Thai, Korean…) from the script, when it is
 * the script franc is given: see `inMainScript` for text that mixes scripts.
 */
export const candidateLanguages: readonly string[] = [
  // Read by espeak-ng (its voices, December 2026) and modelled by franc. Galician (`glg`) and
  // Nynorsk (`nno`) are left out: neither has a voice, and on Iberian or Scandinavian text
  // they won where the text was Portuguese, Spanish or Danish (a Spanish–Portuguese mix came
  // out Galician; Andersen's first 20 words of Danish came out Nynorsk).
  "afr",
  "amh",
  "arb",
  "azj",
  "bel",
  "ben",
  "bos",
  "bul",
  "cat",
  "ces",
  "ckb",
  "cmn",
  "dan",
  "deu",
  "ekk",
  "ell",
  "eng",
  "epo",
  "fin",
  "fra",
  "guj",
  "hat",
  "heb",
  "hin",
  "hrv",
  "hun",
  "hye",
  "ind",
  "ita",
  "jpn",
  "kan",
  "kat",
  "kaz",
  "kir",
  "kor",
  "lit",
  "lvs",
  "mal",
  "mar",
  "mkd",
  "mya",
  "nld",
  "nob",
  "npi",
  "pan",
  "pbu",
  "pes",
  "pol",
  "por",
  "quy",
  "ron",
  "rus",
  "sin",
  "slk",
  "slv",
  "als",
  "spa",
  "srp",
  "swe",
  "swh",
  "tam",
  "tat",
  "tel",
  "tha",
  "tir",
  "tuk",
  "tur",
  "uig",
  "ukr",
  "urd",
  "uzn",
  "vie",
  "zlm",
  "tsn",
  // Major languages espeak-ng does not voice (the PDF and EPUB still want the right tag).
  "jav",
  "sun",
  "hau",
  "yor",
  "ibo",
  "tgl",
  "ceb",
  "zul",
  "xho",
  "som",
  "kin",
  "run",
  "nya",
  "lin",
  "mad",
  "plt",
  "bho",
  "mai",
  "mag",
  "skr",
  "khk",
  "tgk",
  "khm",
  "lao",
];

/**
 * ISO 639-3 individual languages franc names whose macrolanguage has the 639-1 code BCP 47
 * prefers (RFC 5646 §4.1: use the shortest tag; `cmn` is written `zh`, Standard Arabic `ar`).
 */
const macrolanguageTags: Readonly<Record<string, string>> = {
  arb: "ar",
  azj: "az",
  cmn: "zh",
  ekk: "et",
  khk: "mn",
  lvs: "lv",
  npi: "ne",
  pbu: "ps",
  pes: "fa",
  plt: "mg",
  quy: "qu",
  als: "sq",
  swh: "sw",
  uzn: "uz",
  zlm: "ms",
  ydd: "yi",
};

/** ISO 639-3 → BCP 47: the 639-1 code where there is one (`fra` → `fr`), else the 639-3 code itself. */
export function bcp47FromIso6393(code: string): string {
  return macrolanguageTags[code] ?? iso6393To1[code] ?? code;
}

/** The language's English name (`fr` → `French`), for messages. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The declared language as it is, else `detectLanguage`: the one call the reader makes. */
export function decideLanguage(declared: string | undefined, sections: readonly Section[], file: string, messages: Message[]): LanguageDecision {
  return declared !== undefined ? { language: declared } : detectLanguage(sections, file, messages);
}

/**
 * The document's language when nothing declared one: detected from its sections' prose, or
 * `en` when there is too little prose or two languages are too close to call. Pushes one
 * message either way, so the user learns the language was guessed and how to set it:
 * `language-detected` (info) or `language-undetected` (warning).
 */
export function detectLanguage(sections: readonly Section[], file: string, messages: Message[]): LanguageDecision {
  const guess = guessLanguage(proseSample(sections));
  if (guess.kind === "detected") {
    messages.push({
      severity: "info",
      rule: "language-detected",
      reason: `no lang given; the text reads as ${languageName(guess.language)} (${guess.language}), use --lang to set it`,
      source: "read",
      file,
    });
    return { language: guess.language, source: "detected" };
  }
  const why =
    guess.kind === "too-little" ? "too little text to tell the language" : `the text could be ${guess.candidates.map((tag) => `${languageName(tag)} (${tag})`).join(" or ")}`;
  messages.push({
    severity: "warning",
    rule: "language-undetected",
    reason: `no lang given and ${why}; it is read as ${languageName(defaultLanguage)} (${defaultLanguage}), use --lang to set it`,
    source: "read",
    file,
  });
  return { language: defaultLanguage, source: "default" };
}

export type LanguageGuess =
  | { readonly kind: "detected"; readonly language: string; readonly margin: number }
  | { readonly kind: "too-little"; readonly letters: number }
  | { readonly kind: "too-close"; readonly candidates: readonly string[]; readonly margin: number };

/**
 * franc over each window of the sample; the scores are summed weighted by the window's letters
 * (a heading counts for less than a page), then the best two compared.
 */
export function guessLanguage(sampled: readonly string[]): LanguageGuess {
  const windows = inMainScript(sampled);
  // Enough text is counted in Latin letters' worth: 56 kana and Han are two sentences.
  const letters = windows.map((text) => countLetters(text) + 2 * (text.match(denseScripts)?.length ?? 0));
  const total = letters.reduce((sum, count) => sum + count, 0);
  if (total < minimumLetters) return { kind: "too-little", letters: total };
  const scores = new Map<string, number>();
  windows.forEach((text, index) => {
    const weight = letters[index]!;
    if (weight === 0) return;
    for (const [code, score] of francAll(text, { only: [...candidateLanguages], minLength: 1 })) {
      if (code === "und") continue;
      scores.set(code, (scores.get(code) ?? 0) + score * weight);
    }
  });
  const ranked = [...scores].map(([code, score]) => [code, score / total] as const).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best) return { kind: "too-little", letters: total };
  const margin = relativeMargin(ranked.map(([, score]) => score));
  if (margin < minimumMargin) return { kind: "too-close", candidates: [bcp47FromIso6393(best[0]), bcp47FromIso6393(second![0])], margin };
  return { kind: "detected", language: bcp47FromIso6393(best[0]), margin };
}

/**
 * How far the best score is ahead of the second, as a share of how far it is ahead of the tenth:
 * franc's scores crowd towards 1 as the text grows (they are normalised by its length), so the
 * plain difference would shrink on a whole book just when the answer is surest.
 */
function relativeMargin(scores: readonly number[]): number {
  const [best, second] = scores;
  if (best === undefined || second === undefined) return 1;
  const spread = best - (scores[Math.min(9, scores.length - 1)] ?? 0);
  return spread > 0 ? (best - second) / spread : 0;
}

/**
 * Scripts whose one character carries a syllable or a word: a Hangul block, a kana or a Han
 * character holds about as much text as three Latin letters.
 */
const denseScripts = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/**
 * The sample in the script that holds most of its text. franc counts characters, and answers
 * from the script with the most of them: a Korean RFC's English header and its JSON, MUST and
 * ECMAScript (418 Latin letters to 318 Hangul) made it English. A Han, kana or Hangul character
 * counts as three letters; when such characters hold a third of the text, or another alphabet
 * outnumbers the Latin letters, Latin words (product names, code words, an English header) are
 * left out of what franc reads. An English text quoting a little Greek or Japanese is read whole.
 */
export function inMainScript(windows: readonly string[]): readonly string[] {
  const joined = windows.join(" ");
  const latin = joined.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const dense = joined.match(denseScripts)?.length ?? 0;
  const other = countLetters(joined) - latin - dense;
  // Han, kana and Hangul hold at least a third of the text: no English text quotes that much
  // Japanese or Korean, while a Japanese or Korean technical page is full of Latin names.
  // Another alphabet (Cyrillic, Greek…) must simply outnumber the Latin letters.
  if (6 * dense < latin && other <= latin) return windows;
  return windows.map((text) => text.replace(/[\p{Script=Latin}\p{M}'’-]*\p{Script=Latin}[\p{Script=Latin}\p{M}'’-]*/gu, " "));
}

function countLetters(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

/** Web and mail addresses written in the text: not words of any language. */
const addressPattern = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+|\S+@\S+\.\w+/giu;

/**
 * Node types whose content is not read. Of the literal nodes only `text` is ever read, so code
 * blocks, inline code and raw HTML are skipped by construction; listed here too so the list
 * says it. Images are skipped whole: their alt is often a file name, a logo or a badge.
 */
const silentTypes = new Set<string>([
  "code",
  "inlineCode",
  "html",
  "yaml",
  "toml",
  "definition",
  "footnoteDefinition",
  "footnoteReference",
  "image",
  "imageReference",
  "math",
  "inlineMath",
]);

/**
 * The prose a listener would hear (headings, paragraphs, list items, table cells, quotes), in
 * at most `sampleWindows` windows of at most `windowCharacters` characters, started at blocks
 * spread evenly over the document. Bounded work: a window stops reading as soon as it is full,
 * so a 20 MB book is sampled, never walked whole.
 */
export function proseSample(sections: readonly Section[]): string[] {
  const blocks: Nodes[] = sections.flatMap((section) => (section.heading ? [section.heading, ...section.blocks] : [...section.blocks]));
  const windows: string[] = [];
  let next = 0;
  for (let window = 0; window < sampleWindows && next < blocks.length; window++) {
    const start = Math.max(next, Math.floor((window * blocks.length) / sampleWindows));
    const parts: string[] = [];
    let room = windowCharacters;
    let index = start;
    for (; index < blocks.length && room > 0; index++) room = collectProse(blocks[index]!, parts, room);
    next = index;
    const text = parts.join(" ").replace(/\s+/g, " ").trim();
    if (text) windows.push(text.slice(0, windowCharacters));
  }
  return windows;
}

/** Appends `node`'s audible text to `parts`, at most `room` characters; returns the room left. */
function collectProse(node: Nodes | RootContent, parts: string[], room: number): number {
  if (room <= 0 || silentTypes.has(node.type) || isBadgeLink(node as Nodes)) return room;
  if (node.type === "text") {
    // Cut before cleaning: a one-paragraph 20 MB text file is one text node.
    const text = node.value.slice(0, room + 512).replace(addressPattern, " ");
    parts.push(text.slice(0, room));
    return room - Math.min(text.length, room) - 1;
  }
  if (node.type === "link" && node.children.length === 1 && node.children[0]!.type === "text" && isAddress(node.children[0]!.value, node.url)) return room;
  if ("children" in node) {
    for (const child of node.children as Nodes[]) {
      room = collectProse(child, parts, room);
      if (room <= 0) break;
    }
    // Blocks end words: "cell" "cell" must not run together into one trigram soup.
    parts.push(" ");
  }
  return room;
}

const wholeAddress = new RegExp(`^(?:${addressPattern.source})$`, "iu");

/** A link that shows its own address (`<https://…>`, a bare URL, an e-mail address) says no words. */
function isAddress(text: string, url: string): boolean {
  const shown = text.trim();
  return shown === url || shown === url.replace(/^mailto:/, "") || wholeAddress.test(shown);
}
