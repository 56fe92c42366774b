// The loudness and true peak Lectern reports are the MP3 file's: decoded here and measured
// again, they agree; and a track whose file would peak over the ceiling is made again under it.
import { afterAll, describe, expect, it } from "vitest";
import { decodeMp3 } from "../../src/audio/mp3-decode.js";
import type { PcmSpeech } from "../../src/tts/engine.js";
import { createEspeakEngine } from "../../src/tts/espeak.js";
import { integratedLoudness, truePeak } from "../../src/audio/mastering.mjs";
import { AudioWorkerPool } from "../../src/tts/worker-pool.js";

const pool = new AudioWorkerPool(1);
afterAll(() => pool.close());
const signal = new AbortController().signal;
const mastering = { bitrate: 48, targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 } as const;
// Real prose from the seed article (tests/corpus/000_14f3f3ed66253a4f.txt), so the peaks are speech's.
const text =
  "For years, al-Hol was the largest detention camp for the families of Islamic State fighters. " +
  "At its height it held more than seventy thousand people, most of them women and children. " +
  "When the guards left, nobody knew where the people inside would go, or who would follow them.";
const utterances = [{ segments: [{ text, language: "en-US" }], pauseAfterMs: 300 }];

/** Loudness and true peak of an MP3 as a player decodes it. */
async function heard(mp3: Uint8Array): Promise<{ lufs: number; peak: number }> {
  const { samples, sampleRate } = await decodeMp3(mp3);
  const floats = Float32Array.from(samples, (sample) => sample / 32768);
  return { lufs: integratedLoudness(floats, sampleRate), peak: truePeak(floats) };
}

describe("loudness reported for an encoded track", () => {
  it("is what the MP3 measures when decoded, within the ceiling", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const track = await engine.synthesizeMastered!(utterances, mastering, signal);
    const file = await heard(track.mp3);
    // 16-bit rounding of the decoded samples is all that may differ.
    expect(Math.abs(track.truePeakDbtp - file.peak)).toBeLessThan(0.05);
    expect(Math.abs(track.integratedLufs - file.lufs)).toBeLessThan(0.05);
    expect(file.peak).toBeLessThanOrEqual(-1);
    expect(Math.abs(file.lufs - -16)).toBeLessThanOrEqual(1);
  });

  it("is made again with a wider limiter margin when the file peaks over the ceiling", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const speech = (await engine.synthesize(utterances, signal)) as PcmSpeech;
    // No margin at all: the limiter aims at the ceiling itself, and MP3's overshoot crosses it.
    const reply = await pool.run("masterAndEncode", { samples: speech.samples, sampleRate: speech.sampleRate, ...mastering, limiterMarginDb: 0 }, [
      speech.samples.buffer as ArrayBuffer,
    ]);
    expect(reply.limiterMarginDb).toBeGreaterThan(0);
    expect(reply.overCeiling).toBe(false);
    const file = await heard(reply.mp3);
    expect(file.peak).toBeLessThanOrEqual(-1);
    expect(Math.abs(reply.truePeakDbtp - file.peak)).toBeLessThan(0.05);
  });
});
