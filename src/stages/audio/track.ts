// One section's track: speech from the engine → mastered, encoded MPEG frames with each
// utterance's span and the spoken words on the track's timeline; cached by everything that
// determines the result.
import type { ContentCache } from "../../cache/content-cache.js";
import { type Guard, isArrayOf, isFiniteNumber, isNonNegativeInteger, isObjectOf, isString, optional } from "../../cache/record-shape.js";
import type { MasteredSpeech, SynthesizedSpeech, TimedText, UtteranceSpan } from "../../tts/engine.js";
import type { AudioWorkerPool } from "../../tts/worker-pool.js";
import { decodeMp3 } from "../../audio/mp3-decode.js";
import { decoderStartOffset, type FrameHeader, scanFrames } from "../../audio/mp3-frames.js";

/** How tracks are mastered and encoded. Every value is recorded in the manifest. */
export interface MasteringSettings {
  /** CBR bitrate in kbps. Default 48: transparent for one voice, a sixth of music's usual size. */
  readonly bitrate: 48;
  /** Integrated loudness target, LUFS. Default −16 (the podcast/audiobook norm for mobile listening). */
  readonly targetLufs: number;
  /** True-peak ceiling, dBTP. Default −1 (headroom for lossy decoding overshoot). */
  readonly ceilingDbtp: number;
  /** Silence kept before the first sound and after the last, ms: a natural pause at track edges. */
  readonly leadMs: number;
  readonly tailMs: number;
}

export const defaultMastering: MasteringSettings = { bitrate: 48, targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 };

export interface Loudness {
  readonly measuredLufs: number;
  readonly integratedLufs: number;
  readonly truePeakDbtp: number;
  readonly gainDb: number;
}

export interface EncodedTrack {
  /** MPEG audio frames, without tags or Info frame. */
  readonly frames: Uint8Array;
  readonly header: FrameHeader;
  readonly frameCount: number;
  readonly sampleRate: number;
  /** Samples of speech (what a gapless player plays): the track's duration. */
  readonly speechSamples: number;
  /** Where speech starts in the decoded stream: the encoder's delay (1,105 samples for LAME at 22.05 kHz). */
  readonly startOffsetSamples: number;
  /**
   * Each utterance's speech, one span per utterance the engine was given, in samples of the
   * decoded stream (start offset included): the captions and the talking book's clips.
   */
  readonly utterances: readonly UtteranceSpan[];
  /** The engine's spoken words, in samples of the decoded stream: they time the cues a long sentence is cut into. */
  readonly words?: readonly TimedText[];
  readonly loudness?: Loudness;
}

interface CachedTrackMeta {
  readonly speechSamples: number;
  readonly startOffsetSamples: number;
  readonly utterances: UtteranceSpan[];
  readonly words?: TimedText[];
  readonly loudness?: Loudness;
}

const isTimedText: Guard<TimedText> = isObjectOf({ start: isFiniteNumber, end: isFiniteNumber, text: isString, utterance: isNonNegativeInteger });

const isSpan: Guard<UtteranceSpan> = isObjectOf({ start: isNonNegativeInteger, end: isNonNegativeInteger });

/**
 * Spans as Lectern writes them: `count` of them (one per utterance of the track's key), each
 * starting where it ends or before, none before the one ahead of it ends. A record that says
 * otherwise was not written by us, and clips computed from it would break the SMIL's order.
 */
function isSpanList(count: number): Guard<UtteranceSpan[]> {
  const isList = isArrayOf(isSpan);
  return (value): value is UtteranceSpan[] =>
    isList(value) && value.length === count && value.every((span, index) => span.start <= span.end && (index === 0 || value[index - 1]!.end <= span.start));
}

/** A cached track's meta is read back from disk: its shape is checked, never assumed. */
function isCachedTrackMeta(utteranceCount: number): Guard<CachedTrackMeta> {
  return isObjectOf({
    speechSamples: isNonNegativeInteger,
    startOffsetSamples: isNonNegativeInteger,
    utterances: isSpanList(utteranceCount),
    words: optional(isArrayOf(isTimedText)),
    loudness: optional(isObjectOf({ measuredLufs: isFiniteNumber, integratedLufs: isFiniteNumber, truePeakDbtp: isFiniteNumber, gainDb: isFiniteNumber })),
  });
}

function shift<T extends UtteranceSpan>(timings: readonly T[], by: number): T[] {
  return timings.map((timing) => ({ ...timing, start: Math.max(0, timing.start + by), end: Math.max(0, timing.end + by) }));
}

/**
 * Masters and frames one section's speech. MP3 from an engine that only sends MP3 (Edge) is
 * decoded first, so every track gets the same loudness, true-peak ceiling and silence trimming.
 */
export async function encodeTrack(speech: SynthesizedSpeech, pool: AudioWorkerPool, mastering: MasteringSettings, signal?: AbortSignal): Promise<EncodedTrack> {
  if (speech.kind === "mp3") {
    const { samples, sampleRate } = await decodeMp3(speech.frames);
    // Word timings are already in samples of the decoded stream.
    return encodeTrack({ kind: "pcm", samples, sampleRate, words: speech.words, sentences: speech.sentences, utterances: speech.utterances }, pool, mastering, signal);
  }
  const reply = await pool.run("masterAndEncode", { samples: speech.samples, sampleRate: speech.sampleRate, ...mastering }, [speech.samples.buffer as ArrayBuffer], signal);
  return masteredTrack({ ...reply, sampleRate: speech.sampleRate, words: speech.words, sentences: speech.sentences, utterances: speech.utterances });
}

/** A track from speech the engine mastered and encoded itself (`SpeechEngine.synthesizeMastered`). */
export function masteredTrack(speech: MasteredSpeech): EncodedTrack {
  const scan = scanFrames(speech.mp3);
  return {
    frames: scan.frames,
    header: scan.first,
    frameCount: scan.frameCount,
    sampleRate: speech.sampleRate,
    speechSamples: speech.sampleCount,
    startOffsetSamples: decoderStartOffset,
    // Timings were in the untrimmed signal; the decoded stream starts `decoderStartOffset` late.
    utterances: shift(speech.utterances, decoderStartOffset - speech.trimmedStart),
    words: shift(speech.words, decoderStartOffset - speech.trimmedStart),
    loudness: { measuredLufs: speech.measuredLufs, integratedLufs: speech.integratedLufs, truePeakDbtp: speech.truePeakDbtp, gainDb: speech.gainDb },
  };
}

/** The cached track for `key` (whose speech has `utteranceCount` utterances), if any. */
export async function cachedTrack(cache: ContentCache | undefined, key: string, utteranceCount: number): Promise<EncodedTrack | undefined> {
  if (!cache) return undefined;
  const entry = await cache.get(key, isCachedTrackMeta(utteranceCount));
  if (!entry) return undefined;
  try {
    const scan = scanFrames(new Uint8Array(entry.data));
    return {
      frames: scan.frames,
      header: scan.first,
      frameCount: scan.frameCount,
      sampleRate: scan.first.sampleRate,
      speechSamples: entry.meta.speechSamples,
      startOffsetSamples: entry.meta.startOffsetSamples,
      utterances: entry.meta.utterances,
      ...(entry.meta.words ? { words: entry.meta.words } : {}),
      ...(entry.meta.loudness ? { loudness: entry.meta.loudness } : {}),
    };
  } catch {
    return undefined;
  }
}

export async function storeTrack(cache: ContentCache | undefined, key: string, track: EncodedTrack): Promise<void> {
  if (!cache) return;
  const meta: CachedTrackMeta = {
    speechSamples: track.speechSamples,
    startOffsetSamples: track.startOffsetSamples,
    utterances: [...track.utterances],
    ...(track.words ? { words: [...track.words] } : {}),
    ...(track.loudness ? { loudness: track.loudness } : {}),
  };
  await cache.put(key, track.frames, meta);
}
