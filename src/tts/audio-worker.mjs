// The audio worker thread: espeak-ng synthesis (its `synthesize` call is synchronous and would
// block the main thread for seconds) and mastering + MP3 encoding, one job at a time.
//
// Plain JavaScript (JSDoc-typed) importing only npm packages and a sibling .mjs, so it loads
// the same way under tsx, vitest and compiled dist/. The WASM modules are instantiated once per
// worker, on first use, and reused for every job.
import { parentPort } from "node:worker_threads";
import { masterSpeechInBlocks } from "./mastering.mjs";

if (!parentPort) throw new Error("audio-worker.mjs must run in a worker thread");
const port = parentPort;

/** @type {Promise<any> | undefined} */
let espeakReady;
/** @type {Promise<import("wasm-media-encoders").WasmMediaEncoder<"audio/mpeg">> | undefined} */
let encoderReady;

async function espeak() {
  espeakReady ??= (async () => {
    const { default: createModule } = await import("@echogarden/espeak-ng-emscripten");
    const module = await createModule();
    const worker = new module.eSpeakNGWorker();
    /** @type {{ name: string, identifier: string, languages: { priority: number, name: string }[] }[]} */
    const voices = worker.list_voices();
    return { worker, voices, current: "", rate: 0 };
  })();
  return espeakReady;
}

async function encoder() {
  encoderReady ??= import("wasm-media-encoders").then(({ createMp3Encoder }) => createMp3Encoder());
  return encoderReady;
}

/**
 * The espeak voice identifier for a BCP 47 language, or undefined: an exact language match
 * first (`en-us`), then the primary language (`en`), best priority first.
 * @param {{ identifier: string, languages: { priority: number, name: string }[] }[]} voices
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

/**
 * @typedef {{ text: string, language: string }} Segment
 * @typedef {{ segments: Segment[], pauseAfterMs: number }} UtteranceInput
 * @typedef {{ start: number, end: number, text: string, utterance: number }} Timing
 */

/**
 * Synthesizes utterances into one mono 16-bit signal with word and sentence timings (in samples).
 * @param {{ utterances: UtteranceInput[], voice?: string, language: string, rate: number }} job
 */
async function synthesize(job) {
  const engine = await espeak();
  const sampleRate = engine.worker.get_samplerate();
  const mainVoice = job.voice ?? voiceForLanguage(engine.voices, job.language) ?? "en-us";
  /** @type {Int16Array[]} */
  const chunks = [];
  let length = 0;
  /** @type {Timing[]} */
  const words = [];
  /** @type {Timing[]} */
  const sentences = [];
  const setVoice = (/** @type {string} */ voice) => {
    if (engine.current === voice) return;
    const status = engine.worker.set_voice(voice);
    if (status !== 0) throw new Error(`espeak-ng has no voice \`${voice}\``);
    engine.current = voice;
    engine.rate = 0;
  };
  job.utterances.forEach((utterance, utteranceIndex) => {
    for (const segment of utterance.segments) {
      const voice = segment.language.toLowerCase() === job.language.toLowerCase() ? mainVoice : voiceForLanguage(engine.voices, segment.language) ?? mainVoice;
      setVoice(voice);
      if (engine.rate !== job.rate) {
        engine.worker.set_rate(job.rate);
        engine.rate = job.rate;
      }
      const text = stripSsml(segment.text);
      const codePoints = Array.from(text);
      const segmentStart = length;
      /** @type {{ type: string, text_position: number, audio_position: number }[]} */
      const events = [];
      engine.worker.synthesize(text, (/** @type {Int16Array} */ chunk, /** @type {any[]} */ chunkEvents) => {
        chunks.push(chunk);
        length += chunk.length;
        for (const event of chunkEvents) if (event.type === "word" || event.type === "sentence") events.push(event);
        return false; // false: keep going
      });
      const segmentEnd = length;
      const toSample = (/** @type {number} */ ms) => Math.min(segmentEnd, segmentStart + Math.round((ms / 1000) * sampleRate));
      // Tokens (runs of non-space code points): numbers emit extra sub-word events, so each
      // event maps to the token that contains it and a token keeps its first event only.
      /** @type {{ start: number, end: number }[]} */
      const tokens = [];
      for (let i = 0; i < codePoints.length; ) {
        if (/\s/u.test(codePoints[i])) { i++; continue; }
        const start = i;
        while (i < codePoints.length && !/\s/u.test(codePoints[i])) i++;
        tokens.push({ start, end: i });
      }
      const tokenAt = (/** @type {number} */ position) => tokens.findIndex((token) => position >= token.start && position < token.end);
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
        const token = tokens[word.token];
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
    const pause = Math.round((utterance.pauseAfterMs / 1000) * sampleRate);
    chunks.push(new Int16Array(pause));
    length += pause;
  });
  // 16-bit, as espeak produced it: half the memory of floats, and mastering reads it directly.
  const samples = new Int16Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  chunks.length = 0;
  return { samples, sampleRate, words, sentences, voice: mainVoice };
}

/**
 * Masters and encodes one track: CBR mono MP3 at the input's sample rate. The mastered signal
 * goes to the encoder block by block and is never stored whole (docs/performance.md).
 * @param {{ samples: Int16Array | Float32Array, sampleRate: number, bitrate: number, targetLufs: number, ceilingDbtp: number, leadMs: number, tailMs: number }} job
 */
async function masterAndEncode(job) {
  const mp3 = await encoder();
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
  };
  const mastered = masterSpeechInBlocks(job.samples, job.sampleRate, job, (block) => append(mp3.encode([block])));
  append(mp3.finalize());
  return {
    mp3: bytes.slice(0, length),
    sampleCount: mastered.sampleCount,
    trimmedStart: mastered.trimmedStart,
    measuredLufs: mastered.measuredLufs,
    integratedLufs: mastered.integratedLufs,
    truePeakDbtp: mastered.truePeakDbtp,
    gainDb: mastered.gainDb,
  };
}

/** Instantiates both WASM modules now, so the first section does not wait for them. */
async function warm() {
  await Promise.all([espeak(), encoder()]);
  return {};
}

async function voices() {
  const engine = await espeak();
  return { voices: engine.voices, sampleRate: engine.worker.get_samplerate() };
}

/** @type {Record<string, (job: any) => Promise<any>>} */
const jobs = { synthesize, masterAndEncode, voices, warm };

port.on("message", async (/** @type {{ id: number, kind: string, job: any }} */ message) => {
  try {
    const handler = jobs[message.kind];
    if (!handler) throw new Error(`unknown audio job \`${message.kind}\``);
    const result = await handler(message.job);
    /** @type {ArrayBuffer[]} */
    const transfer = [];
    if (ArrayBuffer.isView(result.samples)) transfer.push(/** @type {ArrayBuffer} */ (result.samples.buffer));
    if (result.mp3 instanceof Uint8Array) transfer.push(/** @type {ArrayBuffer} */ (result.mp3.buffer));
    port.postMessage({ id: message.id, ok: true, result }, transfer);
  } catch (error) {
    port.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
