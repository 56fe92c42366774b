// The audio worker thread: espeak-ng synthesis (its `synthesize` call is synchronous and would
// block the main thread for seconds) and mastering + MP3 encoding, one job at a time.
//
// Plain JavaScript (JSDoc-typed, checked by tsc's checkJs) importing only npm packages and the
// mastering module (src/audio/mastering.mjs), so it loads the same way under tsx, vitest and
// compiled dist/. Its messages are typed in audio-jobs.ts (types only: nothing is imported at
// run time). The WASM modules are instantiated once per worker, on first use, and reused for
// every job.
import { parentPort, workerData } from "node:worker_threads";
import { LoudnessMeter, masterSpeechInBlocks, TruePeakMeter } from "../audio/mastering.mjs";

if (!parentPort) throw new Error("audio-worker.mjs must run in a worker thread");
const port = parentPort;

/**
 * @typedef {import("./audio-jobs.js").AudioJobs} AudioJobs
 * @typedef {import("./audio-jobs.js").AudioJobKind} AudioJobKind
 * @typedef {import("./audio-jobs.js").AudioJobRequest} AudioJobRequest
 * @typedef {import("./audio-jobs.js").AudioJobReply} AudioJobReply
 * @typedef {import("./audio-jobs.js").UtteranceInput} UtteranceInput
 * @typedef {import("./audio-jobs.js").SynthesisJob} SynthesisJob
 * @typedef {import("./audio-jobs.js").TrackJob} TrackJob
 * @typedef {import("./audio-jobs.js").MasteringJob} MasteringJob
 * @typedef {import("@echogarden/espeak-ng-emscripten").EspeakModule} EspeakModule
 * @typedef {import("@echogarden/espeak-ng-emscripten").EspeakWorker} EspeakWorker
 * @typedef {import("@echogarden/espeak-ng-emscripten").EspeakVoice} EspeakVoice
 * @typedef {{ audio(heap: Int16Array, from: number, count: number): void, event(type: number, textPosition: number, audioPosition: number): void }} SpeechSink
 * @typedef {{ worker: EspeakWorker, module: EspeakModule, voices: EspeakVoice[], speak(text: string, into: SpeechSink): void, current: string, rate: number }} Espeak
 */

/** @type {Promise<Espeak> | undefined} */
let espeakReady;

/** The rate the sample estimate below is measured at (words per minute). */
const espeakRate165 = 165;
/** @type {Promise<import("wasm-media-encoders").WasmMediaEncoder<"audio/mpeg">> | undefined} */
let encoderReady;

/**
 * Instantiates espeak-ng. Its 24 MB data package (every voice and dictionary) is read by each
 * worker into a buffer of its own unless the pool hands us one shared copy
 * (`workerData.espeakData`, a SharedArrayBuffer): emscripten's file system then keeps views
 * of that one copy. The package loader accepts only a plain ArrayBuffer (it checks the
 * constructor's name), so the shared buffer is presented as one; if this build of the package
 * refuses it anyway, the worker loads the data the ordinary way.
 * @param {typeof import("@echogarden/espeak-ng-emscripten").default} createModule
 */
async function createEspeakModule(createModule) {
  /** @type {unknown} */
  const shared = workerData?.espeakData;
  if (shared instanceof SharedArrayBuffer) {
    Object.defineProperty(shared, "constructor", { value: ArrayBuffer });
    try {
      return await createModule({ getPreloadedPackage: () => /** @type {ArrayBuffer} */ (/** @type {unknown} */ (shared)), printErr: () => undefined });
    } catch {
      // Fall through to the package's own loading.
    }
  }
  return createModule();
}

async function espeak() {
  espeakReady ??= (async () => {
    const { default: createModule } = await import("@echogarden/espeak-ng-emscripten");
    const module = await createEspeakModule(createModule);
    const worker = new module.eSpeakNGWorker();
    const voices = worker.list_voices();
    // Our own synthesis callback, registered once (the package's `synthesize` registers one per
    // call and hands each ~2,000-sample chunk over as a fresh copy with an event object per
    // event: for a chapter, thousands of small buffers that outlive the synthesis in the heap).
    // It copies audio straight from the WASM heap into the job's buffer and keeps word and
    // sentence events only. `sink` is the current job's.
    const eventSize = worker.getSizeOfEventStruct_();
    /** @type {SpeechSink | undefined} */
    let sink;
    const callback = module.addFunction((/** @type {number} */ audioPointer, /** @type {number} */ count, /** @type {number} */ eventsPointer) => {
      if (!sink) return 1; // 1: stop
      if (count > 0) sink.audio(module.HEAP16, audioPointer >> 1, count);
      for (let pointer = eventsPointer; ; pointer += eventSize) {
        const event = module.wrapPointer(pointer, module.espeak_EVENT);
        const type = event.get_type();
        if (type === module.espeakEVENT_LIST_TERMINATED) break;
        if (type === module.espeakEVENT_WORD || type === module.espeakEVENT_SENTENCE) sink.event(type, event.get_text_position(), event.get_audio_position());
      }
      return 0; // 0: keep going
    });
    /**
     * @param {string} text
     * @param {SpeechSink} into
     */
    const speak = (text, into) => {
      sink = into;
      try {
        worker.synth_(text, callback);
      } finally {
        sink = undefined;
      }
    };
    return { worker, module, voices, speak, current: "", rate: 0 };
  })();
  return espeakReady;
}

async function encoder() {
  encoderReady ??= import("wasm-media-encoders").then(({ createMp3Encoder }) => createMp3Encoder());
  return encoderReady;
}

/**
 * Loudness and true peak of what a listener hears: the MP3 decoded (mpg123) as it is encoded,
 * chunk by chunk, so no track is held decoded. MP3 at 48 kbps cuts the highs (≈ −0.4 LU) and
 * overshoots peaks (up to ≈ +0.9 dB): figures taken before encoding would not be the file's.
 * Costs about 2 ms of decoding per second of audio (docs/audio.md, "Loudness").
 */
class EncodedMeter {
  /** @param {number} sampleRate */
  constructor(sampleRate) {
    this.loudness = new LoudnessMeter(sampleRate);
    this.peaks = new TruePeakMeter();
    /** @type {import("mpg123-decoder").MPEGDecoder | undefined} */
    this.decoder = undefined;
  }

  async ready() {
    const { MPEGDecoder } = await import("mpg123-decoder");
    this.decoder = new MPEGDecoder();
    await this.decoder.ready;
    return this;
  }

  /** @param {Uint8Array} bytes encoded MP3 bytes, in order */
  push(bytes) {
    if (!this.decoder || bytes.length === 0) return;
    const decoded = this.decoder.decode(bytes);
    const samples = decoded.channelData[0];
    if (!samples || decoded.samplesDecoded === 0) return;
    const block = samples.subarray(0, decoded.samplesDecoded);
    this.loudness.push(block);
    this.peaks.push(block);
  }

  /** The figures of everything pushed; frees the decoder. */
  finish() {
    this.decoder?.free();
    this.decoder = undefined;
    return { integratedLufs: this.loudness.value(), truePeakDbtp: this.peaks.value() };
  }
}

/**
 * The limiter's margin under the ceiling on a first try, in dB: the 4× true-peak estimate can
 * miss a little and MP3 overshoots, so it aims under the ceiling. When the decoded file still
 * peaks over the ceiling, the track is made once more with the margin widened by the excess.
 */
const firstLimiterMarginDb = 1;
/** Added to the measured excess on the second try, so it lands under the ceiling, not on it. */
const retryExtraMarginDb = 0.3;

/**
 * Runs `make` (one whole track) with the first margin and, if the decoded MP3 peaks over the
 * ceiling, once more with a wider one. A track over the ceiling after both is returned as it
 * measures, marked `overCeiling`, and the stage says so.
 * @template {{ truePeakDbtp: number }} T
 * @param {number} ceilingDbtp
 * @param {number} marginDb the first try's margin (a caller's setting, or the default)
 * @param {(marginDb: number) => Promise<T>} make
 * @returns {Promise<T & { limiterMarginDb: number, overCeiling: boolean }>}
 */
async function withinCeiling(ceilingDbtp, marginDb, make) {
  const first = await make(marginDb);
  if (!(first.truePeakDbtp > ceilingDbtp)) return { ...first, limiterMarginDb: marginDb, overCeiling: false };
  const widened = marginDb + (first.truePeakDbtp - ceilingDbtp) + retryExtraMarginDb;
  const second = await make(widened);
  return { ...second, limiterMarginDb: widened, overCeiling: second.truePeakDbtp > ceilingDbtp };
}

/**
 * The espeak voice identifier for a BCP 47 language, or undefined: an exact language match
 * first (`en-us`), then the primary language (`en`), best priority first.
 * @param {readonly EspeakVoice[]} voices
 * @param {string} language
 */
function voiceForLanguage(voices, language) {
  const wanted = language.toLowerCase();
  const primary = wanted.split("-")[0];
  for (const candidate of [wanted, primary]) {
    let best;
    let bestPriority = Infinity;
    for (const voice of voices) {
      for (const entry of voice.languages) {
        if (entry.name === candidate && entry.priority < bestPriority) {
          best = voice.identifier;
          bestPriority = entry.priority;
        }
      }
    }
    if (best) return best;
  }
  return undefined;
}

/**
 * Characters that espeak's SSML parser treats as markup become spaces: same length, so the
 * engine's text positions still index the text we sent.
 * @param {string} text
 */
function stripSsml(text) {
  return text.replace(/[<>&]/g, " ");
}

/** @typedef {import("./engine.js").TimedText} Timing */
/** @typedef {import("./engine.js").UtteranceSpan} Span */

/**
 * 16-bit samples appended in order into one buffer, sized from an estimate and grown by a
 * quarter when it runs out, so a chapter is held once (not as chunks plus a joined copy).
 */
class PcmBuffer {
  /** @param {number} capacity */
  constructor(capacity) {
    this.samples = new Int16Array(Math.max(4096, Math.ceil(capacity)));
    this.length = 0;
  }

  /** @param {number} extra */
  reserve(extra) {
    if (this.length + extra <= this.samples.length) return;
    const grown = new Int16Array(Math.max(this.length + extra, Math.ceil(this.samples.length * 1.25)));
    grown.set(this.samples.subarray(0, this.length));
    this.samples = grown;
  }

  /**
   * @param {Int16Array} source
   * @param {number} from
   * @param {number} count
   */
  append(source, from, count) {
    this.reserve(count);
    this.samples.set(source.subarray(from, from + count), this.length);
    this.length += count;
  }

  /** @param {number} count */
  silence(count) {
    this.reserve(count);
    this.samples.fill(0, this.length, this.length + count);
    this.length += count;
  }

  /** The samples written: a view, no copy (the unused tail travels with it when transferred). */
  view() {
    return this.samples.subarray(0, this.length);
  }
}

/** Samples per character of text at 165 words a minute and 22,050 Hz, a little over what espeak produces (about 1,270), so the buffer rarely grows. */
const samplesPerCharacterAt165 = 1400;

/**
 * Synthesizes utterances into one mono 16-bit signal with word and sentence timings (in samples).
 * @param {SynthesisJob} job
 * @returns {Promise<AudioJobs["synthesize"]["result"]>}
 */
async function synthesize(job) {
  return speak(job, undefined);
}

/**
 * The PCM buffer `synthesizeAndEncode` reuses from section to section: a worker holds one
 * buffer the size of the longest section so far, instead of a new one per section left for
 * the garbage collector (tens of megabytes each for a book's chapters).
 * @type {PcmBuffer | undefined}
 */
let reusablePcm;

/**
 * Synthesizes, masters and encodes one track without the PCM leaving this thread; its loudness
 * and true peak are the encoded file's, and it is made again if the file peaks over the ceiling.
 * @param {TrackJob} job
 * @returns {Promise<AudioJobs["synthesizeAndEncode"]["result"]>}
 */
async function synthesizeAndEncode(job) {
  return withinCeiling(job.ceilingDbtp, job.limiterMarginDb ?? firstLimiterMarginDb, (marginDb) => encodeSynthesized(job, marginDb));
}

/**
 * One try of `synthesizeAndEncode`, with the limiter aiming `marginDb` under the ceiling.
 * @param {TrackJob} job
 * @param {number} marginDb
 */
async function encodeSynthesized(job, marginDb) {
  reusablePcm ??= new PcmBuffer(0);
  const mp3 = await encoder();
  const characters = job.utterances.reduce((sum, utterance) => sum + utterance.segments.reduce((count, segment) => count + segment.text.length, 0), 0);
  // About 6 kB a second at 48 kbps, from the same samples-per-character estimate as the PCM.
  const bytes = new ByteBuffer(((characters * samplesPerCharacterAt165) / 22050) * job.bitrate * 125);
  const parts = partsOf(job.utterances, partCharacters * (Math.max(80, job.rate) / espeakRate165));
  /** @type {Timing[]} */
  const words = [];
  /** @type {Timing[]} */
  const sentences = [];
  /** @type {Span[]} */
  const utteranceSpans = [];
  /** @type {EncodedMeter | undefined} */
  let heard;
  let sampleRate = 0;
  let voice = "";
  let offset = 0;
  let sampleCount = 0;
  let trimmedStart = 0;
  let inputPower = 0;
  let gainSum = 0;
  for (const [index, part] of parts.entries()) {
    const speech = await speak({ ...job, utterances: part.utterances }, reusablePcm);
    if (!heard) {
      sampleRate = speech.sampleRate;
      voice = speech.voice;
      mp3.configure({ sampleRate, channels: 1, bitrate: /** @type {48} */ (job.bitrate) });
      heard = await new EncodedMeter(sampleRate).ready();
    }
    const meter = heard;
    const encode = (/** @type {Uint8Array} */ encoded) => {
      bytes.append(encoded);
      meter.push(encoded);
    };
    const mastered = masterSpeechInBlocks(speech.samples, sampleRate, { ...job, limiterMarginDb: marginDb }, (block) => encode(mp3.encode([block])), {
      first: index === 0,
      last: index === parts.length - 1,
      output: null,
      peaks: null,
    });
    if (index === 0) trimmedStart = mastered.trimmedStart;
    // Timings are in samples of the untrimmed synthesis: this part starts where the last ended.
    for (const [from, into] of /** @type {const} */ ([
      [speech.words, words],
      [speech.sentences, sentences],
    ])) {
      for (const timing of from) into.push({ ...timing, start: timing.start + offset, end: timing.end + offset, utterance: timing.utterance + part.first });
    }
    for (const span of speech.utterances) utteranceSpans.push({ start: span.start + offset, end: span.end + offset });
    offset += speech.samples.length;
    sampleCount += mastered.sampleCount;
    if (Number.isFinite(mastered.measuredLufs)) inputPower += mastered.sampleCount * Math.pow(10, mastered.measuredLufs / 10);
    gainSum += mastered.sampleCount * mastered.gainDb;
  }
  const tail = mp3.finalize();
  bytes.append(tail);
  heard?.push(tail);
  const encoded = heard ? heard.finish() : { integratedLufs: -Infinity, truePeakDbtp: -Infinity };
  return {
    mp3: bytes.view().slice(),
    sampleRate,
    sampleCount,
    trimmedStart,
    // Over parts: the input's loudness from their powers, the gain as their length-weighted mean.
    measuredLufs: inputPower > 0 ? 10 * Math.log10(inputPower / sampleCount) : -Infinity,
    ...encoded,
    gainDb: sampleCount > 0 ? gainSum / sampleCount : 0,
    words,
    sentences,
    utterances: utteranceSpans,
    voice,
  };
}

/**
 * Characters of text in one part of a long section (about three minutes of speech at 165
 * words a minute): a worker holds one part's PCM at a time (≈ 8 MB), not a whole chapter's
 * (40 MB for fifteen minutes), and each part gets its own gain, measured over the part. Parts
 * end between utterances, on a pause, where a gain step of a fraction of a decibel is not heard.
 * 3,000 rather than 5,000: Alice's cold peak 344–346 MB instead of 377–394 MB (two workers'
 * PCM and limiter arrays), for 0.3 s more (docs/performance.md, "Memory").
 */
const partCharacters = 3000;

/**
 * Consecutive runs of utterances of about `budget` characters (an utterance is never split).
 * @param {readonly UtteranceInput[]} utterances
 * @param {number} budget
 * @returns {{ first: number, utterances: readonly UtteranceInput[] }[]}
 */
function partsOf(utterances, budget) {
  /** @type {{ first: number, utterances: UtteranceInput[] }[]} */
  const parts = [];
  let characters = Infinity;
  utterances.forEach((utterance, index) => {
    const length = utterance.segments.reduce((sum, segment) => sum + segment.text.length, 0);
    if (characters + length > budget && characters > 0) {
      parts.push({ first: index, utterances: [] });
      characters = 0;
    }
    parts.at(-1)?.utterances.push(utterance);
    characters += length;
  });
  return parts.length > 0 ? parts : [{ first: 0, utterances }];
}

/** Encoder output collected in order: one buffer sized from an estimate, doubled when full. */
class ByteBuffer {
  /** @param {number} capacity */
  constructor(capacity) {
    this.bytes = new Uint8Array(Math.max(65536, Math.ceil(capacity)));
    this.length = 0;
  }

  /** @param {Uint8Array} part copied now: the encoder reuses its output buffer */
  append(part) {
    if (this.length + part.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + part.length));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(part, this.length);
    this.length += part.length;
  }

  view() {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * @param {SynthesisJob} job
 * @param {PcmBuffer | undefined} reuse a buffer to fill from the start (its old contents are dropped)
 */
async function speak(job, reuse) {
  const engine = await espeak();
  const sampleRate = engine.worker.get_samplerate();
  const mainVoice = job.voice ?? voiceForLanguage(engine.voices, job.language) ?? "en-us";
  const characters = job.utterances.reduce((sum, utterance) => sum + utterance.segments.reduce((count, segment) => count + segment.text.length, 0), 0);
  const pauses = job.utterances.reduce((sum, utterance) => sum + (utterance.pauseAfterMs / 1000) * sampleRate, 0);
  const estimate = characters * samplesPerCharacterAt165 * (sampleRate / 22050) * (espeakRate165 / Math.max(80, job.rate)) + pauses;
  const pcm = reuse ?? new PcmBuffer(estimate);
  if (reuse) {
    reuse.length = 0;
    reuse.reserve(estimate);
  }
  /** @type {Timing[]} */
  const words = [];
  /** @type {Timing[]} */
  const sentences = [];
  /** @type {Span[]} */
  const utterances = [];
  const setVoice = (/** @type {string} */ voice) => {
    if (engine.current === voice) return;
    const status = engine.worker.set_voice(voice);
    if (status !== 0) throw new Error(`espeak-ng has no voice \`${voice}\``);
    engine.current = voice;
    engine.rate = 0;
  };
  job.utterances.forEach((utterance, utteranceIndex) => {
    // The utterance's span is where the buffer stood before and after its segments: the audio
    // written for it, whatever events espeak sent.
    const utteranceStart = pcm.length;
    for (const segment of utterance.segments) {
      const voice = segment.language.toLowerCase() === job.language.toLowerCase() ? mainVoice : (voiceForLanguage(engine.voices, segment.language) ?? mainVoice);
      setVoice(voice);
      if (engine.rate !== job.rate) {
        engine.worker.set_rate(job.rate);
        engine.rate = job.rate;
      }
      const text = stripSsml(segment.text);
      const codePoints = Array.from(text);
      const segmentStart = pcm.length;
      /** @type {{ type: string, text_position: number, audio_position: number }[]} */
      const events = [];
      engine.speak(text, {
        audio: (heap, from, count) => pcm.append(heap, from, count),
        event: (type, textPosition, audioPosition) =>
          events.push({ type: type === engine.module.espeakEVENT_WORD ? "word" : "sentence", text_position: textPosition, audio_position: audioPosition }),
      });
      const segmentEnd = pcm.length;
      const toSample = (/** @type {number} */ ms) => Math.min(segmentEnd, segmentStart + Math.round((ms / 1000) * sampleRate));
      // Tokens (runs of non-space code points): numbers emit extra sub-word events, so each
      // event maps to the token that contains it and a token keeps its first event only.
      /** @type {{ start: number, end: number }[]} */
      const tokens = [];
      for (let i = 0; i < codePoints.length; ) {
        if (/\s/u.test(/** @type {string} */ (codePoints[i]))) {
          i++;
          continue;
        }
        const start = i;
        while (i < codePoints.length && !/\s/u.test(/** @type {string} */ (codePoints[i]))) i++;
        tokens.push({ start, end: i });
      }
      const tokenAt = (/** @type {number} */ position) => tokens.findIndex((token) => position >= token.start && position < token.end);
      /** @type {{ token: number, start: number }[]} */
      const wordEvents = [];
      let lastToken = -1;
      for (const event of events) {
        if (event.type !== "word") continue;
        const token = tokenAt(event.text_position - 1);
        if (token === -1 || token <= lastToken) continue;
        lastToken = token;
        wordEvents.push({ token, start: toSample(event.audio_position) });
      }
      wordEvents.forEach((word, index) => {
        const token = /** @type {{ start: number, end: number }} */ (tokens[word.token]);
        const next = wordEvents[index + 1];
        words.push({ start: word.start, end: next ? next.start : segmentEnd, text: codePoints.slice(token.start, token.end).join(""), utterance: utteranceIndex });
      });
      const sentenceEvents = events.filter((event) => event.type === "sentence");
      sentenceEvents.forEach((event, index) => {
        const next = sentenceEvents[index + 1];
        const from = event.text_position - 1;
        const to = next ? next.text_position - 1 : codePoints.length;
        const sentenceText = codePoints.slice(from, to).join("").trim();
        if (sentenceText === "") return;
        sentences.push({
          start: toSample(event.audio_position),
          end: next ? toSample(next.audio_position) : segmentEnd,
          text: sentenceText,
          utterance: utteranceIndex,
        });
      });
    }
    utterances.push({ start: utteranceStart, end: pcm.length });
    pcm.silence(Math.round((utterance.pauseAfterMs / 1000) * sampleRate));
  });
  // 16-bit, as espeak produced it: half the memory of floats, and mastering reads it directly.
  const samples = pcm.view();
  return { samples, sampleRate, words, sentences, utterances, voice: mainVoice };
}

/**
 * Masters and encodes one track: CBR mono MP3 at the input's sample rate. The mastered signal
 * goes to the encoder block by block and is never stored whole (docs/performance.md); its
 * loudness and true peak are the encoded file's, as in `synthesizeAndEncode`.
 * @param {MasteringJob} job
 * @returns {Promise<AudioJobs["masterAndEncode"]["result"]>}
 */
async function masterAndEncode(job) {
  return withinCeiling(job.ceilingDbtp, job.limiterMarginDb ?? firstLimiterMarginDb, (marginDb) => encodeMastered(job, marginDb));
}

/**
 * One try of `masterAndEncode`, with the limiter aiming `marginDb` under the ceiling.
 * @param {MasteringJob} job
 * @param {number} marginDb
 */
async function encodeMastered(job, marginDb) {
  const mp3 = await encoder();
  const heard = await new EncodedMeter(job.sampleRate).ready();
  mp3.configure({ sampleRate: job.sampleRate, channels: 1, bitrate: /** @type {48} */ (job.bitrate) });
  // 48 kbps is 6 kB a second: a byte buffer sized from the duration, grown if ever needed.
  let bytes = new Uint8Array(Math.ceil((job.samples.length / job.sampleRate) * (job.bitrate * 125)) + 8192);
  let length = 0;
  const append = (/** @type {Uint8Array} */ part) => {
    // Encoder output is owned by the encoder and reused: copy it now.
    if (length + part.length > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, length + part.length));
      grown.set(bytes.subarray(0, length));
      bytes = grown;
    }
    bytes.set(part, length);
    length += part.length;
    heard.push(part);
  };
  const mastered = masterSpeechInBlocks(job.samples, job.sampleRate, { ...job, limiterMarginDb: marginDb }, (block) => append(mp3.encode([block])), { output: null, peaks: null });
  append(mp3.finalize());
  return {
    mp3: bytes.slice(0, length),
    sampleCount: mastered.sampleCount,
    trimmedStart: mastered.trimmedStart,
    measuredLufs: mastered.measuredLufs,
    ...heard.finish(),
    gainDb: mastered.gainDb,
  };
}

/**
 * Instantiates both WASM modules now, so the first section does not wait for them.
 * @returns {Promise<AudioJobs["warm"]["result"]>}
 */
async function warm() {
  await Promise.all([espeak(), encoder()]);
  return {};
}

/** @returns {Promise<AudioJobs["voices"]["result"]>} */
async function voices() {
  const engine = await espeak();
  return { voices: engine.voices, sampleRate: engine.worker.get_samplerate() };
}

/**
 * This thread's memory (its heap, its buffers, its WASM memories), for diagnostics and the benchmark.
 * @returns {Promise<AudioJobs["memory"]["result"]>}
 */
async function memory() {
  const usage = process.memoryUsage();
  const wasm = { espeak: espeakReady ? (await espeakReady).module.HEAPU8.length : 0 };
  return { heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, rss: usage.rss, wasm };
}

/** @type {{ [K in AudioJobKind]: (job: AudioJobs[K]["job"]) => Promise<AudioJobs[K]["result"]> }} */
const jobs = { synthesize, synthesizeAndEncode, masterAndEncode, voices, warm, memory };

/**
 * Runs one request. Generic over the kind so the job reaches the handler of its own kind.
 * @template {AudioJobKind} K
 * @param {K} kind
 * @param {AudioJobs[K]["job"]} job
 * @returns {Promise<AudioJobs[K]["result"]>}
 */
function runJob(kind, job) {
  const handler = /** @type {((job: AudioJobs[K]["job"]) => Promise<AudioJobs[K]["result"]>) | undefined} */ (Object.hasOwn(jobs, kind) ? jobs[kind] : undefined);
  if (!handler) throw new Error(`unknown audio job \`${kind}\``);
  return handler(job);
}

port.on("message", async (/** @type {AudioJobRequest} */ message) => {
  /** @param {AudioJobReply} reply @param {ArrayBuffer[]} [transfer] */
  const reply = (reply, transfer = []) => port.postMessage(reply, transfer);
  try {
    const result = await runJob(message.kind, message.job);
    /** @type {ArrayBuffer[]} */
    const transfer = [];
    if ("samples" in result) transfer.push(/** @type {ArrayBuffer} */ (result.samples.buffer));
    if ("mp3" in result) transfer.push(/** @type {ArrayBuffer} */ (result.mp3.buffer));
    reply({ id: message.id, ok: true, result }, transfer);
  } catch (error) {
    reply({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
