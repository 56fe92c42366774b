// Speech-ready text: a section's mdast blocks → the utterances a careful reader would say,
// each a run of language-tagged segments normalised for the ear, with the pause after it.
import { romanNumeral, romanValue } from "./english-numbers.js";
import type { ElementContent, Root as HastRoot } from "hast";
import { raw } from "hast-util-raw";
import type { Code, FootnoteDefinition, Html, ListItem, Nodes, PhrasingContent, RootContent, Table } from "mdast";
import { isBadge, isBadgeLink } from "../badges.js";
import { isHiddenHtmlElement, separatesHtmlWords } from "../display-text.js";
import type { LecternDocument, Section } from "../model.js";
import { isSentence, sentencedSection, type Sentence } from "../sentences.js";
import { codeBlockAnnouncement, codeBlockLines, codeLanguage, codeVocabularyLanguage, isShortCodeBlock, speakCode, splitLineComment, type ReadCode } from "./code-speech.js";
import { count, fill, spokenWordsLanguage, templateParts, wordsFor, type Words } from "../words/index.js";
import { applyLexicon, type Lexicon } from "./lexicon.js";
import { normalizeForSpeech, primaryLanguage, toSuperscript } from "./normalize.js";

export { applyLexicon, loadLexicon, parseJsonLexicon, parsePlsLexicon, type Lexicon } from "./lexicon.js";
export { normalizeForSpeech, primaryLanguage } from "./normalize.js";
export { readCodeChoices, shortCodeBlock, speakCode, type ReadCode } from "./code-speech.js";

/** A run of text in one language, ready to hand to an engine (already normalised). */
export interface SpeechSegment {
  readonly text: string;
  /** BCP 47 tag the run is spoken in. */
  readonly language: string;
}

export type UtteranceKind = "title" | "heading" | "paragraph" | "list-item" | "quote" | "table" | "image" | "footnote" | "announcement" | "code";

/** One thing said, then a pause: a heading, a paragraph, a list item… */
export interface Utterance {
  readonly kind: UtteranceKind;
  /**
   * The stable id of the sentence or unit it voices (`<section slug>-s<n>`, from
   * src/document/sentences.ts): the talking EPUB's clip for that element. Lectern's own
   * announcements take the id of the unit they introduce or close, so that the clip plays
   * them; absent only in a section with no unit at all.
   */
  readonly id?: string;
  readonly segments: readonly SpeechSegment[];
  /** Silence after the utterance, in milliseconds. Headings get a longer one (issue 2: "headings are read, then a pause"). */
  readonly pauseAfterMs: number;
  /** Source line the utterance comes from, so a caption cue maps back to the text. */
  readonly line?: number;
  /**
   * The utterance as written in the document, on one line: what its caption shows, since a
   * reader should see "20,000" and "U.S.", not the spoken "twenty thousand" and "U S". One
   * entry: an utterance voices one sentence or unit (src/document/sentences.ts).
   */
  readonly caption?: readonly string[];
}

export interface SpeechOptions {
  /** Where footnotes are read: `end-of-section` (default) after the section's text, or `skip`. */
  readonly footnotes?: "end-of-section" | "skip";
  /** The user's pronunciation overrides, applied before normalisation. Default: none. */
  readonly lexicon?: Lexicon;
  /**
   * Whether the engine can voice a language (BCP 47). Spans in a language it cannot voice are
   * announced ("a phrase in Arabic") instead of being spelled out. Default: only the
   * document's own language.
   */
  readonly canVoice?: (language: string) => boolean;
  /**
   * Which code blocks are read out after their announcement ("A shell example, 2 lines."):
   * `short` (default) those of a command or two (`shortCodeBlock`), `all` every one, `none`
   * none. Inline code is always read.
   */
  readonly readCode?: ReadCode;
  /** Receives recoverable problems (a span announced instead of voiced), with the source line. Default: ignored. */
  readonly report?: (problem: SpeechProblem) => void;
}

/** Something the listener will not hear as written; the stage turns it into a warning message. */
export interface SpeechProblem {
  /** Stable rule id, e.g. `speech-language-announced`. */
  readonly rule: string;
  readonly reason: string;
  readonly line?: number;
}

/** Pauses, in ms, by what ends; a heading's pause tells the ear a new part begins. */
export const pauses = {
  /**
   * Between two sentences of one paragraph, list item or table row: longer than the engine's
   * own pause at a full stop inside one utterance, so the ear hears the sentence end, and well
   * short of a paragraph's, so it does not hear a new paragraph.
   */
  sentence: 250,
  title: 1200,
  sectionHeading: 900,
  subHeading: 700,
  paragraph: 450,
  listItem: 300,
  tableRow: 350,
  thematicBreak: 1200,
} as const;

/** The words of an utterance as one string (segments joined), for tests and captions. */
export function utteranceText(utterance: Utterance): string {
  return utterance.segments.map((segment) => segment.text).join(" ");
}

/**
 * An utterance as its engine is given it, on one line, each change of language marked
 * (`Dodaj do [en] tilde slash dot bashrc [pl] , potem.`): what `lectern script` prints.
 */
export function markedUtteranceText(utterance: Utterance, documentLanguage: string): string {
  let current = documentLanguage;
  return utterance.segments
    .map((segment) => {
      const marked = segment.language === current ? segment.text : `[${segment.language}] ${segment.text}`;
      current = segment.language;
      return marked;
    })
    .join(" ");
}

/** Everything a section says, as one string: handy for tests and word counts. */
export function scriptText(utterances: readonly Utterance[]): string {
  return utterances.map(utteranceText).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Phrasing: inline nodes → language-tagged raw text runs.

interface RawRun {
  text: string;
  language: string;
}

/**
 * Text said otherwise than it is written, kept out of normalisation: a piece of code. A run
 * holds a placeholder for it (`piecePlaceholder`) so the rules still see the sentence around it;
 * the written form goes to the captions, the spoken one to the engine, in its own language.
 */
interface SpokenPiece {
  readonly written: string;
  readonly spoken: string;
  readonly language: string;
}

// Unicode noncharacters (U+FDD0–U+FDEF), reserved for a program's internal use: no document
// holds them (the collector drops any that come in), no rule matches them.
const pieceStart = "\uFDD0";
const pieceEnd = "\uFDD1";
const pieceDigits = 0xfde0;
const piecePattern = /\uFDD0([\uFDE0-\uFDE9]+)\uFDD1/g;
const noncharacters = /[\uFDD0-\uFDEF]/g;

function piecePlaceholder(index: number): string {
  return pieceStart + String(index).replace(/\d/g, (digit) => String.fromCharCode(pieceDigits + Number(digit))) + pieceEnd;
}

function pieceIndex(encoded: string): number {
  return Number(Array.from(encoded, (character) => character.charCodeAt(0) - pieceDigits).join(""));
}

/** The written text of runs: placeholders replaced by what they stand for. */
function writtenText(text: string, pieces: readonly SpokenPiece[]): string {
  return text.replace(piecePattern, (match, encoded: string) => pieces[pieceIndex(encoded)]?.written ?? match);
}

/** State while walking inline content: the language stack (from `<span lang>`) and hidden HTML. */
class PhrasingCollector {
  readonly runs: RawRun[] = [];
  private readonly languages: string[];
  private readonly openTags: string[] = [];
  /** Depth inside `<script>`, `<style>`, `<template>` … whose text is never read. */
  private hiddenDepth = 0;
  /** Depth inside `<sup>`: a number there is an exponent or a note's mark, written as superscript digits (`2⁵³`) for the rules. */
  private superscriptDepth = 0;
  /** Depth inside raw HTML `<code>`, `<kbd>`, `<samp>`, `<tt>`. */
  private codeDepth = 0;

  constructor(
    language: string,
    private readonly context: ScriptContext,
  ) {
    this.languages = [language];
  }

  get language(): string {
    return this.languages[this.languages.length - 1]!;
  }

  add(text: string): void {
    const clean = text.replace(noncharacters, "");
    // Text inside raw `<code>`, `<kbd>`, `<samp>` is code, read as inline code is.
    if (this.codeDepth > 0 && this.hiddenDepth === 0 && clean.trim() !== "") {
      addCode(clean.trim(), this, this.context, undefined, undefined, clean);
      return;
    }
    this.append(this.superscriptDepth > 0 && /^[-−+]?\d{1,6}$/.test(clean.trim()) ? toSuperscript(clean.trim()) : clean);
  }

  /** Adds words Lectern says itself ("link", "Image:"), in the language they are written in. */
  addWords(text: string): void {
    this.appendIn(text.replace(noncharacters, ""), this.context.wordsLanguage);
  }

  /** Adds text that is said as `spoken` (in `language`) and shown as `written`. */
  addPiece(written: string, spoken: string, language: string): void {
    if (this.hiddenDepth > 0 || spoken.trim() === "") return;
    this.context.pieces.push({ written, spoken, language });
    this.append(piecePlaceholder(this.context.pieces.length - 1));
  }

  private append(text: string): void {
    this.appendIn(text, this.language);
  }

  private appendIn(text: string, language: string): void {
    if (this.hiddenDepth > 0 || text === "") return;
    const last = this.runs[this.runs.length - 1];
    if (last && last.language === language) last.text += text;
    else this.runs.push({ text, language });
  }

  /** Inline HTML arrives as separate open/close tag nodes; track `lang` and hidden elements across them. */
  html(value: string): void {
    for (const tag of value.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
      const [, closing, rawName, , selfClosing] = tag;
      const name = rawName!.toLowerCase();
      if (name === "br") {
        this.add(" ");
        continue;
      }
      if (selfClosing) continue;
      if (closing) {
        this.closeElement(name);
        continue;
      }
      if (voidElements.has(name)) continue;
      // An inline element's `lang` was read once, at read time (a `languageSpan` node).
      this.openElement(name);
    }
  }

  /** Text added while `walk` runs is in `lang` (a `languageSpan`, src/document/language-spans.ts). */
  inLanguage(lang: string | undefined, walk: () => void): void {
    if (lang === undefined) return walk();
    this.languages.push(lang);
    try {
      walk();
    } finally {
      this.languages.pop();
    }
  }

  /** An HTML element starts: its `lang`, and whether its text is hidden, superscript or code. */
  openElement(name: string, lang?: string): void {
    if (hiddenElements.has(name)) this.hiddenDepth++;
    if (name === "sup") this.superscriptDepth++;
    if (codeElements.has(name)) this.codeDepth++;
    this.openTags.push(name);
    if (lang) {
      this.languages.push(lang);
      this.openTags.push(`lang:${name}`);
    }
  }

  /** An HTML element ends, and every element left open inside it. */
  closeElement(name: string): void {
    const index = this.openTags.lastIndexOf(name);
    if (index === -1) return;
    // The element's `lang:<name>` marker sits right after it, so it is popped too.
    for (const popped of this.openTags.splice(index).reverse()) {
      if (hiddenElements.has(popped)) this.hiddenDepth--;
      if (popped === "sup") this.superscriptDepth--;
      if (codeElements.has(popped)) this.codeDepth--;
      if (popped.startsWith("lang:")) this.languages.pop();
    }
  }
}

const codeElements = new Set(["code", "kbd", "samp", "tt"]);
const hiddenElements = new Set(["script", "style", "template", "noscript", "iframe", "object", "svg", "math"]);
const voidElements = new Set(["img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "param", "track"]);

type PhrasingHandler<T extends PhrasingContent = PhrasingContent> = (node: T, collector: PhrasingCollector, context: ScriptContext) => void;

const looksLikeUrl = (text: string): boolean => /^(?:[a-z][a-z0-9+.-]*:|www\.)\S*$/i.test(text.trim());

/** Inline handlers, one per mdast phrasing node type; `unknownPhrasing` catches the rest. */
const phrasingHandlers: { [K in PhrasingContent["type"]]?: PhrasingHandler<Extract<PhrasingContent, { type: K }>> } = {
  text: (node, collector) => collector.add(node.value),
  emphasis: (node, collector, context) => walkPhrasing(node.children, collector, context),
  strong: (node, collector, context) => walkPhrasing(node.children, collector, context),
  delete: (node, collector, context) => walkPhrasing(node.children, collector, context),
  // Link text only; a link whose text is its own address is just "link" (never read URLs).
  link: (node, collector, context) => {
    if (isBadgeLink(node)) return; // a README's status badge says nothing (src/document/badges.ts)
    const text = plainText(node.children);
    if (text.trim() === "" || looksLikeUrl(text)) collector.addWords(context.words.link);
    else walkPhrasing(node.children, collector, context);
  },
  linkReference: (node, collector, context) => (isBadgeLink(node) ? undefined : walkPhrasing(node.children, collector, context)),
  // Code reads as what it says, its symbols named (`~/.bashrc` → "tilde slash dot bashrc"); captions show it as written.
  inlineCode: (node, collector, context) => addCode(node.value, collector, context, lineOf(node)),
  break: (_node, collector) => collector.add(" "),
  image: (node, collector, context) => imageAlt(node.alt, isBadge(node), collector, context),
  imageReference: (node, collector, context) => imageAlt(node.alt, isBadge(node), collector, context),
  html: (node, collector) => collector.html(node.value),
  languageSpan: (node, collector, context) => collector.inLanguage(node.data.lang, () => walkPhrasing(node.children, collector, context)),
  // The notes a section refers to are read at its end (src/document/sentences.ts lists them).
  footnoteReference: () => undefined,
  sentence: (node, collector, context) => walkPhrasing(node.children, collector, context),
};

/** A picture is its alt text after "Image:"; one without alt text, or a badge, says nothing. */
function imageAlt(alt: string | null | undefined, badge: boolean, collector: PhrasingCollector, context: ScriptContext): void {
  if (!alt?.trim() || badge) return;
  collector.addWords(`${context.words.image} `);
  collector.add(`${alt.trim()}. `);
}

/**
 * Adds `code` as a spoken piece, in the language `codeVocabularyLanguage` picks; a block line's
 * `comment` is read after it as prose, both shown as `written`.
 */
function addCode(code: string, collector: PhrasingCollector, context: ScriptContext, line: number | undefined, comment?: string, written = code): void {
  const language = codeVocabularyLanguage(collector.language, context.canVoice);
  const spokenCode = speakCode(code, language);
  const shortened = spokenCode.shortened;
  let text = applyLexicon(spokenCode.text, context.lexicon);
  if (comment) text = `${text}${text ? ", " : ""}${normalizeForSpeech(applyLexicon(comment, context.lexicon), language)}`;
  if (shortened) {
    context.report({
      rule: "speech-text-shortened",
      reason: `shortened for listening, not read out in full: a ${Array.from(code).length}-character piece of code`,
      ...(line === undefined ? {} : { line }),
    });
  }
  collector.addPiece(written, text, language);
}

function unknownPhrasing(node: Nodes, collector: PhrasingCollector, context: ScriptContext): void {
  if ("children" in node && Array.isArray(node.children)) walkPhrasing(node.children as PhrasingContent[], collector, context);
  else if ("value" in node && typeof node.value === "string") collector.add(node.value);
}

function walkPhrasing(nodes: readonly PhrasingContent[], collector: PhrasingCollector, context: ScriptContext): void {
  for (const node of nodes) {
    const handler = phrasingHandlers[node.type] as PhrasingHandler | undefined;
    if (handler) handler(node, collector, context);
    else unknownPhrasing(node, collector, context);
  }
}

function plainText(nodes: readonly PhrasingContent[]): string {
  return nodes.map((node) => ("value" in node ? node.value : "children" in node ? plainText(node.children as PhrasingContent[]) : "")).join("");
}

// ---------------------------------------------------------------------------------------------
// Blocks: mdast block nodes → utterances.

interface ScriptContext {
  readonly language: string;
  /** Lectern's own words for the document (src/document/words), and the language they are said in. */
  readonly words: Words;
  readonly wordsLanguage: string;
  readonly readCode: ReadCode;
  /** Every spoken piece of the section, indexed by the placeholders in its runs. */
  readonly pieces: SpokenPiece[];
  readonly lexicon: Lexicon;
  readonly canVoice: (language: string) => boolean;
  readonly report: (problem: SpeechProblem) => void;
  readonly utterances: Utterance[];
  /** Announcements that close what they announce ("End quote."): they belong to the unit before them. */
  readonly closing: Set<Utterance>;
}

/** A language's name, in English by default or in `inLanguage` ("arabe" in French). */
function languageName(tag: string, inLanguage = "en"): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Runs of one of Lectern's phrases: its words in the words' language, each slot's text in `valueLanguage`. */
function phraseRuns(template: string, values: Readonly<Record<string, string>>, context: ScriptContext, valueLanguage = context.language): RawRun[] {
  const runs: RawRun[] = [];
  for (const part of templateParts(template)) {
    const run = typeof part === "string" ? { text: part, language: context.wordsLanguage } : { text: values[part.slot] ?? "", language: valueLanguage };
    const last = runs[runs.length - 1];
    // Punctuation alone ("." after the name) goes with the run before it: no voice switch for a full stop.
    if (last && (last.language === run.language || /^[\p{P}\s]*$/u.test(run.text))) last.text += run.text;
    else runs.push(run);
  }
  return runs;
}

/** Normalises raw runs into segments; runs in a language the engine cannot voice are announced. */
function toSegments(runs: readonly RawRun[], context: ScriptContext, line?: number): SpeechSegment[] {
  const segments: SpeechSegment[] = [];
  const merged: RawRun[] = [];
  // What was too long to read out (a 5,000-digit number, a 100,000-letter "word"): one warning per utterance.
  const shortened: string[] = [];
  const onShortened = (what: string): void => {
    shortened.push(what);
  };
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && last.language === run.language) last.text += run.text;
    else merged.push({ ...run });
  }
  for (const run of merged) {
    let language = run.language;
    let text: string;
    if (primaryLanguage(language) === primaryLanguage(context.language)) {
      language = context.language;
      text = normalizeForSpeech(applyLexicon(run.text, context.lexicon), language, onShortened);
    } else if (context.canVoice(language)) {
      text = normalizeForSpeech(applyLexicon(run.text, context.lexicon), language, onShortened);
    } else {
      // Never spelled out letter by letter: say what it is instead (issue 5, language-aware).
      language = context.wordsLanguage;
      text = run.text.trim() === "" ? run.text : ` ${fill(context.words.phraseIn, { language: languageName(run.language, context.wordsLanguage) })} `;
      if (run.text.trim() !== "") {
        context.report({
          rule: "speech-language-announced",
          reason: `the engine has no ${languageName(run.language)} voice, so "${run.text.trim().slice(0, 40)}" is announced as a phrase in ${languageName(run.language)}, not read`,
          ...(line === undefined ? {} : { line }),
        });
      }
      text = normalizeForSpeech(text, language, onShortened);
    }
    for (const part of expandPieces(text, language, context.pieces)) {
      if (part.text.trim() === "") continue;
      const last = segments[segments.length - 1];
      if (last && last.language === part.language) segments[segments.length - 1] = { text: joinSpoken(last.text, part.text), language: part.language };
      else segments.push(part);
    }
  }
  if (shortened.length > 0) {
    const named = [...new Set(shortened)];
    context.report({
      rule: "speech-text-shortened",
      reason: `shortened for listening, not read out in full: ${named.slice(0, 3).join("; ")}${named.length > 3 ? `; and ${named.length - 3} more` : ""}`,
      ...(line === undefined ? {} : { line }),
    });
  }
  return segments;
}

/**
 * Normalised text with its placeholders replaced by the spoken pieces: inline when a piece is
 * in the text's language, else cut into a segment of its own (an English-named symbol in an
 * Italian sentence is said by the English voice).
 */
function expandPieces(text: string, language: string, pieces: readonly SpokenPiece[]): SpeechSegment[] {
  const parts: SpeechSegment[] = [];
  const push = (part: string, partLanguage: string) => {
    const clean = part.trim();
    if (clean === "") return;
    const last = parts[parts.length - 1];
    if (last && last.language === partLanguage) parts[parts.length - 1] = { text: joinSpoken(last.text, clean), language: partLanguage };
    else parts.push({ text: clean, language: partLanguage });
  };
  let from = 0;
  for (const match of text.matchAll(piecePattern)) {
    const piece = pieces[pieceIndex(match[1]!)];
    push(text.slice(from, match.index), language);
    if (piece) push(piece.spoken, primaryLanguage(piece.language) === primaryLanguage(language) ? language : piece.language);
    from = match.index + match[0].length;
  }
  push(text.slice(from), language);
  return parts;
}

/** Two spoken parts joined by a space, none before the punctuation that follows ("bashrc," not "bashrc ,"). */
function joinSpoken(before: string, after: string): string {
  return /^[,.;:!?)\]]/.test(after) || /[(\[]$/.test(before) ? `${before}${after}` : `${before} ${after}`;
}

/** Says `runs` as one utterance (nothing if they say nothing); `id` names the sentence or unit it voices. */
function say(context: ScriptContext, kind: UtteranceKind, runs: readonly RawRun[], pauseAfterMs: number, line?: number, id?: string, shown: readonly RawRun[] = runs): void {
  const segments = toSegments(runs, context, line);
  if (segments.length === 0) return;
  const written = writtenText(shown.map((run) => run.text).join(""), context.pieces)
    .replace(/\s+/g, " ")
    .trim();
  context.utterances.push({
    kind,
    ...(id === undefined ? {} : { id }),
    segments,
    pauseAfterMs,
    ...(line === undefined ? {} : { line }),
    ...(written ? { caption: [written] } : {}),
  });
}

/**
 * Says phrasing content one sentence node at a time (src/document/sentences.ts), each an
 * utterance with its id, a short pause between them and `pauseAfterMs` after the last;
 * `prefix` (a list item's number, a cell's column, a note's number) opens the first.
 * Content with no sentence nodes (nothing to show) is said as one utterance without an id.
 */
function sayPhrasing(
  context: ScriptContext,
  kind: UtteranceKind,
  children: readonly PhrasingContent[],
  pauseAfterMs: number,
  line: number | undefined,
  prefix: readonly RawRun[] = [],
  shape: (runs: RawRun[]) => RawRun[] = (runs) => runs,
): void {
  const sentences = children.length > 0 && children.every(isSentence) ? (children as Sentence[]) : undefined;
  if (!sentences) {
    say(context, kind, closeSentence(shape(phrasingRuns(children, context, prefix))), pauseAfterMs, line);
    return;
  }
  const before = context.utterances.length;
  sentences.forEach((sentence, index) => {
    // The caption shows the sentence as written, without what Lectern says before it ("1:", "Name:").
    const written = closeSentence(shape(phrasingRuns(sentence.children, context)));
    const spoken = index === 0 && prefix.length > 0 ? [...prefix.map((run) => ({ ...run })), ...written] : written;
    say(context, kind, spoken, pauses.sentence, sentence.position?.start.line ?? line, sentence.data.id, written);
  });
  endWithPause(context, before, pauseAfterMs);
}

/** The last utterance said since `before` ends with `pauseAfterMs`. */
function endWithPause(context: ScriptContext, before: number, pauseAfterMs: number): void {
  const last = context.utterances.length - 1;
  if (last >= before) context.utterances[last] = { ...context.utterances[last]!, pauseAfterMs };
}

function phrasingRuns(nodes: readonly PhrasingContent[], context: ScriptContext, prefix: readonly RawRun[] = []): RawRun[] {
  const collector = new PhrasingCollector(context.language, context);
  walkPhrasing(nodes, collector, context);
  const runs = prefix.filter((run) => run.text !== "").map((run) => ({ ...run }));
  for (const run of collector.runs) {
    const last = runs[runs.length - 1];
    if (last && last.language === run.language) last.text += run.text;
    else runs.push(run);
  }
  return runs;
}

/** Ends a run with a full stop when it has none, so the engine drops its voice and pauses. */
/**
 * A heading numbered in Roman numerals (`II. The Second Meeting`, a plain-text book's chapter)
 * is said with its number ("2.", which the voice reads in its own language): it would spell
 * `II` as letters ("I I"). Only a well-formed numeral (`II`, not `IIII`); captions keep `II`.
 */
function numberedHeading(runs: RawRun[], context: ScriptContext): RawRun[] {
  const first = runs[0];
  const match = first ? /^(\s*)([IVXLCDM]{1,7})\.(?=\s|$)/.exec(first.text) : null;
  if (!first || !match) return runs;
  const value = romanValue(match[2]!);
  if (value === undefined || romanNumeral(value) !== match[2]) return runs;
  // Said as the digits, which the voice reads in its language; shown (captions) as written.
  context.pieces.push({ written: match[2]!, spoken: String(value), language: first.language });
  first.text = `${match[1]}${piecePlaceholder(context.pieces.length - 1)}.${first.text.slice(match[0].length)}`;
  return runs;
}

function closeSentence(runs: RawRun[]): RawRun[] {
  // Nothing to say (a paragraph of badges leaves only the line breaks between them): no lone full stop.
  if (runs.every((run) => run.text.trim() === "")) return [];
  const last = runs[runs.length - 1];
  // An ellipsis ends a sentence too, and a closing quote or bracket may follow its mark, in any
  // language's quotes (the text is typeset: `fin…`, `„Wie geht’s?“`, `« non ! »`, `»Was?«`).
  if (last && !/[.!?:;…]["'”’“‘»›«‹)\]\u202F\u00A0]*\s*$/.test(last.text)) last.text = `${last.text.trimEnd()}.`;
  return runs;
}

type BlockHandler<T extends RootContent = RootContent> = (node: T, context: ScriptContext) => void;

const lineOf = (node: Nodes): number | undefined => node.position?.start.line;

/** Block handlers, one per mdast node type; `unknownBlock` catches the rest. */
const blockHandlers: { [K in RootContent["type"]]?: BlockHandler<Extract<RootContent, { type: K }>> } = {
  heading: (node, context) => sayPhrasing(context, "heading", node.children, pauses.subHeading, lineOf(node), [], (runs) => numberedHeading(runs, context)),
  paragraph: (node, context) => sayPhrasing(context, "paragraph", node.children, pauses.paragraph, lineOf(node)),
  list: (node, context) => {
    node.children.forEach((item, position) => {
      const number = node.ordered ? (node.start ?? 1) + position : undefined;
      listItem(item, number, context);
    });
  },
  listItem: (node, context) => listItem(node, undefined, context),
  blockquote: (node, context) => {
    say(context, "announcement", [{ text: context.words.quote, language: context.wordsLanguage }], 150, lineOf(node));
    for (const child of node.children) speakBlock(child, context);
    say(context, "announcement", [{ text: context.words.endQuote, language: context.wordsLanguage }], pauses.paragraph);
    const endQuote = context.utterances.at(-1);
    if (endQuote?.kind === "announcement") context.closing.add(endQuote);
  },
  code: (node, context) => codeBlock(node, context),
  table: (node, context) => table(node, context),
  thematicBreak: (_node, context) => {
    const last = context.utterances[context.utterances.length - 1];
    if (last) context.utterances[context.utterances.length - 1] = { ...last, pauseAfterMs: Math.max(last.pauseAfterMs, pauses.thematicBreak) };
  },
  html: (node, context) => htmlBlock(node, context),
  definition: () => undefined,
  footnoteDefinition: () => undefined,
  yaml: () => undefined,
};

/**
 * Block HTML is read as a browser shows it: parsed with parse5 (through hast-util-raw, as the
 * EPUB parses it), the text of its elements spoken, one utterance per block box (`<p>`, `<div>`,
 * `<summary>`…; an HTML heading is made a section's heading by src/document/sections.ts), and what a reader never sees as text left out by the
 * rules titles follow (src/document/display-text.ts): scripts, styles, comments, iframes,
 * images — so a README's row of badges or its logo says nothing, its centred tagline is read.
 */
function htmlBlock(node: Html, context: ScriptContext): void {
  const tree = raw({ type: "root", children: [{ type: "raw", value: node.value }] }) as HastRoot;
  let collector: PhrasingCollector | undefined;
  let collectorLanguage = context.language;
  // The block is one unit (sentences.ts): its boxes are said as one utterance, each closed as a sentence.
  const said: RawRun[] = [];
  const flush = (): void => {
    if (collector) {
      const runs = collector.runs.filter((run) => run.text.trim() !== "");
      if (runs.length > 0) {
        if (said.length > 0) said.push({ text: " ", language: collectorLanguage });
        said.push(...closeSentence(collector.runs));
      }
    }
    collector = undefined;
  };
  const collectorIn = (language: string): PhrasingCollector => {
    if (collector && collectorLanguage !== language) flush();
    collectorLanguage = language;
    return (collector ??= new PhrasingCollector(language, context));
  };
  const visit = (child: ElementContent, language: string): void => {
    if (child.type === "text") {
      collectorIn(language).add(child.value);
      return;
    }
    if (child.type !== "element" || isHiddenHtmlElement(child)) return; // comments say nothing
    const lang = typeof child.properties.lang === "string" && child.properties.lang.trim() !== "" ? child.properties.lang.trim() : undefined;
    if (child.tagName === "br") {
      collector?.add(" ");
      return;
    }
    if (separatesHtmlWords(child.tagName)) {
      flush();
      for (const grandchild of child.children) visit(grandchild, lang ?? language);
      flush();
      return;
    }
    const inline = collectorIn(language);
    inline.openElement(child.tagName, lang);
    for (const grandchild of child.children) visit(grandchild, language);
    inline.closeElement(child.tagName);
  };
  for (const child of tree.children) visit(child as ElementContent, context.language);
  flush();
  say(context, "paragraph", said, pauses.paragraph, lineOf(node), node.data?.unitId);
}

/**
 * A code block is announced with its language and size ("A shell example, 2 lines."), then,
 * as `readCode` says, read line by line like inline code; its captions show the lines as written.
 */
function codeBlock(node: Code, context: ScriptContext): void {
  const language = codeLanguage(node.lang);
  const lines = codeBlockLines(node.value, language);
  if (lines.every((line) => line.trim() === "")) return;
  const spokenIn = codeVocabularyLanguage(context.language, context.canVoice);
  const read = context.readCode === "all" || (context.readCode === "short" && isShortCodeBlock(node.value));
  const first = lineOf(node);
  // The announcement is the block's unit too: its clip, read out or not, starts with it.
  say(context, "announcement", [{ text: codeBlockAnnouncement(language, lines.length, spokenIn), language: spokenIn }], read ? 250 : pauses.paragraph, first, node.data?.unitId);
  if (!read) return;
  // One utterance for the block, its unit (sentences.ts): a full stop between lines, so the
  // voice pauses between them; the caption shows the code as written.
  const collector = new PhrasingCollector(context.language, context);
  // A fenced block's code starts on the line after its fence (the block spans two lines more than its code).
  const fenced = node.position !== undefined && node.position.end.line - node.position.start.line + 1 > node.value.split("\n").length;
  let firstSpoken: number | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const sourceLine = first === undefined ? undefined : first + (fenced ? 1 : 0) + index;
    firstSpoken ??= sourceLine;
    if (collector.runs.length > 0) collector.add(". ");
    const { code, comment } = splitLineComment(line.trim(), language);
    addCode(code, collector, context, sourceLine, comment, line.trim());
  });
  // No full stop after the last line: code is not prose, and the pause after the block ends it.
  say(context, "code", collector.runs, pauses.paragraph, firstSpoken, node.data?.unitId);
}

function unknownBlock(node: RootContent, context: ScriptContext): void {
  if ("children" in node && Array.isArray(node.children)) {
    const children = node.children as RootContent[];
    const inline = children.every((child) => phrasingHandlers[child.type as PhrasingContent["type"]] !== undefined);
    if (inline) sayPhrasing(context, "paragraph", children as PhrasingContent[], pauses.paragraph, lineOf(node));
    else for (const child of children) speakBlock(child, context);
  }
}

function speakBlock(node: RootContent, context: ScriptContext): void {
  const handler = blockHandlers[node.type] as BlockHandler | undefined;
  if (handler) handler(node, context);
  else unknownBlock(node, context);
}

function listItem(item: ListItem, number: number | undefined, context: ScriptContext): void {
  const prefix: RawRun[] = number === undefined ? [] : [{ text: `${number}: `, language: context.language }];
  const { words } = context;
  if (typeof item.checked === "boolean") prefix.push({ text: `${fill(words.label, { name: item.checked ? words.done : words.notDone })} `, language: context.wordsLanguage });
  let prefixUsed = false;
  for (const child of item.children) {
    if (child.type === "paragraph" && !prefixUsed) {
      sayPhrasing(context, "list-item", child.children, pauses.listItem, lineOf(child), prefix);
      prefixUsed = true;
    } else {
      speakBlock(child, context);
    }
  }
}

/**
 * Rows read as "Header: cell. Header: cell.", the order a person reads a table aloud: each
 * cell its own utterance (its id is the cell's sentence), the row's pause after its last.
 */
function table(node: Table, context: ScriptContext): void {
  const [header, ...rows] = node.children;
  const labels = header?.children.map((cell) => plainText(cell.children).trim()) ?? [];
  const columns = labels.length;
  const { words, wordsLanguage } = context;
  const announcement = fill(words.table, { columns: count(words.columns, columns, wordsLanguage), rows: count(words.rows, rows.length, wordsLanguage) });
  say(context, "announcement", [{ text: announcement, language: wordsLanguage }], 250, lineOf(node));
  for (const row of rows) {
    const before = context.utterances.length;
    row.children.forEach((cell, column) => {
      const label = labels[column];
      sayPhrasing(context, "table", cell.children, pauses.sentence, lineOf(cell) ?? lineOf(row), label ? [{ text: `${label}: `, language: context.language }] : []);
    });
    endWithPause(context, before, pauses.tableRow);
  }
}

/** The notes the section refers to, in first-reference order, each opened by its number ("Note 1:"). */
function footnotes(definitions: readonly FootnoteDefinition[], context: ScriptContext): void {
  if (definitions.length === 0) return;
  const heading = new Intl.PluralRules(context.wordsLanguage).select(definitions.length);
  say(context, "announcement", [{ text: context.words.notesHeading[heading] ?? context.words.notesHeading.other, language: context.wordsLanguage }], pauses.paragraph);
  definitions.forEach((definition, position) => {
    definition.children.forEach((child, index) => {
      if (index === 0 && child.type === "paragraph") {
        sayPhrasing(context, "footnote", child.children, pauses.paragraph, lineOf(child), [
          { text: `${fill(context.words.note, { number: String(position + 1) })} `, language: context.wordsLanguage },
        ]);
      } else {
        speakBlock(child, context);
      }
    });
  });
}

/**
 * Whether the title is only the file name (what readers fall back to when the text names no
 * title): `000_14f3f3ed66253a4f` read aloud is noise, so the lead section then starts with its text.
 * A title the text or the metadata gives is spoken even when it matches the file name
 * (`installation.md` with `# Installation`).
 */
export function titleIsFileName(doc: Pick<LecternDocument, "titleFromFileName">): boolean {
  return doc.titleFromFileName === true;
}

/**
 * What a section says: its heading (or, for the lead section, the document's title and
 * author), then its blocks in order, then its footnotes unless `options.footnotes` is `skip`.
 */
export function sectionSpeech(doc: LecternDocument, section: Section, options: SpeechOptions = {}): Utterance[] {
  const language = doc.metadata.language;
  const canVoice = options.canVoice ?? ((tag: string) => primaryLanguage(tag) === primaryLanguage(language));
  const context: ScriptContext = {
    language,
    words: wordsFor(language).words,
    wordsLanguage: spokenWordsLanguage(language, canVoice),
    readCode: options.readCode ?? "short",
    pieces: [],
    lexicon: options.lexicon ?? new Map(),
    canVoice,
    report: options.report ?? (() => undefined),
    utterances: [],
    closing: new Set(),
  };
  const sentenced = sentencedSection(doc, section);
  if (section.role === "lead" && !titleIsFileName(doc)) {
    const titleRuns: RawRun[] = [{ text: doc.metadata.title, language }];
    say(context, "title", closeSentence(titleRuns), doc.metadata.author ? 400 : pauses.title);
    if (doc.metadata.author) say(context, "title", phraseRuns(context.words.byAuthor, { author: doc.metadata.author }, context), pauses.title);
  } else if (sentenced.heading) {
    // A body section without a heading of its own says its title (sentences.ts makes it one).
    sayPhrasing(context, "heading", sentenced.heading.children, pauses.sectionHeading, section.start?.line, [], (runs) => numberedHeading(runs, context));
  }
  for (const block of sentenced.blocks) speakBlock(block, context);
  if ((options.footnotes ?? "end-of-section") === "end-of-section") footnotes([...sentenced.footnotes.values()], context);
  return withAnnouncementsInUnits(context.utterances, context.closing);
}

/**
 * Lectern's own words (the title said on the title page, "Quote:", "A table of 2 columns…",
 * "Notes:") show no text of their own, but a talking book must play them: a media-overlay
 * player plays only the clips its overlays name. Each one joins the unit it introduces (the
 * next one with an id), or, when it closes one ("End quote."), the unit before it; the audio
 * stage then makes one clip of the adjacent utterances of one id.
 */
function withAnnouncementsInUnits(utterances: readonly Utterance[], closing: ReadonlySet<Utterance>): Utterance[] {
  const nextId: (string | undefined)[] = new Array(utterances.length);
  let following: string | undefined;
  for (let index = utterances.length - 1; index >= 0; index--) {
    nextId[index] = following;
    following = utterances[index]!.id ?? following;
  }
  let previous: string | undefined;
  return utterances.map((utterance, index) => {
    if (utterance.id !== undefined) {
      previous = utterance.id;
      return utterance;
    }
    const id = closing.has(utterance) ? (previous ?? nextId[index]) : (nextId[index] ?? previous);
    if (id === undefined) return utterance;
    previous = id;
    return { ...utterance, id };
  });
}
