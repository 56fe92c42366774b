// The messages between the main thread (worker-pool.ts) and the audio worker (audio-worker.mjs):
// one table of job kinds, each with what it is sent and what it replies. Types only; the worker
// reads them through JSDoc `import()`, so it stays plain JavaScript that loads unchanged under
// tsx, vitest and compiled dist/.
import type { EngineUtterance, MasteringRequest, TimedText, UtteranceSpan } from "./engine.js";

/** An utterance as the worker receives it: segments of text, each in one language. */
export type UtteranceInput = EngineUtterance;

export interface SynthesisJob {
  readonly utterances: readonly UtteranceInput[];
  /** espeak voice identifier; absent: the best voice for `language`. */
  readonly voice?: string | undefined;
  readonly language: string;
  /** Words per minute. */
  readonly rate: number;
}

/** Synthesized mono 16-bit PCM; timings in samples of it. */
export interface SynthesisResult {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly words: TimedText[];
  readonly sentences: TimedText[];
  /** Each input utterance's speech (without its pause), in samples of the same timeline. */
  readonly utterances: UtteranceSpan[];
  readonly voice: string;
}

/** Loudness of the encoded file as a listener hears it (decoded), and the gain that got it there. */
export interface EncodedLoudness {
  readonly measuredLufs: number;
  readonly integratedLufs: number;
  readonly truePeakDbtp: number;
  readonly gainDb: number;
  /** The limiter margin the kept try used (dB under the ceiling). */
  readonly limiterMarginDb: number;
  /** Still over the ceiling after the second try; the stage reports it. */
  readonly overCeiling: boolean;
}

interface MasteringSettings extends Omit<MasteringRequest, "bitrate"> {
  readonly bitrate: number;
  /** Overrides the first try's margin under the ceiling (tests). */
  readonly limiterMarginDb?: number;
}

export interface TrackJob extends SynthesisJob, MasteringSettings {}

export interface EncodedTrackResult extends EncodedLoudness {
  readonly mp3: Uint8Array;
  readonly sampleRate: number;
  readonly sampleCount: number;
  readonly trimmedStart: number;
  readonly words: TimedText[];
  readonly sentences: TimedText[];
  /** Each input utterance's speech (without its pause), in samples of the same timeline. */
  readonly utterances: UtteranceSpan[];
  readonly voice: string;
}

export interface MasteringJob extends MasteringSettings {
  readonly samples: Int16Array | Float32Array;
  readonly sampleRate: number;
}

export interface MasteredResult extends EncodedLoudness {
  readonly mp3: Uint8Array;
  readonly sampleCount: number;
  readonly trimmedStart: number;
}

export interface VoicesResult {
  readonly voices: { readonly name: string; readonly identifier: string; readonly languages: readonly { readonly priority: number; readonly name: string }[] }[];
  readonly sampleRate: number;
}

export interface WorkerMemory {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
  readonly wasm: { readonly espeak: number };
}

/** Every job the worker runs: what it is sent, what it replies. */
export interface AudioJobs {
  /** Speech only, as PCM (the stage masters it, or a test reads it). */
  synthesize: { job: SynthesisJob; result: SynthesisResult };
  /** Speech mastered and encoded without the PCM leaving the worker. */
  synthesizeAndEncode: { job: TrackJob; result: EncodedTrackResult };
  /** Another engine's PCM (Edge, decoded) mastered and encoded. */
  masterAndEncode: { job: MasteringJob; result: MasteredResult };
  voices: { job: Record<string, never>; result: VoicesResult };
  /** Instantiates the WASM modules now. */
  warm: { job: Record<string, never>; result: Record<string, never> };
  memory: { job: Record<string, never>; result: WorkerMemory };
}

export type AudioJobKind = keyof AudioJobs;

/** main thread → worker */
export type AudioJobRequest = { [K in AudioJobKind]: { readonly id: number; readonly kind: K; readonly job: AudioJobs[K]["job"] } }[AudioJobKind];

/** worker → main thread: the job's result, or its error's message. */
export type AudioJobReply =
  | { readonly id: number; readonly ok: true; readonly result: AudioJobs[AudioJobKind]["result"] }
  | { readonly id: number; readonly ok: false; readonly error: string };
