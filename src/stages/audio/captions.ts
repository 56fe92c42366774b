// WebVTT captions: the document's written words, in cues people can read — at most two lines of
// about 42 characters and about 7 seconds each (the BBC's and Netflix's subtitle guidelines),
// cut at sentence and clause ends, never inside a word or a quotation — timed from the
// utterance spans the engine measured and its word events.
import type { TimedText } from "../../tts/engine.js";
import { oneLineText } from "./metadata-text.js";

export interface Cue {
  /** Seconds from the start of the track's decoded audio. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `hh:mm:ss.ttt`, the WebVTT timestamp form. */
export function vttTimestamp(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const secs = Math.floor((totalMs % 60_000) / 1000);
  const ms = totalMs % 1000;
  const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(ms, 3)}`;
}

/**
 * Cue text is not markup: `&`, `<` and `>` are escaped (so `-->` cannot appear), and it is
 * folded to one line by `oneLineText`: a CR alone is a WebVTT line break too, and a blank line
 * would end the cue and start another that the document wrote.
 */
function escapeCueText(text: string): string {
  // Lectern's own line breaks (`wrapCueLines`) are kept; each line is folded on its own.
  return text
    .split("\n")
    .map((line) => oneLineText(line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .filter((line) => line !== "")
    .join("\n");
}

/** How long and how wide a cue may be. */
export interface CueLimits {
  /** Characters per line. */
  readonly lineLength: number;
  /** Lines per cue. */
  readonly lines: number;
  /** Seconds a cue stays up, at most (unless one word takes longer). */
  readonly seconds: number;
}

/** Two lines of 42 characters, 7 seconds: the common broadcast and streaming guideline. */
export const defaultCueLimits: CueLimits = { lineLength: 42, lines: 2, seconds: 7 };

/**
 * Converts sentence timings (in samples of the synthesized audio) into cues on the track's
 * timeline: `offsetSamples` is added (the encoder's start delay minus trimmed silence), times are
 * clamped into the track and kept in order. A sentence longer than a cue allows is cut into
 * several (`splitSentence`), timed by the engine's word events inside it.
 */
export function sentenceCues(
  sentences: readonly TimedText[],
  sampleRate: number,
  offsetSamples: number,
  durationSeconds: number,
  words: readonly TimedText[] = [],
  limits: CueLimits = defaultCueLimits,
): Cue[] {
  const cues: Cue[] = [];
  const seconds = (samples: number): number => Math.min(durationSeconds, (samples + offsetSamples) / sampleRate);
  let previousEnd = 0;
  let wordIndex = 0;
  for (const sentence of sentences) {
    const text = oneLineText(sentence.text.trim());
    // Nothing to show once folded to one line (only controls): no empty cue.
    if (text === "") continue;
    while (wordIndex < words.length && words[wordIndex]!.start < sentence.start) wordIndex++;
    const inside: TimedText[] = [];
    for (let index = wordIndex; index < words.length && words[index]!.start < sentence.end; index++) inside.push(words[index]!);
    // Cut to the track first: the part past its end is never shown, so it does not count.
    const sentenceEnd = Math.min(sentence.end, durationSeconds * sampleRate - offsetSamples);
    for (const piece of splitSentence(text, sentence.start, Math.max(sentence.start, sentenceEnd), inside, sampleRate, limits)) {
      const start = Math.max(previousEnd, seconds(piece.start));
      const end = seconds(piece.end);
      if (end - start < 0.001) continue;
      cues.push({ start, end, text: wrapCueLines(piece.text, limits) });
      previousEnd = end;
    }
  }
  return cues;
}

interface TimedPiece {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts one written sentence into pieces that fit a cue: each at most `lines × lineLength`
 * characters and `seconds` long, ending where a reader pauses — after a sentence, then after a
 * clause (`,;:` or a dash), then between words — and never inside quotation marks when a cut
 * outside them is possible. Times come from the engine's word events: a cut after a fraction
 * of the written text falls at the spoken word that starts nearest the same fraction of the
 * spoken text ("20,000" is spoken "twenty thousand"; fractions keep the two in step).
 */
export function splitSentence(text: string, start: number, end: number, words: readonly TimedText[], sampleRate: number, limits: CueLimits): TimedPiece[] {
  const maxCharacters = limits.lines * limits.lineLength;
  const maxSamples = limits.seconds * sampleRate;
  if (fitsCue(text, limits) && end - start <= maxSamples) return [{ text, start, end }];
  const tokens = text.split(" ").filter((token) => token !== "");
  // Written fraction → time: at the spoken word starting nearest that fraction of the spoken text.
  const spokenTotal = words.reduce((sum, word) => sum + word.text.length + 1, 0);
  const spokenFraction: number[] = [];
  let spokenSoFar = 0;
  for (const word of words) {
    spokenFraction.push(spokenTotal > 0 ? spokenSoFar / spokenTotal : 0);
    spokenSoFar += word.text.length + 1;
  }
  const wordKey = (word: string): string => word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  // The time a piece ending at `fraction` of the written text ends: the start of the spoken word
  // that is the next written word (the same word, in the occurrence nearest that share of the
  // spoken text), else of the spoken word nearest that share (a number spoken as words).
  const timeAt = (fraction: number, nextToken?: string): number => {
    if (fraction <= 0) return start;
    if (fraction >= 1) return end;
    if (words.length < 2) return start + fraction * (end - start);
    const key = nextToken === undefined ? "" : wordKey(nextToken);
    let best: number | undefined;
    const nearer = (index: number): boolean => best === undefined || Math.abs(spokenFraction[index]! - fraction) < Math.abs(spokenFraction[best]! - fraction);
    if (key !== "") for (let index = 1; index < words.length; index++) if (wordKey(words[index]!.text) === key && nearer(index)) best = index;
    // A match far from where it should be is another occurrence of a common word: not trusted.
    if (best !== undefined && Math.abs(spokenFraction[best]! - fraction) > 0.15) best = undefined;
    if (best === undefined) for (let index = 1; index < words.length; index++) if (nearer(index)) best = index;
    return Math.min(end, Math.max(start, words[best!]!.start));
  };
  // Character offset where each token ends (tokens joined by one space), and whether a cut
  // after it would fall inside quotation marks.
  const ends: number[] = [];
  const quoted = insideQuotes(tokens);
  let offset = 0;
  for (const token of tokens) {
    offset += (offset === 0 ? 0 : 1) + token.length;
    ends.push(offset);
  }
  const total = offset;
  const pieces: TimedPiece[] = [];
  let first = 0;
  let pieceStart = start;
  while (first < tokens.length) {
    const before = first === 0 ? 0 : ends[first - 1]! + 1;
    const pieceText = (last: number): string => tokens.slice(first, last + 1).join(" ");
    // The last token that still fits; at least one token, however long.
    let last = first;
    for (let index = first + 1; index < tokens.length; index++) {
      const time = timeAt(ends[index]! / total, tokens[index + 1]) - pieceStart;
      if (!fitsCue(pieceText(index), limits) || time > maxSamples) break;
      last = index;
    }
    if (last < tokens.length - 1) {
      // As many pieces as the rest needs, of even length: no two-word cue left at the end.
      const remaining = total - before;
      const count = Math.max(Math.ceil(remaining / maxCharacters), Math.ceil((end - pieceStart) / maxSamples), 2);
      last = bestCut(tokens, quoted, first, last, (index) => ends[index]! - before, remaining / count);
    }
    const pieceEnd = last === tokens.length - 1 ? end : timeAt((ends[last]! + 1) / total, tokens[last + 1]);
    pieces.push({ text: pieceText(last), start: pieceStart, end: Math.max(pieceStart, pieceEnd) });
    pieceStart = Math.max(pieceStart, pieceEnd);
    first = last + 1;
  }
  return pieces;
}

/**
 * Where to end a piece that may run from token `first` to `last`: nearest the ideal length,
 * with a sentence end counting as half the ideal nearer and a clause end (`,;:` or before a
 * dash) as a third; outside quotation marks whenever any cut is.
 */
function bestCut(tokens: readonly string[], quoted: readonly boolean[], first: number, last: number, length: (index: number) => number, ideal: number): number {
  const indices = Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
  const unquoted = indices.filter((index) => !quoted[index]);
  let best = last;
  let bestScore = Infinity;
  for (const index of unquoted.length > 0 ? unquoted : indices) {
    const token = tokens[index]!;
    const bonus = /[.!?…]["'”’»)]*$/.test(token) ? 0.5 : /[,;:]["'”’»)]*$/.test(token) || /^[—–-]$/.test(tokens[index + 1] ?? "") ? 0.33 : 0;
    const score = Math.abs(length(index) - ideal) / ideal - bonus;
    if (score < bestScore) [best, bestScore] = [index, score];
  }
  return best;
}

/** Whether text fits one cue: wrapped between words into at most `lines` lines of `lineLength`. */
function fitsCue(text: string, limits: CueLimits): boolean {
  let lines = 1;
  let width = 0;
  for (const word of text.split(" ")) {
    if (word.length > limits.lineLength) return false;
    if (width === 0) width = word.length;
    else if (width + 1 + word.length <= limits.lineLength) width += 1 + word.length;
    else {
      lines++;
      width = word.length;
    }
  }
  return lines <= limits.lines;
}

/**
 * For each token, whether the text after it is inside quotation marks: straight double quotes
 * toggle; “ ” « » and German „ “ open and close.
 */
function insideQuotes(tokens: readonly string[]): boolean[] {
  const inside: boolean[] = [];
  const stack: string[] = [];
  for (const token of tokens) {
    for (const character of token) {
      if (character === '"') {
        if (stack.at(-1) === '"') stack.pop();
        else stack.push('"');
      } else if (character === "„" || character === "«") stack.push(character);
      else if (character === "“") {
        if (stack.at(-1) === "„") stack.pop();
        else stack.push("“");
      } else if (character === "”" && stack.at(-1) === "“") stack.pop();
      else if (character === "»" && stack.at(-1) === "«") stack.pop();
    }
    inside.push(stack.length > 0);
  }
  return inside;
}

/**
 * A piece of cue text on at most `limits.lines` lines: one line when it fits, else two lines
 * broken between words as evenly as the words allow (balanced lines read best). A piece that
 * cannot fit two lines (one word longer than a line) is wrapped greedily.
 */
export function wrapCueLines(text: string, limits: CueLimits): string {
  if (text.length <= limits.lineLength || limits.lines < 2) return text;
  let best: number | undefined;
  for (let index = text.indexOf(" "); index >= 0; index = text.indexOf(" ", index + 1)) {
    if (Math.max(index, text.length - index - 1) > limits.lineLength) continue;
    if (best === undefined || Math.abs(text.length / 2 - index) < Math.abs(text.length / 2 - best)) best = index;
  }
  if (best !== undefined) return `${text.slice(0, best)}\n${text.slice(best + 1)}`;
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const lastLine = lines.at(-1);
    if (lastLine !== undefined && lastLine.length + 1 + word.length <= limits.lineLength) lines[lines.length - 1] = `${lastLine} ${word}`;
    else lines.push(word);
  }
  return lines.join("\n");
}

/** A WebVTT file (W3C WebVTT §4) with numbered cues; the header's text is one line and never holds `-->` (§4.1). */
export function webVtt(cues: readonly Cue[], title?: string): string {
  const headerText = title === undefined ? "" : oneLineText(oneLineText(title).replace(/-->/g, " "));
  const header = headerText ? `WEBVTT - ${headerText}` : "WEBVTT";
  const blocks = cues.map((cue, index) => `${index + 1}\n${vttTimestamp(cue.start)} --> ${vttTimestamp(cue.end)}\n${escapeCueText(cue.text)}`);
  return `${[header, ...blocks].join("\n\n")}\n`;
}

/**
 * What each utterance's captions say and when, from the utterance spans the engine measured
 * (one per utterance, by construction) and the utterance's written sentences: the reader sees
 * "20,000" and "U.S." where the voice says "twenty thousand" and "U S". An utterance holding
 * several written sentences has its span cut among them at the spoken words nearest each
 * sentence's share of the written text. An utterance without written text (Lectern's own
 * announcements) shows what is said. The result is in the spans' timeline, for `sentenceCues`.
 */
export function utteranceCaptions(
  spans: readonly { readonly start: number; readonly end: number }[],
  utterances: readonly { readonly caption?: readonly string[]; readonly segments: readonly { readonly text: string }[] }[],
  words: readonly TimedText[] = [],
): TimedText[] {
  const result: TimedText[] = [];
  spans.forEach((span, index) => {
    const utterance = utterances[index];
    if (!utterance || span.end <= span.start) return;
    const written = utterance.caption?.length ? utterance.caption : [utterance.segments.map((segment) => segment.text).join(" ")];
    const inside = words.filter((word) => word.utterance === index && word.start >= span.start && word.start < span.end);
    const cuts = cutSpan(written, span, inside);
    written.forEach((text, sentence) => result.push({ start: cuts[sentence]!, end: cuts[sentence + 1]!, text, utterance: index }));
  });
  return result;
}

/**
 * Where each of `written`'s sentences starts in `span`, and where the last ends (length + 1
 * times): the span's start, then for each later sentence the start of the spoken word nearest
 * that sentence's share of the written text (spoken and written lengths differ, their shares
 * stay in step), else that share of the span; never going back.
 */
function cutSpan(written: readonly string[], span: { readonly start: number; readonly end: number }, words: readonly TimedText[]): number[] {
  const cuts = [span.start];
  const writtenTotal = written.reduce((sum, text) => sum + text.length + 1, 0);
  const spokenTotal = words.reduce((sum, word) => sum + word.text.length + 1, 0);
  const spokenShare: number[] = [];
  let spokenSoFar = 0;
  for (const word of words) {
    spokenShare.push(spokenSoFar / spokenTotal);
    spokenSoFar += word.text.length + 1;
  }
  let writtenSoFar = 0;
  for (let sentence = 1; sentence < written.length; sentence++) {
    writtenSoFar += written[sentence - 1]!.length + 1;
    const share = writtenSoFar / writtenTotal;
    let at = span.start + Math.round(share * (span.end - span.start));
    if (words.length >= 2) {
      let best = 1;
      for (let index = 2; index < words.length; index++) if (Math.abs(spokenShare[index]! - share) < Math.abs(spokenShare[best]! - share)) best = index;
      at = words[best]!.start;
    }
    cuts.push(Math.min(span.end, Math.max(cuts.at(-1)!, at)));
  }
  cuts.push(span.end);
  return cuts;
}
