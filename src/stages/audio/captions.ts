// WebVTT captions: one cue per spoken sentence, timed from the engine's sentence events.
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
  return oneLineText(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

/**
 * Converts sentence timings (in samples of the synthesized audio) into cues on the track's
 * timeline: `offsetSamples` is added (the encoder's start delay minus trimmed silence), times are
 * clamped into the track and kept in order.
 */
export function sentenceCues(sentences: readonly TimedText[], sampleRate: number, offsetSamples: number, durationSeconds: number): Cue[] {
  const cues: Cue[] = [];
  let previousEnd = 0;
  for (const sentence of sentences) {
    const text = sentence.text.trim();
    // Nothing to show once folded to one line (only controls): no empty cue.
    if (oneLineText(text) === "") continue;
    const start = Math.max(previousEnd, Math.min(durationSeconds, (sentence.start + offsetSamples) / sampleRate));
    const end = Math.min(durationSeconds, (sentence.end + offsetSamples) / sampleRate);
    if (end - start < 0.001) continue;
    cues.push({ start, end, text });
    previousEnd = end;
  }
  return cues;
}

/** A WebVTT file (W3C WebVTT §4) with numbered cues; the header's text is one line and never holds `-->` (§4.1). */
export function webVtt(cues: readonly Cue[], title?: string): string {
  const headerText = title === undefined ? "" : oneLineText(oneLineText(title).replace(/-->/g, " "));
  const header = headerText ? `WEBVTT - ${headerText}` : "WEBVTT";
  const blocks = cues.map((cue, index) => `${index + 1}\n${vttTimestamp(cue.start)} --> ${vttTimestamp(cue.end)}\n${escapeCueText(cue.text)}`);
  return `${[header, ...blocks].join("\n\n")}\n`;
}

/**
 * Puts the document's own words into the engine's sentence timings. The engine times the
 * normalised speech ("twenty thousand", "U S"); each utterance also carries its written
 * sentences. Where the engine found as many sentences in an utterance as the text has, each
 * takes its written text; where the text is one sentence, the engine's pieces become one cue;
 * otherwise the engine's own text is kept (timing matters more than wording).
 */
export function withWrittenText(sentences: readonly TimedText[], utterances: readonly { readonly caption?: readonly string[] }[]): TimedText[] {
  const byUtterance = new Map<number, TimedText[]>();
  for (const sentence of sentences) {
    const group = byUtterance.get(sentence.utterance) ?? [];
    group.push(sentence);
    byUtterance.set(sentence.utterance, group);
  }
  const result: TimedText[] = [];
  for (const [utterance, group] of [...byUtterance].sort((a, b) => a[0] - b[0])) {
    const written = utterances[utterance]?.caption;
    if (written && written.length === group.length) {
      group.forEach((sentence, index) => result.push({ ...sentence, text: written[index]! }));
    } else if (written && written.length === 1) {
      result.push({ start: group[0]!.start, end: group.at(-1)!.end, text: written[0]!, utterance });
    } else {
      result.push(...group);
    }
  }
  return result;
}
