// The speech-engine interface: utterances in, audio and word/sentence timings out.
//
// Kept free of any engine's implementation so stage options can name an engine cheaply.

/** Engines Lectern ships: `espeak` runs offline from npm packages; `edge` needs the network. */
export type EngineName = "espeak" | "edge";

export const engineNames: readonly EngineName[] = ["espeak", "edge"];

/** A run of text in one language (BCP 47), already normalised for speech. */
export interface EngineSegment {
  readonly text: string;
  readonly language: string;
}

/** One thing said, then `pauseAfterMs` of silence. */
export interface EngineUtterance {
  readonly segments: readonly EngineSegment[];
  readonly pauseAfterMs: number;
}

/** A word or sentence and where it sounds, in samples from the start of the synthesized audio. */
export interface TimedText {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Index of the utterance it belongs to. */
  readonly utterance: number;
}

/**
 * Where one input utterance's speech sounds, in samples on the same timeline as `words` and
 * `sentences`: from where its first segment's audio starts to where its last one's ends, its
 * pause after excluded. The engine knows this by construction (the audio it wrote for that
 * utterance), so clips and captions never pair events with utterances by count.
 */
export interface UtteranceSpan {
  readonly start: number;
  readonly end: number;
}

/** Raw speech: mono 16-bit PCM (value / 32768) the stage masters (loudness, trimming) and encodes itself. */
export interface PcmSpeech {
  readonly kind: "pcm";
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly words: readonly TimedText[];
  readonly sentences: readonly TimedText[];
  /** One span per input utterance, in input order. */
  readonly utterances: readonly UtteranceSpan[];
}

/**
 * Speech the engine delivers already encoded as MPEG audio frames (Edge sends MP3 only: the
 * service refuses PCM formats), with timings in samples of the decoded stream.
 */
export interface Mp3Speech {
  readonly kind: "mp3";
  /** MPEG audio frames only, no ID3 tags. */
  readonly frames: Uint8Array;
  readonly sampleRate: number;
  readonly words: readonly TimedText[];
  readonly sentences: readonly TimedText[];
  /** One span per input utterance, in input order. */
  readonly utterances: readonly UtteranceSpan[];
}

export type SynthesizedSpeech = PcmSpeech | Mp3Speech;

/** What the manifest and the ID3 tags record about the engine. */
export interface EngineDescription {
  readonly engine: EngineName;
  /** Resolved voice (`gmw/en-US`, `en-US-AriaNeural`). */
  readonly voice: string;
  /** Engine settings that change the sound (rate, output format…). */
  readonly settings: Readonly<Record<string, string | number>>;
}

/** How an engine that masters its own PCM (espeak) is asked to: the stage's mastering settings. */
export interface MasteringRequest {
  readonly bitrate: 48;
  readonly targetLufs: number;
  readonly ceilingDbtp: number;
  readonly leadMs: number;
  readonly tailMs: number;
}

/** Speech already mastered and MP3-encoded by the engine, with what mastering measured. */
export interface MasteredSpeech {
  /** The encoder's whole output: MPEG audio frames, no tags. */
  readonly mp3: Uint8Array;
  readonly sampleRate: number;
  /** Samples of mastered (trimmed) speech that were encoded. */
  readonly sampleCount: number;
  /** Samples cut from the start of the synthesized audio; timings below are before the cut. */
  readonly trimmedStart: number;
  readonly measuredLufs: number;
  readonly integratedLufs: number;
  readonly truePeakDbtp: number;
  readonly gainDb: number;
  readonly words: readonly TimedText[];
  readonly sentences: readonly TimedText[];
  /** One span per input utterance, in input order. */
  readonly utterances: readonly UtteranceSpan[];
}

export interface SpeechEngine {
  readonly description: EngineDescription;
  /** Whether the engine has a voice for a language (BCP 47); other spans are announced, not voiced. */
  canVoice(language: string): boolean;
  /** Speaks the utterances in order. Rejects promptly once `signal` aborts. */
  synthesize(utterances: readonly EngineUtterance[], signal: AbortSignal): Promise<SynthesizedSpeech>;
  /**
   * Synthesizes, masters and encodes in one step, where the engine can do it where the audio
   * is made (espeak: in its worker thread, so a chapter's PCM never crosses threads and each
   * worker reuses one buffer). Optional: the stage masters `synthesize`'s PCM otherwise.
   */
  synthesizeMastered?(utterances: readonly EngineUtterance[], mastering: MasteringRequest, signal: AbortSignal): Promise<MasteredSpeech>;
  /** Releases threads and sockets; the engine is unusable afterwards. */
  close(): Promise<void>;
}

/** What every engine factory receives. */
export interface EngineSettings {
  /** Document language (BCP 47): picks the voice when `voice` is absent. */
  readonly language: string;
  /** Voice name in the engine's own naming; absent = from `language`. */
  readonly voice?: string;
  /** Parallel requests or threads at most. */
  readonly concurrency: number;
  /** Overall time limit, in ms, of one request to an online engine. */
  readonly timeoutMs: number;
  /** Speaking rate as a multiple of the engine's normal pace (0.5–2). Default 1. */
  readonly rate?: number;
}
