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
 * The clips of one track: each unit's stretch of it in whole milliseconds, from the utterance
 * spans (in samples, `offsetSamples` added: the captions' timeline). Adjacent utterances of one
 * id make one clip; an utterance without id makes none of its own. The clips tile the track:
 * each runs from where its speech starts (the first from the track's start) to where the next
 * one's starts (the last to the track's end), because a media-overlay player plays only the
 * clips: with gaps it would skip every pause between sentences and any speech outside them.
 * A clip left with no length is dropped. Rounding happens once, here, on integers: a SMIL
 * clock value written from these never shows a carry such as `0:00:60.000`.
 */
export function trackClips(spans: readonly UtteranceSpan[], ids: readonly (string | undefined)[], sampleRate: number, durationMs: number, offsetSamples = 0): AudioClip[] {
  const toMs = (samples: number): number => Math.min(durationMs, Math.max(0, Math.round(((samples + offsetSamples) * 1000) / sampleRate)));
  const starts: { id: string; startMs: number }[] = [];
  spans.forEach((span, index) => {
    const id = ids[index];
    if (id === undefined || (index > 0 && ids[index - 1] === id)) return;
    starts.push({ id, startMs: toMs(span.start) });
  });
  const clips: AudioClip[] = [];
  let previousEnd = 0;
  starts.forEach(({ id }, index) => {
    const beginMs = previousEnd;
    const endMs = Math.max(beginMs, index + 1 < starts.length ? starts[index + 1]!.startMs : durationMs);
    if (endMs <= beginMs) return;
    const last = clips.at(-1);
    // One id twice in a row (its utterances parted by one of another section's kind): one clip.
    if (last?.id === id) clips[clips.length - 1] = { id, beginMs: last.beginMs, endMs };
    else clips.push({ id, beginMs, endMs });
    previousEnd = endMs;
  });
  return clips;
}

/** A decoded stream's length in whole milliseconds, rounded down so that every clip clamped to it is inside the audio. */
export function durationMsOf(samples: number, sampleRate: number): number {
  return Math.floor((samples * 1000) / sampleRate);
}

/** The parts of an encoded track that say where a player's time 0 is and how long it plays. */
type TrackTimeline = Pick<EncodedTrack, "sampleRate" | "frameCount" | "header" | "speechSamples" | "startOffsetSamples">;

/**
 * The timeline a player plays a track on, which its captions and clips share. The Info frame
 * tells gapless players (Chromium, so Thorium; FFmpeg; Apple's) to skip the encoder's delay,
 * so their time 0 is `startOffsetSamples` into the decoded stream and they play
 * `speechSamples` (measured: Chromium reports the gapless duration, to the sample); without
 * that tag, every decoded sample plays.
 */
export function playedTimeline(track: TrackTimeline): { readonly offsetSamples: number; readonly samples: number } {
  const gapless = track.startOffsetSamples > 0;
  return { offsetSamples: gapless ? track.startOffsetSamples : 0, samples: gapless ? track.speechSamples : track.frameCount * track.header.samples };
}

/** The clips of an encoded track voicing `utterances` (their `id`s), on the timeline a player plays (`playedTimeline`), as the captions are. */
export function encodedTrackClips(
  track: TrackTimeline & Pick<EncodedTrack, "utterances">,
  utterances: readonly { readonly id?: string }[],
  where: { readonly section: number; readonly path: string },
): AudioTrackClips {
  const played = playedTimeline(track);
  const durationMs = durationMsOf(played.samples, track.sampleRate);
  // `EncodedTrack.utterances` are in samples of the decoded stream (encoder delay included, trimmed silence taken off).
  const clips = trackClips(
    track.utterances,
    utterances.map((utterance) => utterance.id),
    track.sampleRate,
    durationMs,
    -played.offsetSamples,
  );
  return { section: where.section, path: where.path, durationMs, clips };
}
