// The offline engine in its worker threads: voices, timings, and that the main thread stays free.
import { afterAll, describe, expect, it } from "vitest";
import { createEspeakEngine, espeakVoiceFor } from "../../src/tts/espeak.js";
import type { PcmSpeech } from "../../src/tts/engine.js";
import { AudioWorkerPool } from "../../src/tts/worker-pool.js";
import { lameEncoderDelay, scanFrames } from "../../src/audio/mp3-frames.js";

const pool = new AudioWorkerPool(2);
afterAll(() => pool.close());
const signal = new AbortController().signal;

describe("espeak engine", () => {
  it("picks a voice from the document language, and reports unknown voices as a config error", async () => {
    expect((await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool)).description.voice).toBe("gmw/en-US");
    expect((await createEspeakEngine({ language: "en-GB", concurrency: 1, timeoutMs: 1000 }, pool)).description.voice).toBe("gmw/en");
    expect((await createEspeakEngine({ language: "fr", concurrency: 1, timeoutMs: 1000 }, pool)).description.voice).toMatch(/fr/);
    await expect(createEspeakEngine({ language: "en", voice: "klingon-x", concurrency: 1, timeoutMs: 1000 }, pool)).rejects.toThrow(/no voice `klingon-x`/);
    expect(
      espeakVoiceFor(
        [
          { name: "A", identifier: "x/a", languages: [{ name: "en", priority: 5 }] },
          { name: "B", identifier: "x/b", languages: [{ name: "en", priority: 2 }] },
        ],
        "en-ZZ",
      ),
    ).toBe("x/b");
  });

  it("gives word and sentence timings that are monotonic and cover the text, with the pause after each utterance", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    expect(engine.canVoice("ar")).toBe(true);
    expect(engine.canVoice("tlh")).toBe(false);
    const text = "The camp held twenty thousand people. Nobody planned for what came next.";
    const speech = (await engine.synthesize(
      [
        { segments: [{ text: "A Heading.", language: "en-US" }], pauseAfterMs: 1000 },
        { segments: [{ text, language: "en-US" }], pauseAfterMs: 200 },
      ],
      signal,
    )) as PcmSpeech;
    expect(speech.kind).toBe("pcm");
    expect(speech.sampleRate).toBe(22050);
    const spoken = speech.words.map((word) => word.text.replace(/[.,]/g, ""));
    expect(spoken.slice(0, 2)).toEqual(["A", "Heading"]);
    // Every word of the text is timed once, in order (espeak may fold short function words into the next event).
    const textWords = text.replace(/[.,]/g, "").split(" ");
    const timed = spoken.slice(2);
    expect(timed.length).toBeGreaterThanOrEqual(textWords.length - 2);
    let cursor = 0;
    for (const word of timed) {
      cursor = textWords.indexOf(word, cursor);
      expect(cursor, word).toBeGreaterThanOrEqual(0);
      cursor++;
    }
    for (let i = 1; i < speech.words.length; i++) expect(speech.words[i]!.start).toBeGreaterThanOrEqual(speech.words[i - 1]!.start);
    for (const word of speech.words) expect(word.end).toBeGreaterThan(word.start);
    expect(speech.sentences.map((sentence) => sentence.text)).toEqual(["A Heading.", "The camp held twenty thousand people.", "Nobody planned for what came next."]);
    // The heading's pause separates its sentence from the next by at least the pause.
    expect(speech.sentences[1]!.start - speech.sentences[0]!.end).toBeGreaterThanOrEqual(0.9 * 22050);
    expect(speech.sentences.at(-1)!.end).toBeLessThanOrEqual(speech.samples.length);
    expect(speech.samples.length).toBeGreaterThan(speech.sentences.at(-1)!.end); // the final pause
    // One span per utterance, from the audio written for it: exactly its pause (silence) lies between two.
    expect(speech.utterances).toHaveLength(2);
    const [heading, paragraph] = speech.utterances as [{ start: number; end: number }, { start: number; end: number }];
    expect(heading.start).toBe(0);
    expect(paragraph.start - heading.end).toBe(22050);
    expect(speech.samples.length - paragraph.end).toBe(Math.round(0.2 * 22050));
    expect(speech.samples.subarray(heading.end, paragraph.start).every((sample) => sample === 0)).toBe(true);
    expect(Math.max(...speech.samples.subarray(heading.start, heading.end).map(Math.abs))).toBeGreaterThan(1000);
    for (const timing of [...speech.words, ...speech.sentences]) {
      const span = speech.utterances[timing.utterance]!;
      expect(timing.start, timing.text).toBeGreaterThanOrEqual(span.start);
      expect(timing.end, timing.text).toBeLessThanOrEqual(span.end);
    }
  });

  it("never reads SSML-significant characters as markup", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const speech = (await engine.synthesize([{ segments: [{ text: 'Fish & chips <mark name="x"/> for two.', language: "en-US" }], pauseAfterMs: 0 }], signal)) as PcmSpeech;
    expect(speech.words.map((word) => word.text)).toEqual(expect.arrayContaining(["Fish", "chips", "two."]));
    expect(speech.samples.length).toBeGreaterThan(22050 / 2);
  });

  it("synthesizes off the main thread: timers keep firing while a long text is spoken", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const long = "This sentence is spoken again and again to keep the synthesizer busy for a while. ".repeat(40);
    await engine.synthesize([{ segments: [{ text: long, language: "en-US" }], pauseAfterMs: 0 }], signal);
    clearInterval(timer);
    // Counted, not timed: a blocked main thread would let no interval callback run at all.
    expect(ticks).toBeGreaterThan(3);
  });

  it("stops a running synthesis when the signal aborts, and the pool keeps working", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const controller = new AbortController();
    const long = "A long text that would take a while to speak. ".repeat(400);
    // The job is handed to a thread at once; aborting must not wait for the synchronous WASM call.
    const running = engine.synthesize([{ segments: [{ text: long, language: "en-US" }], pauseAfterMs: 0 }], controller.signal);
    controller.abort(new Error("interrupted by the user"));
    await expect(running).rejects.toThrow("interrupted by the user");
    const after = await engine.synthesize([{ segments: [{ text: "Still here.", language: "en-US" }], pauseAfterMs: 0 }], signal);
    expect(after.words.map((word) => word.text)).toEqual(["Still", "here."]);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const controller = new AbortController();
    controller.abort(new Error("interrupted"));
    await expect(engine.synthesize([{ segments: [{ text: "Hello.", language: "en-US" }], pauseAfterMs: 0 }], controller.signal)).rejects.toThrow(/interrupted/);
  });
});

describe("espeak engine: synthesize, master and encode in one step", () => {
  it("masters a long section in parts: timings continue across parts, the whole track meets the loudness targets", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    // Twelve utterances of about 700 characters: more than one part (parts are about 3,000).
    const sentence = (n: number): string => `Sentence number ${n} of this long section goes on for a while, so that the section needs more than one part.`;
    const utterances = Array.from({ length: 12 }, (_, u) => ({
      segments: [{ text: Array.from({ length: 6 }, (_, s) => sentence(u * 6 + s + 1)).join(" "), language: "en-US" }],
      pauseAfterMs: 450,
    }));
    expect(utterances.reduce((sum, utterance) => sum + utterance.segments[0]!.text.length, 0)).toBeGreaterThan(5000 * 1.5);
    const mastered = await engine.synthesizeMastered!(utterances, { bitrate: 48, targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 }, signal);

    expect(mastered.sentences).toHaveLength(72);
    expect(mastered.sentences.map((timing) => timing.text)).toEqual(Array.from({ length: 72 }, (_, i) => sentence(i + 1)));
    // Utterance numbers and sample positions run on across the parts' joins.
    expect(mastered.sentences.map((timing) => timing.utterance)).toEqual(Array.from({ length: 72 }, (_, i) => Math.floor(i / 6)));
    for (let i = 1; i < mastered.sentences.length; i++) expect(mastered.sentences[i]!.start).toBeGreaterThanOrEqual(mastered.sentences[i - 1]!.end);
    for (let i = 1; i < mastered.words.length; i++) expect(mastered.words[i]!.start).toBeGreaterThan(mastered.words[i - 1]!.start);
    expect(mastered.sentences.at(-1)!.end - mastered.trimmedStart).toBeLessThanOrEqual(mastered.sampleCount);
    // Utterance spans run on across the joins too: one per utterance, each pause exactly between two.
    expect(mastered.utterances).toHaveLength(12);
    for (let u = 1; u < 12; u++) expect(mastered.utterances[u]!.start - mastered.utterances[u - 1]!.end).toBe(Math.round(0.45 * 22050));
    for (const timing of mastered.sentences) {
      expect(timing.start).toBeGreaterThanOrEqual(mastered.utterances[timing.utterance]!.start);
      expect(timing.end).toBeLessThanOrEqual(mastered.utterances[timing.utterance]!.end);
    }

    // The whole track, measured across its parts.
    expect(Math.abs(mastered.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(mastered.truePeakDbtp).toBeLessThanOrEqual(-1);
    // The MP3 holds the samples that were encoded, plus LAME's delay and its last frame's padding.
    const scan = scanFrames(mastered.mp3);
    expect(scan.first).toMatchObject({ sampleRate: mastered.sampleRate, bitrate: 48, channels: 1 });
    const extra = scan.frameCount * scan.first.samples - mastered.sampleCount;
    expect(extra).toBeGreaterThanOrEqual(lameEncoderDelay);
    expect(extra).toBeLessThan(lameEncoderDelay + 3 * scan.first.samples);
  });
});
