// Loudness measurement against BS.1770 reference signals, and mastering of real speech to the target.
import { afterAll, describe, expect, it } from "vitest";
import { createEspeakEngine } from "../../src/tts/espeak.js";
import type { PcmSpeech } from "../../src/tts/engine.js";
import { integratedLoudness, LoudnessMeter, masterSpeech, masterSpeechInBlocks, speechBounds, truePeak, TruePeakMeter } from "../../src/audio/mastering.mjs";
import { AudioWorkerPool } from "../../src/tts/worker-pool.js";

function sine(frequency: number, amplitude: number, seconds: number, sampleRate: number): Float32Array {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return samples;
}

describe("integratedLoudness (ITU-R BS.1770-4)", () => {
  // BS.1770 calibration: a 997 Hz sine at 0 dBFS in one channel reads −3.01 LKFS.
  it.each([48000, 44100, 24000, 22050])("reads a −20 dBFS 997 Hz sine as −23.01 LUFS at %i Hz", (sampleRate) => {
    expect(integratedLoudness(sine(997, 0.1, 5, sampleRate), sampleRate)).toBeCloseTo(-23.01, 1);
  });

  it("gates silence out: a tone with silence around it measures about like the tone alone", () => {
    const sampleRate = 22050;
    const tone = sine(997, 0.1, 3, sampleRate);
    const padded = new Float32Array(tone.length * 3);
    padded.set(tone, tone.length);
    // Within half a decibel: blocks straddling the tone's edges pass the gate and weigh a little.
    expect(Math.abs(integratedLoudness(padded, sampleRate) - integratedLoudness(tone, sampleRate))).toBeLessThan(0.5);
    // Without gating, two thirds of silence would pull the mean power down by 4.8 dB.
    expect(integratedLoudness(padded, sampleRate)).toBeGreaterThan(integratedLoudness(tone, sampleRate) - 4);
    expect(integratedLoudness(new Float32Array(sampleRate), sampleRate)).toBe(-Infinity);
  });

  it("finds inter-sample peaks above the sample peak", () => {
    // A sine at a quarter of the sample rate, phase-shifted so samples miss the crests.
    const samples = new Float32Array(1000);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4);
    const samplePeak = 20 * Math.log10(Math.max(...samples.map(Math.abs)));
    expect(truePeak(samples)).toBeGreaterThan(samplePeak + 2);
    expect(truePeak(samples)).toBeCloseTo(20 * Math.log10(0.5), 0);
  });
});

describe("masterSpeech", () => {
  const pool = new AudioWorkerPool(1);
  afterAll(() => pool.close());

  it("brings raw espeak speech (about −21 LUFS, peaks near full scale) to −16 LUFS ±1 LU and ≤ −1 dBTP", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const speech = (await engine.synthesize(
      [{ segments: [{ text: "Loudness is measured over the whole track. Quiet and loud passages are weighed as a listener hears them.", language: "en-US" }], pauseAfterMs: 2000 }],
      new AbortController().signal,
    )) as PcmSpeech;
    const before = integratedLoudness(speech.samples, speech.sampleRate);
    expect(before).toBeLessThan(-18);
    const mastered = masterSpeech(speech.samples, speech.sampleRate, { targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 });
    // Measured again, independently of what masterSpeech reports.
    const after = integratedLoudness(mastered.samples, speech.sampleRate);
    expect(Math.abs(after - -16)).toBeLessThanOrEqual(1);
    expect(truePeak(mastered.samples)).toBeLessThanOrEqual(-1);
    expect(mastered.gainDb).toBeGreaterThan(2);
    // The 2 s pause at the end is trimmed to the 0.8 s natural tail.
    const { end } = speechBounds(speech.samples, speech.sampleRate, 0, 0);
    expect(mastered.samples.length).toBe(Math.min(speech.samples.length, end + Math.round(0.8 * speech.sampleRate)));
  });

  it("leaves silence silent", () => {
    const mastered = masterSpeech(new Float32Array(22050), 22050, { targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 });
    expect(mastered.gainDb).toBe(0);
    expect(mastered.samples.every((sample) => sample === 0)).toBe(true);
  });
});

describe("streaming meters (the mastered signal is measured block by block, never stored whole)", () => {
  const sampleRate = 22050;
  /** A signal with inter-sample peaks everywhere: a quarter-rate sine, samples missing the crests, in bursts. */
  function bursts(): Float32Array {
    const samples = new Float32Array(sampleRate * 3);
    for (let i = 0; i < samples.length; i++) {
      const envelope = Math.floor(i / 5000) % 2 === 0 ? 0.9 : 0.05;
      samples[i] = envelope * Math.sin((Math.PI / 2) * i + Math.PI / 4) + 0.02 * Math.sin(i / 7);
    }
    return samples;
  }
  const splits = [1, 7, 1000, 65536];

  it.each(splits)("LoudnessMeter fed in blocks of %i reads what integratedLoudness reads on the whole", (size) => {
    const samples = bursts();
    const meter = new LoudnessMeter(sampleRate);
    for (let from = 0; from < samples.length; from += size) meter.push(samples.subarray(from, from + size));
    expect(meter.value()).toBeCloseTo(integratedLoudness(samples, sampleRate), 6);
  });

  it.each(splits)("TruePeakMeter fed in blocks of %i finds the peak truePeak finds on the whole", (size) => {
    const samples = bursts();
    const meter = new TruePeakMeter();
    for (let from = 0; from < samples.length; from += size) meter.push(samples.subarray(from, from + size));
    expect(meter.value()).toBeCloseTo(truePeak(samples), 6);
    // And the peak is truly between samples: above the largest sample.
    expect(meter.value()).toBeGreaterThan(20 * Math.log10(Math.max(...samples.map(Math.abs))) + 2);
  });

  it("reads 16-bit PCM as value / 32768, like the same signal in floats", () => {
    const floats = bursts();
    const pcm = Int16Array.from(floats, (value) => Math.round(value * 32767));
    const asFloats = Float32Array.from(pcm, (value) => value / 32768);
    expect(integratedLoudness(pcm, sampleRate)).toBeCloseTo(integratedLoudness(asFloats, sampleRate), 6);
    expect(truePeak(pcm)).toBeCloseTo(truePeak(asFloats), 6);
    expect(speechBounds(pcm, sampleRate, 300, 800)).toEqual(speechBounds(asFloats, sampleRate, 300, 800));
  });

  it("masterSpeechInBlocks hands over consecutive blocks that add up to the mastered track, within the targets", () => {
    const pcm = Int16Array.from(bursts(), (value) => Math.round(value * 32767));
    const collected = masterSpeech(pcm, sampleRate, { targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 });
    const blocks: Float32Array[] = [];
    const result = masterSpeechInBlocks(pcm, sampleRate, { targetLufs: -16, ceilingDbtp: -1, leadMs: 300, tailMs: 800 }, (block) => blocks.push(block.slice()));
    expect(blocks.reduce((sum, block) => sum + block.length, 0)).toBe(result.sampleCount);
    const joined = new Float32Array(result.sampleCount);
    let offset = 0;
    for (const block of blocks) {
      joined.set(block, offset);
      offset += block.length;
    }
    expect(joined).toEqual(collected.samples);
    // What it reports is what an independent measurement of the output finds.
    expect(result.integratedLufs).toBeCloseTo(integratedLoudness(joined, sampleRate), 6);
    expect(Math.abs(result.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(truePeak(joined)).toBeLessThanOrEqual(-1);
  });
});
