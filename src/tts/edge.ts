// The online engine: Microsoft Edge's read-aloud voices through node-edge-tts, wrapped in our
// own overall timeout, retries with backoff, bounded concurrency and socket/file clean-up.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EdgeTTS } from "node-edge-tts";
import drm from "node-edge-tts/dist/drm.js";
import PQueue from "p-queue";
import { WebSocket } from "ws";
import { LecternError } from "../messages.js";
import { scanFrames } from "../audio/mp3-frames.js";
import type { EngineSettings, EngineUtterance, Mp3Speech, SpeechEngine, TimedText, UtteranceSpan } from "./engine.js";

/** The only output format the Edge service still serves besides WebM (it refuses PCM). */
export const edgeOutputFormat = "audio-24khz-48kbitrate-mono-mp3";
export const edgeSampleRate = 24000;
/** The service's host; named in the offline error so the user knows what could not be reached. */
export const edgeHost = "speech.platform.bing.com";

/** English voices by language, since node-edge-tts defaults to a Chinese one; others by primary language. */
export const edgeVoices: Readonly<Record<string, string>> = {
  "en-us": "en-US-AriaNeural",
  "en-gb": "en-GB-SoniaNeural",
  "en-au": "en-AU-NatashaNeural",
  "en-ca": "en-CA-ClaraNeural",
  "en-in": "en-IN-NeerjaNeural",
  "en-ie": "en-IE-EmilyNeural",
  en: "en-US-AriaNeural",
  fr: "fr-FR-DeniseNeural",
  de: "de-DE-KatjaNeural",
  es: "es-ES-ElviraNeural",
  it: "it-IT-ElsaNeural",
  pt: "pt-BR-FranciscaNeural",
  nl: "nl-NL-ColetteNeural",
  ar: "ar-SA-ZariyahNeural",
  ru: "ru-RU-SvetlanaNeural",
  zh: "zh-CN-XiaoxiaoNeural",
  ja: "ja-JP-NanamiNeural",
  ko: "ko-KR-SunHiNeural",
  tr: "tr-TR-EmelNeural",
  pl: "pl-PL-ZofiaNeural",
  sv: "sv-SE-SofieNeural",
  uk: "uk-UA-PolinaNeural",
  he: "he-IL-HilaNeural",
  hi: "hi-IN-SwaraNeural",
};

/** The Edge voice for a BCP 47 language, or undefined when we know none. */
export function edgeVoiceFor(language: string): string | undefined {
  const tag = language.toLowerCase();
  return edgeVoices[tag] ?? edgeVoices[tag.split("-")[0]!];
}

/** Largest request text: the service rejects SSML bodies much over 4 KB (issue 5). */
export const maxRequestBytes = 3500;

/** A failure of the Edge engine, with whether trying again might help. */
export class EdgeSpeechError extends Error {
  override readonly name = "EdgeSpeechError";
  readonly transient: boolean;
  constructor(message: string, transient: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.transient = transient;
  }
}

export interface EdgeEngineOptions {
  /** WebSocket URL of the service. Default: Edge's read-aloud endpoint. Tests point it at a local fake. */
  readonly endpoint?: string;
  /** Attempts after the first for transient failures (socket closed mid-stream, refused). Default 2. */
  readonly retries?: number;
  /**
   * First backoff delay in ms, doubled per retry. Default 500. Each delay is jittered to
   * between half and all of its value, so clients that failed together do not retry together.
   */
  readonly backoffMs?: number;
  /** Called before each retry with the delay chosen (tests observe the backoff through it). */
  readonly onRetry?: (delayMs: number, error: Error) => void;
  /** Requests in flight at most. Default: `settings.concurrency`, at most 4 (the service throttles). */
  readonly maxConcurrentRequests?: number;
}

function defaultEndpoint(): string {
  return `wss://${edgeHost}/consumer/speech/synthesize/readaloud/edge/v1?TrustedClientToken=${drm.TRUSTED_CLIENT_TOKEN}&Sec-MS-GEC=${drm.generateSecMsGecToken()}&Sec-MS-GEC-Version=1-${drm.CHROMIUM_FULL_VERSION}`;
}

function speechConfig(): string {
  return `Content-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n${JSON.stringify({
    context: { synthesis: { audio: { metadataoptions: { sentenceBoundaryEnabled: "false", wordBoundaryEnabled: "true" }, outputFormat: edgeOutputFormat } } },
  })}`;
}

/**
 * Opens the socket the way node-edge-tts does (same headers and speech.config), but hands the
 * socket to `track` before it opens: node-edge-tts keeps it private, so a connection that never
 * answers could otherwise neither be timed out nor closed.
 */
function connect(endpoint: string, timeoutMs: number, track: (socket: WebSocket) => void): Promise<WebSocket> {
  const major = drm.CHROMIUM_FULL_VERSION.split(".")[0];
  const socket = new WebSocket(endpoint, {
    handshakeTimeout: timeoutMs,
    headers: {
      Pragma: "no-cache",
      "Cache-Control": "no-cache",
      Origin: "chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold",
      "User-Agent": `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 Edg/${major}.0.0.0`,
      "Accept-Encoding": "gzip, deflate, br, zstd",
      "Accept-Language": "en-US,en;q=0.9",
    },
  });
  track(socket);
  return new Promise((resolve, reject) => {
    socket.once("open", () => {
      socket.send(speechConfig());
      resolve(socket);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      const offline = error.code === "ENOTFOUND" || error.code === "EAI_AGAIN" || error.code === "ENETUNREACH" || error.code === "EHOSTUNREACH";
      reject(
        new EdgeSpeechError(
          offline
            ? `cannot reach ${new URL(endpoint).hostname} (${error.code}): the edge engine needs the network; use --engine espeak to work offline`
            : `connection to the Edge speech service failed (${error.code ?? error.message})`,
          !offline,
          error,
        ),
      );
    });
    socket.once("unexpected-response", (_request: unknown, response: { statusCode?: number }) => {
      const status = response.statusCode ?? 0;
      reject(new EdgeSpeechError(`the Edge speech service refused the connection (HTTP ${status})`, status === 429 || status >= 500));
    });
  });
}

/** Splits text into chunks under `maxBytes` of UTF-8, at sentence ends where possible, else at spaces. */
export function chunkText(text: string, maxBytes = maxRequestBytes): string[] {
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)\s*/g) ?? [text];
  const chunks: string[] = [];
  let current = "";
  const bytes = (value: string): number => Buffer.byteLength(value, "utf8");
  const push = (piece: string): void => {
    if (bytes(current + piece) <= maxBytes) {
      current += piece;
      return;
    }
    if (current.trim()) chunks.push(current.trim());
    current = "";
    if (bytes(piece) <= maxBytes) {
      current = piece;
      return;
    }
    // One sentence longer than a request: cut at spaces.
    for (const word of piece.split(/(?<=\s)/)) {
      if (bytes(current + word) > maxBytes && current.trim()) {
        chunks.push(current.trim());
        current = "";
      }
      current += word;
    }
  };
  for (const sentence of sentences) push(sentence);
  if (current.trim()) chunks.push(current.trim());
  return chunks;
}

/** A word the service says, with its offset and duration in ms from the start of the request's audio. */
interface WordBoundary {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Word boundaries in one `Path:audio.metadata` message (offsets in 100 ns ticks); none in any other message. */
export function wordBoundaries(message: string): WordBoundary[] {
  if (!message.includes("Path:audio.metadata")) return [];
  const body = message.slice(message.indexOf("\r\n\r\n") + 4);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const metadata = (parsed as { Metadata?: unknown }).Metadata;
  if (!Array.isArray(metadata)) return [];
  const words: WordBoundary[] = [];
  for (const entry of metadata as { Type?: unknown; Data?: { Offset?: unknown; Duration?: unknown; text?: { Text?: unknown } } }[]) {
    const data = entry.Data;
    if (entry.Type !== "WordBoundary" || typeof data?.Offset !== "number" || typeof data.text?.Text !== "string") continue;
    const duration = typeof data.Duration === "number" ? data.Duration : 0;
    words.push({ text: data.text.Text, start: data.Offset / 10_000, end: (data.Offset + duration) / 10_000 });
  }
  return words;
}

/**
 * Groups a request's words into its sentences: each word is found in the text after the one
 * before it, and belongs to the sentence whose span holds it.
 */
export function sentencesOf(text: string, words: readonly WordBoundary[]): { text: string; start: number; end: number }[] {
  const spans = [...text.matchAll(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)/g)].map((match) => ({ from: match.index, to: match.index + match[0].length, text: match[0].trim() }));
  const sentences: { text: string; start: number; end: number }[] = [];
  let cursor = 0;
  let current: { span: number; start: number; end: number } | undefined;
  for (const word of words) {
    const at = text.indexOf(word.text, cursor);
    const position = at === -1 ? cursor : at;
    if (at !== -1) cursor = at + word.text.length;
    const span = Math.max(
      0,
      spans.findIndex((candidate) => position >= candidate.from && position < candidate.to),
    );
    if (current && current.span === span) {
      current.end = word.end;
      continue;
    }
    if (current) sentences.push({ text: spans[current.span]!.text, start: current.start, end: current.end });
    current = { span, start: word.start, end: word.end };
  }
  if (current) sentences.push({ text: spans[current.span]?.text ?? text.trim(), start: current.start, end: current.end });
  return sentences.filter((sentence) => sentence.text !== "");
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Starts the Edge engine. Nothing touches the network until the first `synthesize`. */
export async function createEdgeEngine(settings: EngineSettings, options: EdgeEngineOptions = {}): Promise<SpeechEngine> {
  // node-edge-tts puts the voice name into an SSML attribute unescaped (`<voice name="…">`):
  // a `"` or `<` in `--voice` would rewrite the request. Edge's names are letters, digits,
  // dashes, and in the long form spaces, commas and parentheses.
  if (settings.voice !== undefined && !/^[A-Za-z0-9][A-Za-z0-9 (),_-]{0,99}$/.test(settings.voice)) {
    throw new LecternError("CONFIG", `Expected \`--voice\` to be an Edge voice name such as en-US-AriaNeural, got \`${JSON.stringify(settings.voice).slice(1, -1)}\``);
  }
  const voice = settings.voice ?? edgeVoiceFor(settings.language) ?? edgeVoices.en!;
  const voiceLanguage = /^[a-z]{2,3}-[A-Z]{2}/.exec(voice)?.[0] ?? settings.language;
  // SSML prosody: "+20%" / "-25%" relative to the voice's normal pace.
  const ratePercent = Math.round(((settings.rate ?? 1) - 1) * 100);
  const prosodyRate = ratePercent === 0 ? "default" : `${ratePercent > 0 ? "+" : ""}${ratePercent}%`;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 500;
  const requests = new PQueue({ concurrency: options.maxConcurrentRequests ?? Math.max(1, Math.min(4, settings.concurrency)) });
  const folder = await mkdtemp(join(tmpdir(), "lectern-edge-"));
  const sockets = new Set<WebSocket>();

  /** One request: text → MP3 frames and word boundaries, within `settings.timeoutMs` overall. */
  async function attempt(text: string, chunkVoice: string, lang: string, signal: AbortSignal): Promise<{ frames: Uint8Array; words: WordBoundary[] }> {
    const file = join(folder, `${randomBytes(6).toString("hex")}.mp3`);
    // node-edge-tts writes the audio; word boundaries we read off the socket ourselves, because its
    // `saveSubtitles` re-aligns them to the text character by character and garbles words with symbols.
    const tts = new EdgeTTS({ voice: chunkVoice, lang, outputFormat: edgeOutputFormat, saveSubtitles: false, timeout: settings.timeoutMs, rate: prosodyRate });
    const words: WordBoundary[] = [];
    let socket: WebSocket | undefined;
    let failClosed: (error: Error) => void = () => undefined;
    const closedEarly = new Promise<never>((_resolve, reject) => (failClosed = reject));
    closedEarly.catch(() => undefined);
    tts._connectWebSocket = () =>
      connect(options.endpoint ?? defaultEndpoint(), settings.timeoutMs, (created) => {
        socket = created;
        sockets.add(created);
        created.on("message", (data: Buffer, isBinary: boolean) => {
          if (!isBinary) words.push(...wordBoundaries(data.toString("utf8")));
        });
        // Closing before the socket opened is a connection error, reported by `connect`.
        created.once("open", () => created.once("close", () => failClosed(new EdgeSpeechError("the Edge speech service closed the connection mid-stream", true))));
      });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new EdgeSpeechError(`the Edge speech service did not answer within ${settings.timeoutMs / 1000} s`, false)), settings.timeoutMs);
    });
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const request = tts.ttsPromise(text, file).catch((reason: unknown) => {
        // node-edge-tts rejects with a bare string on its own timeout.
        throw reason instanceof Error ? reason : new EdgeSpeechError(`the Edge speech service failed: ${String(reason)}`, false);
      });
      await Promise.race([request, closedEarly, timedOut, aborted]);
      return { frames: new Uint8Array(await readFile(file)), words };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      if (socket) {
        sockets.delete(socket);
        // Success already closed it cleanly; on failure node-edge-tts leaves it open.
        if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
      }
      await rm(file, { force: true });
    }
  }

  async function request(text: string, chunkVoice: string, lang: string, signal: AbortSignal): Promise<{ frames: Uint8Array; words: WordBoundary[] }> {
    for (let attemptNumber = 0; ; attemptNumber++) {
      try {
        return await requests.add(() => attempt(text, chunkVoice, lang, signal), { signal });
      } catch (error) {
        if (!(error instanceof EdgeSpeechError) || !error.transient || attemptNumber >= retries || signal.aborted) throw error;
        const ceiling = backoffMs * 2 ** attemptNumber;
        const delayMs = ceiling / 2 + Math.random() * (ceiling / 2);
        options.onRetry?.(delayMs, error);
        await sleep(delayMs, signal);
      }
    }
  }

  return {
    description: { engine: "edge", voice, settings: { outputFormat: edgeOutputFormat, sampleRate: edgeSampleRate, rate: prosodyRate } },
    canVoice: (language) => edgeVoiceFor(language) !== undefined,
    async synthesize(utterances: readonly EngineUtterance[], signal: AbortSignal): Promise<Mp3Speech> {
      // Consecutive runs in one language become requests of whole sentences under the size
      // limit (one request per utterance would be a request per sentence: hundreds a chapter
      // against a throttling service). Each run remembers where each utterance's text sits in
      // it, so every word the service reports is placed in the utterance whose text holds it,
      // and an utterance's span runs from its first word's start to its last word's end.
      const runs: { text: string; language: string; pieces: { utterance: number; from: number; to: number }[] }[] = [];
      utterances.forEach((utterance, index) => {
        for (const segment of utterance.segments) {
          const last = runs[runs.length - 1];
          if (last && last.language === segment.language) {
            const piece = last.pieces.at(-1)!;
            last.text += piece.utterance === index ? " " : "\n";
            if (piece.utterance === index) {
              last.text += segment.text;
              piece.to = last.text.length;
            } else {
              last.pieces.push({ utterance: index, from: last.text.length, to: last.text.length + segment.text.length });
              last.text += segment.text;
            }
          } else runs.push({ text: segment.text, language: segment.language, pieces: [{ utterance: index, from: 0, to: segment.text.length }] });
        }
      });
      const parts: Uint8Array[] = [];
      const words: TimedText[] = [];
      const sentences: TimedText[] = [];
      const heard: ({ start: number; end: number } | undefined)[] = utterances.map(() => undefined);
      let offsetSamples = 0;
      for (const run of runs) {
        const runVoice = run.language === settings.language ? voice : (edgeVoiceFor(run.language) ?? voice);
        const runLanguage = run.language === settings.language ? voiceLanguage : run.language;
        // A position in the run's text → the utterance whose text holds it (or the last one before it: a separator).
        const utteranceAt = (position: number): number => (run.pieces.findLast((piece) => piece.from <= position) ?? run.pieces[0]!).utterance;
        let chunkCursor = 0;
        for (const chunk of chunkText(run.text)) {
          const chunkAt = Math.max(chunkCursor, run.text.indexOf(chunk, chunkCursor));
          chunkCursor = chunkAt + chunk.length;
          const { frames, words: boundaries } = await request(chunk, runVoice, runLanguage, signal);
          const scan = scanFrames(frames);
          const toSample = (ms: number): number => offsetSamples + Math.round((ms / 1000) * edgeSampleRate);
          const wordUtterances: number[] = [];
          let wordCursor = 0;
          for (const word of boundaries) {
            const found = chunk.indexOf(word.text, wordCursor);
            const position = found === -1 ? wordCursor : found;
            if (found !== -1) wordCursor = found + word.text.length;
            const utterance = utteranceAt(chunkAt + position);
            wordUtterances.push(utterance);
            const timed = { start: toSample(word.start), end: toSample(word.end), text: word.text, utterance };
            words.push(timed);
            const span = heard[utterance];
            heard[utterance] = span ? { start: Math.min(span.start, timed.start), end: Math.max(span.end, timed.end) } : { start: timed.start, end: timed.end };
          }
          for (const sentence of sentencesOf(chunk, boundaries)) {
            const first = boundaries.findIndex((word) => word.start === sentence.start);
            sentences.push({ start: toSample(sentence.start), end: toSample(sentence.end), text: sentence.text, utterance: wordUtterances[first] ?? run.pieces[0]!.utterance });
          }
          parts.push(scan.frames);
          offsetSamples += scan.frameCount * scan.first.samples;
        }
      }
      // An utterance the service reported no word of (only punctuation) is an empty span where the one before ended.
      const spans: UtteranceSpan[] = [];
      for (const span of heard) {
        const previousEnd = spans.at(-1)?.end ?? 0;
        spans.push(span ? { start: Math.max(previousEnd, span.start), end: Math.max(previousEnd, span.end) } : { start: previousEnd, end: previousEnd });
      }
      const frames = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      let at = 0;
      for (const part of parts) {
        frames.set(part, at);
        at += part.length;
      }
      return { kind: "mp3", frames, sampleRate: edgeSampleRate, words, sentences, utterances: spans };
    },
    async close() {
      requests.clear();
      for (const socket of sockets) socket.terminate();
      sockets.clear();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
