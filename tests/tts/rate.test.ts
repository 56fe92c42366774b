// The speaking rate option reaches both engines: espeak speaks faster, Edge gets SSML prosody.
import { afterAll, describe, expect, it } from "vitest";
import { createEdgeEngine } from "../../src/tts/edge.js";
import { createEspeakEngine, espeakDefaultRate } from "../../src/tts/espeak.js";
import type { PcmSpeech } from "../../src/tts/engine.js";
import { AudioWorkerPool } from "../../src/tts/worker-pool.js";

const pool = new AudioWorkerPool(1);
afterAll(() => pool.close());
const signal = new AbortController().signal;
const utterances = [{ segments: [{ text: "A careful reader reads this sentence at an even pace, word by word.", language: "en-US" }], pauseAfterMs: 0 }];

describe("speaking rate", () => {
  it("espeak: rate 1.5 speaks the same text in clearly less time than rate 1, and records its words per minute", async () => {
    const normal = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const faster = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000, rate: 1.5 }, pool);
    expect(normal.description.settings.rate).toBe(espeakDefaultRate);
    expect(faster.description.settings.rate).toBe(Math.round(espeakDefaultRate * 1.5));
    const normalSpeech = (await normal.synthesize(utterances, signal)) as PcmSpeech;
    const fasterSpeech = (await faster.synthesize(utterances, signal)) as PcmSpeech;
    const seconds = (speech: PcmSpeech) => speech.words.at(-1)!.end / speech.sampleRate;
    expect(seconds(fasterSpeech)).toBeLessThan(seconds(normalSpeech) * 0.8);
  });

  it("edge: the rate becomes a prosody percentage in the engine's settings", async () => {
    const slower = await createEdgeEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000, rate: 0.75 }, { endpoint: "ws://127.0.0.1:9/" });
    const normal = await createEdgeEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, { endpoint: "ws://127.0.0.1:9/" });
    try {
      expect(slower.description.settings.rate).toBe("-25%");
      expect(normal.description.settings.rate).toBe("default");
    } finally {
      await slower.close();
      await normal.close();
    }
  });
});
