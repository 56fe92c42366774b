// The Edge engine against an in-process fake of the read-aloud WebSocket service on 127.0.0.1:
// one that answers, one that answers slowly, one that closes mid-stream, one that never answers.
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMp3Encoder } from "wasm-media-encoders";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { readDocument } from "../../src/document/read.js";
import { audioStageWith, type AudioTrackManifest } from "../../src/stages/audio/index.js";
import { probeMp3 } from "../helpers/mp3.js";
import { scanFrames } from "../../src/audio/mp3-frames.js";
import { decodeMp3 } from "../../src/audio/mp3-decode.js";
import { truePeak } from "../../src/audio/mastering.mjs";
import { chunkText, createEdgeEngine, edgeVoiceFor, type EdgeEngineOptions } from "../../src/tts/edge.js";
import type { Mp3Speech } from "../../src/tts/engine.js";

type Behaviour = "answer" | "slow" | "close-mid-stream" | "never-answer";

interface FakeService {
  readonly endpoint: string;
  /** Every SSML request received, in order. */
  readonly requests: string[];
  connections: number;
  closedByClient: number;
  close(): Promise<void>;
}

let mp3Second: Uint8Array;

beforeAll(async () => {
  // One second of a quiet tone as the service's MP3: 24 kHz mono 48 kbps, like Edge's format.
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: 24000, channels: 1, bitrate: 48 });
  const tone = new Float32Array(24000).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 440 * i) / 24000));
  const head = encoder.encode([tone]).slice();
  const tail = encoder.finalize().slice();
  mp3Second = new Uint8Array([...head, ...tail]);
});

const services: FakeService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

/** Word boundaries for the request's text, 300 ms apart, in the service's 100 ns ticks. */
function wordBoundaries(text: string): string {
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/[.,!?]+$/, ""));
  return JSON.stringify({
    Metadata: words.map((word, index) => ({ Type: "WordBoundary", Data: { Offset: index * 3_000_000, Duration: 2_500_000, text: { Text: word, Length: word.length } } })),
  });
}

function requestText(ssml: string): string {
  return /<prosody[^>]*>([\s\S]*?)<\/prosody>/.exec(ssml)?.[1]?.trim() ?? "";
}

/** The text as spoken: the service reports words unescaped. */
function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * `refuseWith(attempt)` may answer an upgrade request with an HTTP status instead (429, 503,
 * 401…), the way the real service throttles or turns a client away.
 */
async function fakeService(
  behaviourFor: (connection: number) => Behaviour,
  slowMs = 200,
  refuseWith: (attempt: number) => number | undefined = () => undefined,
): Promise<FakeService & { attempts: number }> {
  let attempts = 0;
  const server = new WebSocketServer({
    host: "127.0.0.1",
    port: 0,
    verifyClient: (_info, accept) => {
      const status = refuseWith(++attempts);
      service.attempts = attempts;
      if (status) accept(false, status, "refused by the fake service");
      else accept(true);
    },
  });
  await once(server, "listening");
  const address = server.address() as { port: number };
  const service: FakeService & { attempts: number } = {
    attempts: 0,
    endpoint: `ws://127.0.0.1:${address.port}/consumer/speech/synthesize/readaloud/edge/v1`,
    requests: [],
    connections: 0,
    closedByClient: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  server.on("connection", (socket: WebSocket) => {
    const behaviour = behaviourFor(++service.connections);
    socket.on("close", () => service.closedByClient++);
    socket.on("message", (data, isBinary) => {
      const message = data.toString();
      if (isBinary || !message.includes("Path:ssml")) return; // speech.config
      service.requests.push(message);
      const text = unescapeXml(requestText(message));
      const send = (): void => {
        socket.send(`X-RequestId:1\r\nContent-Type:application/json; charset=utf-8\r\nPath:audio.metadata\r\n\r\n${wordBoundaries(text)}`);
        const audio = Buffer.concat([Buffer.from("X-RequestId:1\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n"), Buffer.from(mp3Second)]);
        if (behaviour === "close-mid-stream") {
          socket.send(audio.subarray(0, 400), { binary: true }, () => socket.terminate());
          return;
        }
        socket.send(audio, { binary: true });
        socket.send("X-RequestId:1\r\nContent-Type:application/json; charset=utf-8\r\nPath:turn.end\r\n\r\n{}");
      };
      if (behaviour === "answer" || behaviour === "close-mid-stream") send();
      else if (behaviour === "slow") setTimeout(send, slowMs);
      // never-answer: silence.
    });
  });
  services.push(service);
  return service;
}

const signal = new AbortController().signal;
const settings = { language: "en-US", concurrency: 2, timeoutMs: 2000 };
const fast: EdgeEngineOptions = { retries: 2, backoffMs: 10 };

describe("edge engine", () => {
  it("speaks through the service: English voice by default, MP3 frames, word and sentence timings", async () => {
    const service = await fakeService(() => "answer");
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    try {
      expect(engine.description).toMatchObject({ engine: "edge", voice: "en-US-AriaNeural" });
      const speech = (await engine.synthesize(
        [
          { segments: [{ text: "A Heading.", language: "en-US" }], pauseAfterMs: 900 },
          { segments: [{ text: "Fish & chips <for> two. Then more.", language: "en-US" }], pauseAfterMs: 400 },
        ],
        signal,
      )) as Mp3Speech;
      expect(service.requests).toHaveLength(1);
      expect(service.requests[0]).toContain('<voice name="en-US-AriaNeural">');
      expect(service.requests[0]).toContain('xml:lang="en-US"');
      // node-edge-tts escapes the text: no raw markup reaches the service.
      expect(requestText(service.requests[0]!)).toBe("A Heading.\nFish &amp; chips &lt;for&gt; two. Then more.");
      expect(speech.kind).toBe("mp3");
      expect(speech.sampleRate).toBe(24000);
      const scan = scanFrames(speech.frames);
      expect(scan.first).toMatchObject({ sampleRate: 24000, bitrate: 48, channels: 1 });
      expect(speech.words.map((word) => word.text)).toEqual(["A", "Heading", "Fish", "&", "chips", "<for>", "two", "Then", "more"]);
      for (let i = 1; i < speech.words.length; i++) expect(speech.words[i]!.start).toBeGreaterThan(speech.words[i - 1]!.start);
      expect(speech.sentences.map((sentence) => sentence.text)).toEqual(["A Heading.", "Fish & chips <for> two.", "Then more."]);
      // One request for both utterances: each word is placed in the utterance whose text holds it.
      expect(speech.words.map((word) => word.utterance)).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1]);
      expect(speech.sentences.map((sentence) => sentence.utterance)).toEqual([0, 1, 1]);
      // Spans from the first word's start to the last word's end (the fake's words: 300 ms apart, 250 ms long).
      expect(speech.utterances).toEqual([
        { start: 0, end: 13_200 },
        { start: 14_400, end: 63_600 },
      ]);
      expect(service.closedByClient).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("waits for a slow service within the time limit", async () => {
    const service = await fakeService(() => "slow", 150);
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    try {
      const speech = await engine.synthesize([{ segments: [{ text: "Slowly now.", language: "en-US" }], pauseAfterMs: 0 }], signal);
      expect(speech.words.map((word) => word.text)).toEqual(["Slowly", "now"]);
    } finally {
      await engine.close();
    }
  });

  it("fails with a clear message when the service answers after the time limit, and closes the socket", async () => {
    const service = await fakeService(() => "slow", 5000);
    const engine = await createEdgeEngine({ ...settings, timeoutMs: 300 }, { ...fast, endpoint: service.endpoint });
    try {
      await expect(engine.synthesize([{ segments: [{ text: "Too slow.", language: "en-US" }], pauseAfterMs: 0 }], signal)).rejects.toThrow(
        "the Edge speech service did not answer within 0.3 s",
      );
      await expect.poll(() => service.closedByClient).toBe(1);
      expect(service.connections).toBe(1); // a timeout is not retried: the time limit bounds the wait
    } finally {
      await engine.close();
    }
  });

  it("fails with a clear message when the service never answers, and closes the socket", async () => {
    const service = await fakeService(() => "never-answer");
    const engine = await createEdgeEngine({ ...settings, timeoutMs: 1000 }, { ...fast, endpoint: service.endpoint });
    try {
      await expect(engine.synthesize([{ segments: [{ text: "Anyone there?", language: "en-US" }], pauseAfterMs: 0 }], signal)).rejects.toThrow(/did not answer within 1 s/);
      await expect.poll(() => service.closedByClient).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("fails when a TCP peer accepts but never completes the WebSocket handshake", async () => {
    const sockets: Socket[] = [];
    let ended = 0;
    const server: Server = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read the handshake request so the client's FIN is seen
      socket.on("end", () => ended++);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const engine = await createEdgeEngine({ ...settings, timeoutMs: 500 }, { ...fast, endpoint: `ws://127.0.0.1:${port}/` });
    try {
      await expect(engine.synthesize([{ segments: [{ text: "Hello.", language: "en-US" }], pauseAfterMs: 0 }], signal)).rejects.toThrow(/did not answer/);
      // The client gave up on the connection: its side is closed, not left dangling.
      await expect.poll(() => ended).toBe(1);
    } finally {
      await engine.close();
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it("retries a connection closed mid-stream, then succeeds", async () => {
    const service = await fakeService((connection) => (connection === 1 ? "close-mid-stream" : "answer"));
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    try {
      const speech = await engine.synthesize([{ segments: [{ text: "Second time lucky.", language: "en-US" }], pauseAfterMs: 0 }], signal);
      expect(service.connections).toBe(2);
      expect(speech.words).toHaveLength(3);
    } finally {
      await engine.close();
    }
  });

  it("gives up after the retries when every connection closes mid-stream", async () => {
    const service = await fakeService(() => "close-mid-stream");
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    try {
      await expect(engine.synthesize([{ segments: [{ text: "Never whole.", language: "en-US" }], pauseAfterMs: 0 }], signal)).rejects.toThrow(
        "the Edge speech service closed the connection mid-stream",
      );
      expect(service.connections).toBe(3);
    } finally {
      await engine.close();
    }
  });

  it("retries after HTTP 429 and 503 with growing, jittered delays, then succeeds", async () => {
    const service = await fakeService(
      () => "answer",
      0,
      (attempt) => (attempt === 1 ? 429 : attempt === 2 ? 503 : undefined),
    );
    const delays: number[] = [];
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint, onRetry: (delayMs) => delays.push(delayMs) });
    try {
      const speech = await engine.synthesize([{ segments: [{ text: "Third time lucky.", language: "en-US" }], pauseAfterMs: 0 }], signal);
      expect(service.attempts).toBe(3);
      expect(speech.words).toHaveLength(3);
      expect(delays).toHaveLength(2);
      // full jitter within the exponential envelope: [base/2, base] then [base, 2·base]
      expect(delays[0]).toBeGreaterThanOrEqual(5);
      expect(delays[0]).toBeLessThanOrEqual(10);
      expect(delays[1]).toBeGreaterThanOrEqual(10);
      expect(delays[1]).toBeLessThanOrEqual(20);
    } finally {
      await engine.close();
    }
  });

  it("does not retry a permanent refusal (HTTP 401/403), and says so in one line", async () => {
    const service = await fakeService(
      () => "answer",
      0,
      () => 403,
    );
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    try {
      await expect(engine.synthesize([{ segments: [{ text: "Not allowed.", language: "en-US" }], pauseAfterMs: 0 }], signal)).rejects.toThrow(
        /refused the connection \(HTTP 403\)/,
      );
      expect(service.attempts).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("sends long text in sentence-bounded requests under the size limit and joins the audio", async () => {
    const service = await fakeService(() => "answer");
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    const sentence = "This sentence is one of many that make a long section of text. ";
    try {
      const speech = (await engine.synthesize([{ segments: [{ text: sentence.repeat(120).trim(), language: "en-US" }], pauseAfterMs: 0 }], signal)) as Mp3Speech;
      expect(service.requests.length).toBeGreaterThan(1);
      for (const request of service.requests) {
        const text = requestText(request);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
        expect(text.endsWith(".")).toBe(true);
      }
      expect(scanFrames(speech.frames).frameCount).toBe(service.requests.length * scanFrames(mp3Second).frameCount);
      // Timings continue across requests: the second request's first word starts after the first request's audio.
      const firstRequestWords = requestText(service.requests[0]!).split(/\s+/).length;
      expect(speech.words[firstRequestWords]!.start).toBeGreaterThanOrEqual(scanFrames(mp3Second).frameCount * 576);
    } finally {
      await engine.close();
    }
  });

  it("fails within its time limit with a one-line message when the host cannot be resolved, and the stage reports it", async () => {
    const { document } = await readDocument(new URL("../fixtures/every-construct/document.md", import.meta.url).pathname);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-edge-offline-"));
    // `.invalid` never resolves (RFC 2606), with or without a network: the offline path, deterministically.
    const stage = audioStageWith({ edge: (engineSettings) => createEdgeEngine(engineSettings, { ...fast, endpoint: "wss://speech.platform.bing.com.invalid/consumer/speech" }) });
    try {
      const failure = await stage
        .write(document, {
          outDir,
          options: { engine: "edge", concurrency: 2, ttsTimeoutMs: 3000, now: new Date(0) },
          signal,
          run: (_label, task) => task(),
          report: () => undefined,
          progress: () => undefined,
        })
        .then(
          () => undefined,
          (error: unknown) => error as Error,
        );
      expect(failure?.message).toMatch(
        /^edge text-to-speech failed: cannot reach speech\.platform\.bing\.com\.invalid \((ENOTFOUND|EAI_AGAIN)\): the edge engine needs the network; use --engine espeak to work offline$/,
      );
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});

describe("audio stage with the edge engine", () => {
  it("writes tracks, captions and a chaptered book from the service's MP3, voicing the Arabic span with an Arabic voice", async () => {
    const service = await fakeService(() => "answer");
    const { document } = await readDocument(new URL("../fixtures/every-construct/document.md", import.meta.url).pathname);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-edge-stage-"));
    const stage = audioStageWith({ edge: (engineSettings) => createEdgeEngine(engineSettings, { ...fast, endpoint: service.endpoint }) });
    try {
      const result = await stage.write(document, {
        outDir,
        options: { engine: "edge", concurrency: 2, ttsTimeoutMs: 3000, now: new Date(0) },
        signal,
        run: (_label, task) => task(),
        report: () => undefined,
        progress: () => undefined,
      });
      expect(result.manifest).toMatchObject({
        engine: "edge",
        voice: "en-GB-SoniaNeural",
        sampleRate: 24000,
        bitrate: 48,
        loudnessTarget: { integratedLufs: -16, truePeakDbtp: -1 },
      });
      const tracks = result.manifest.tracks as AudioTrackManifest[];
      expect(tracks.length).toBe(document.sections.filter((section) => section.words > 0).length);
      for (const track of tracks) {
        const { metadata } = await probeMp3(join(outDir, track.path));
        expect(metadata.format).toMatchObject({ codec: "MPEG 2 Layer 3", sampleRate: 24000 });
        expect(Math.abs(metadata.format.duration! - track.durationSeconds)).toBeLessThan(0.1);
        expect(metadata.common.track).toEqual({ no: track.track, of: tracks.length });
        // The service's MP3 is decoded and mastered like espeak's speech: −16 LUFS ±1, and the
        // true peak of the file as a player decodes it stays under −1 dBTP.
        expect(Math.abs(track.loudness!.integratedLufs - -16)).toBeLessThanOrEqual(1);
        const decoded = await decodeMp3(scanFrames(new Uint8Array(await readFile(join(outDir, track.path)))).frames);
        expect(truePeak(decoded.samples)).toBeLessThanOrEqual(-1);
      }
      const book = result.manifest.book as { path: string };
      const { metadata } = await probeMp3(join(outDir, book.path));
      expect(metadata.format.chapters!.map((chapter) => chapter.title)).toEqual(tracks.map((track) => track.title));
      const arabic = service.requests.filter((request) => request.includes('<voice name="ar-SA-ZariyahNeural">'));
      expect(arabic.map(requestText)).toEqual(["الهول"]);
      expect(service.requests.every((request) => !/https?:|console\.log|alert\(/.test(requestText(request)))).toBe(true);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});

describe("audio stage with an edge service that never answers", () => {
  it("fails once, with the timeout message, and stops the other sections instead of waiting out each one", async () => {
    const service = await fakeService(() => "never-answer");
    const { document } = await readDocument(new URL("../fixtures/every-construct/document.md", import.meta.url).pathname);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-edge-silent-"));
    // One request at a time: without failing fast, every section would make its own request and wait.
    const stage = audioStageWith({ edge: (engineSettings) => createEdgeEngine(engineSettings, { ...fast, endpoint: service.endpoint, maxConcurrentRequests: 1 }) });
    try {
      const failure = await stage
        .write(document, {
          outDir,
          options: { engine: "edge", concurrency: 2, ttsTimeoutMs: 400, now: new Date(0) },
          signal,
          run: (_label, task) => task(),
          report: () => undefined,
          progress: () => undefined,
        })
        .then(
          () => undefined,
          (error: unknown) => error as Error,
        );
      expect(failure?.message).toBe("edge text-to-speech failed: the Edge speech service did not answer within 0.4 s");
      expect(service.connections).toBe(1);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});

describe("edge engine: utterance spans across requests", () => {
  it("gives an utterance voiced in two languages one span over both requests, later requests on the joined timeline", async () => {
    const service = await fakeService(() => "answer");
    const engine = await createEdgeEngine(settings, { ...fast, endpoint: service.endpoint });
    try {
      const speech = (await engine.synthesize(
        [
          {
            segments: [
              { text: "Say", language: "en-US" },
              { text: "bonjour", language: "fr" },
              { text: "twice.", language: "en-US" },
            ],
            pauseAfterMs: 450,
          },
          { segments: [{ text: "Done now.", language: "en-US" }], pauseAfterMs: 450 },
        ],
        signal,
      )) as Mp3Speech;
      // Three runs (en, fr, en+en), one request each; the fake answers each with a second of audio
      // and words 300 ms apart, 250 ms long, from the start of its own audio.
      expect(service.requests).toHaveLength(3);
      const scan = scanFrames(mp3Second);
      const second = scan.frameCount * scan.first.samples;
      expect(speech.words.map((word) => [word.text, word.utterance])).toEqual([
        ["Say", 0],
        ["bonjour", 0],
        ["twice", 0],
        ["Done", 1],
        ["now", 1],
      ]);
      expect(speech.utterances).toEqual([
        { start: 0, end: 2 * second + 6_000 },
        { start: 2 * second + 7_200, end: 2 * second + 20_400 },
      ]);
    } finally {
      await engine.close();
    }
  });
});

describe("chunkText", () => {
  it("keeps whole sentences together under the byte limit", () => {
    const text = "One two three. Four five six! Seven eight nine? Ten.";
    expect(chunkText(text, 30)).toEqual(["One two three. Four five six!", "Seven eight nine? Ten."]);
  });
  it("cuts an over-long sentence at spaces, never inside a word", () => {
    const chunks = chunkText("word ".repeat(50).trim(), 40);
    expect(chunks.every((chunk) => Buffer.byteLength(chunk) <= 40)).toBe(true);
    expect(chunks.join(" ")).toBe("word ".repeat(50).trim());
  });
  it("counts bytes, not characters, for non-Latin text", () => {
    const chunks = chunkText("الهول ".repeat(20).trim(), 50);
    expect(chunks.every((chunk) => Buffer.byteLength(chunk) <= 50)).toBe(true);
  });
});

describe("edgeVoiceFor", () => {
  it.each([
    ["en-US", "en-US-AriaNeural"],
    ["en-GB", "en-GB-SoniaNeural"],
    ["en", "en-US-AriaNeural"],
    ["en-NZ", "en-US-AriaNeural"],
    ["ar", "ar-SA-ZariyahNeural"],
  ])("%s → %s", (language, voice) => expect(edgeVoiceFor(language)).toBe(voice));
  it("has no voice for an unknown language", () => expect(edgeVoiceFor("tlh")).toBeUndefined());
});
