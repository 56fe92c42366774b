// Where each sentence sounds in its track: the audio stage's data for the stages that need it
// (the talking EPUB's media overlays), from the utterance spans the engine measured.
import type { EngineDescription, UtteranceSpan } from "../../tts/engine.js";
import type { EncodedTrack } from "./track.js";

/** One sentence (or unit) id and where it sounds in its track, in whole milliseconds. */
export interface AudioClip {
  readonly id: string;
  readonly beginMs: number;
  readonly endMs: number;
}

export interface AudioTrackClips {
  /** `Section.index` of the section the track reads. */
  readonly section: number;
  /** The MP3, relative to the output folder (`audio/NN-slug.mp3`). */
  readonly path: string;
  /** How long a player plays the track (gapless: the speech, without the encoder's delay), from our own sample count, in whole ms (rounded down). */
  readonly durationMs: number;
  /** In document order, strictly increasing, non-overlapping, inside [0, durationMs], none of zero length; integer ms. */
  readonly clips: readonly AudioClip[];
}

/** The audio stage's `StageResult.data`. */
export interface AudioData {
  /** Who reads: "eSpeak NG, synthetic voice (gmw/en-US)" — what the talking EPUB's media:narrator says. */
  readonly narrator: string;
  readonly tracks: readonly AudioTrackClips[];
}

/** The narrator as a listener should be told it: the engine, that the voice is synthetic, and which voice. */
export function narratorOf(engine: EngineDescription): string {
  switch (engine.engine) {
    case "espeak":
      return `eSpeak NG, synthetic voice (${engine.voice})`;
    case "edge":
      return `Microsoft Edge neural voice, synthetic (${engine.voice})`;
  }
}

/**
 * The clips of one track: each utterance's span (in samples, `offsetSamples` added: the same
 * timeline and offset as the track's captions) in whole milliseconds. Adjacent utterances
 * of one id make one clip; an utterance without id (an announcement the text does not show)
 * makes none. Times are clamped into [0, durationMs] and each clip starts no earlier than the
 * one before ends; a clip left with no length is dropped. Rounding happens once, here, on
 * integers: a SMIL clock value written from these never shows a carry such as `0:00:60.000`.
 */
export function trackClips(spans: readonly UtteranceSpan[], ids: readonly (string | undefined)[], sampleRate: number, durationMs: number, offsetSamples = 0): AudioClip[] {
  const toMs = (samples: number): number => Math.min(durationMs, Math.max(0, Math.round(((samples + offsetSamples) * 1000) / sampleRate)));
  const merged: { id: string; start: number; end: number; lastIndex: number }[] = [];
  spans.forEach((span, index) => {
    const id = ids[index];
    if (id === undefined) return;
    const last = merged.at(-1);
    // Adjacent utterances only: an announcement between two parts of one id ends the first clip.
    if (last && last.id === id && last.lastIndex === index - 1) {
      last.end = Math.max(last.end, span.end);
      last.lastIndex = index;
    } else merged.push({ id, start: span.start, end: span.end, lastIndex: index });
  });
  const clips: AudioClip[] = [];
  let previousEnd = 0;
  for (const { id, start, end } of merged) {
    const beginMs = Math.max(previousEnd, toMs(start));
    const endMs = toMs(end);
    if (endMs <= beginMs) continue;
    clips.push({ id, beginMs, endMs });
    previousEnd = endMs;
  }
  return clips;
}

/** A decoded stream's length in whole milliseconds, rounded down so that every clip clamped to it is inside the audio. */
export function durationMsOf(samples: number, sampleRate: number): number {
  return Math.floor((samples * 1000) / sampleRate);
}

/**
 * The clips of an encoded track voicing `utterances` (their `id`s), on the timeline a player
 * plays, as the captions are: with the Info frame's gapless tag (`startOffsetSamples` > 0) a
 * player skips the encoder's delay and plays `speechSamples`; without it, every decoded sample.
 */
export function encodedTrackClips(
  track: Pick<EncodedTrack, "utterances" | "sampleRate" | "frameCount" | "header" | "speechSamples" | "startOffsetSamples">,
  utterances: readonly { readonly id?: string }[],
  where: { readonly section: number; readonly path: string },
): AudioTrackClips {
  const gapless = track.startOffsetSamples > 0;
  const durationMs = durationMsOf(gapless ? track.speechSamples : track.frameCount * track.header.samples, track.sampleRate);
  // `EncodedTrack.utterances` are in samples of the decoded stream (encoder delay included, trimmed silence taken off).
  const clips = trackClips(
    track.utterances,
    utterances.map((utterance) => utterance.id),
    track.sampleRate,
    durationMs,
    gapless ? -track.startOffsetSamples : 0,
  );
  return { section: where.section, path: where.path, durationMs, clips };
}
