// Per-sentence clips: `trackClips` on hand-made spans, one track synthesized from utterances
// that carry ids (the clips read back against the decoded audio), and the seed article built
// twice, the second time from the cache.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentCache } from "../../src/cache/content-cache.js";
import { readDocument } from "../../src/document/read.js";
import type { Utterance } from "../../src/document/speech/index.js";
import { type AudioData, type AudioTrackClips, durationMsOf, encodedTrackClips, narratorOf, trackClips } from "../../src/stages/audio/clips.js";
import { decodeMp3 } from "../../src/audio/mp3-decode.js";
import { audioStage, synthesizeTrack } from "../../src/stages/audio/index.js";
import { cachedTrack, defaultMastering, storeTrack } from "../../src/stages/audio/track.js";
import type { StageContext } from "../../src/stages/stage.js";
import { createEspeakEngine } from "../../src/tts/espeak.js";
import { AudioWorkerPool } from "../../src/tts/worker-pool.js";
import { probeMp3 } from "../helpers/mp3.js";

/** Every property the contract promises of a track's clips: whole ms, in order, tiling the track from 0 to its end. */
function expectWellFormed(track: AudioTrackClips): void {
  expect(Number.isInteger(track.durationMs)).toBe(true);
  let previousEnd = 0;
  for (const clip of track.clips) {
    expect(Number.isInteger(clip.beginMs) && Number.isInteger(clip.endMs), clip.id).toBe(true);
    expect(clip.beginMs, clip.id).toBe(previousEnd);
    expect(clip.endMs, clip.id).toBeGreaterThan(clip.beginMs);
    expect(clip.endMs, clip.id).toBeLessThanOrEqual(track.durationMs);
    previousEnd = clip.endMs;
  }
  if (track.clips.length > 0) expect(previousEnd).toBe(track.durationMs);
}

describe("trackClips", () => {
  it("maps spans to whole milliseconds with the captions' offset; each clip runs to where the next one's speech starts, the last to the end", () => {
    // 1,000 samples a second: a sample is a millisecond.
    expect(
      trackClips(
        [
          { start: 10, end: 400 },
          { start: 600, end: 900 },
        ],
        ["a-s1", "a-s2"],
        1000,
        2000,
        50,
      ),
    ).toEqual([
      { id: "a-s1", beginMs: 0, endMs: 650 },
      { id: "a-s2", beginMs: 650, endMs: 2000 },
    ]);
  });

  it("makes one clip of the utterances of one id, and of an id-less one between them", () => {
    const spans = [
      { start: 0, end: 100 },
      { start: 150, end: 300 },
      { start: 350, end: 400 },
      { start: 450, end: 500 },
      { start: 550, end: 600 },
    ];
    expect(trackClips(spans, ["p-s1", "p-s1", undefined, "p-s1", "p-s2"], 1000, 1000)).toEqual([
      { id: "p-s1", beginMs: 0, endMs: 550 },
      { id: "p-s2", beginMs: 550, endMs: 1000 },
    ]);
  });

  it("rounds once, to integers: 59,999.4 ms is 59,999 and 59,999.6 is 60,000, a minute the clock value writes without a carry", () => {
    // At 10 kHz a sample is a tenth of a millisecond.
    const clips = trackClips(
      [
        { start: 0, end: 10 },
        { start: 599_994, end: 599_995 },
        { start: 599_996, end: 600_500 },
      ],
      ["m-s1", "m-s2", "m-s3"],
      10_000,
      70_000,
    );
    expect(clips).toEqual([
      { id: "m-s1", beginMs: 0, endMs: 59_999 },
      { id: "m-s2", beginMs: 59_999, endMs: 60_000 },
      { id: "m-s3", beginMs: 60_000, endMs: 70_000 },
    ]);
    // 22,050 Hz: sample counts that are no whole number of milliseconds.
    for (const clip of trackClips(
      [
        { start: 1, end: 22_049 },
        { start: 33_075, end: 1_322_991 },
      ],
      ["r-s1", "r-s2"],
      22_050,
      70_000,
    )) {
      expect(Number.isInteger(clip.beginMs) && Number.isInteger(clip.endMs)).toBe(true);
    }
  });

  it("keeps clips inside [0, durationMs], in order, never overlapping, none of zero length", () => {
    const clips = trackClips(
      [
        { start: 0, end: 0 },
        { start: 5, end: 120 },
        { start: 100, end: 200 },
        { start: 900, end: 1200 },
        { start: 1300, end: 1400 },
      ],
      ["z-s1", "z-s2", "z-s3", "z-s4", "z-s5"],
      1000,
      1000,
      -10,
    );
    // z-s1 and z-s2 both start at 0 once offset and clamped: z-s1 has no length; z-s5 starts past the end.
    expect(clips).toEqual([
      { id: "z-s2", beginMs: 0, endMs: 90 },
      { id: "z-s3", beginMs: 90, endMs: 890 },
      { id: "z-s4", beginMs: 890, endMs: 1000 },
    ]);
  });

  it("gives the decoded duration rounded down, and names the voice as synthetic", () => {
    expect(durationMsOf(22_049, 22_050)).toBe(999);
    expect(durationMsOf(1_323_000, 22_050)).toBe(60_000);
    expect(narratorOf({ engine: "espeak", voice: "gmw/en-US", settings: {} })).toBe("eSpeak NG, synthetic voice (gmw/en-US)");
    expect(narratorOf({ engine: "edge", voice: "en-US-AriaNeural", settings: {} })).toBe("Microsoft Edge neural voice, synthetic (en-US-AriaNeural)");
  });
});

describe("clips of a synthesized track", () => {
  const pool = new AudioWorkerPool(1);
  afterAll(() => pool.close());

  /** Root mean square of decoded samples between two times, ms. */
  const rms = (samples: Int16Array, sampleRate: number, fromMs: number, toMs: number): number => {
    const from = Math.round((fromMs / 1000) * sampleRate);
    const to = Math.round((toMs / 1000) * sampleRate);
    let sum = 0;
    for (let index = from; index < to; index++) sum += (samples[index]! / 32768) ** 2;
    return Math.sqrt(sum / Math.max(1, to - from));
  };

  it("each clip holds its utterances' speech and the pause after it, the next starting where its speech does; a cached rebuild gives the same clips", async () => {
    const engine = await createEspeakEngine({ language: "en-US", concurrency: 1, timeoutMs: 1000 }, pool);
    const say = (text: string, id: string | undefined, pauseAfterMs = 700): Utterance => ({
      kind: id === undefined ? "announcement" : "paragraph",
      segments: [{ text, language: "en-US" }],
      pauseAfterMs,
      ...(id === undefined ? {} : { id }),
    });
    const utterances = [
      say("The Camp.", "camp-s1", 900),
      say("Thousands of people lived there for years.", "camp-s2"),
      // Two utterances of one sentence (a long one the speech cut in two) make one clip.
      say("Then the last buses left,", "camp-s3", 300),
      say("and the gates were closed.", "camp-s3"),
      say("A shell example, 1 line.", undefined),
      say("Nobody came back.", "camp-s4"),
    ];
    const track = await synthesizeTrack(engine, utterances, pool, defaultMastering, new AbortController().signal);
    const clips = encodedTrackClips(track, utterances, { section: 1, path: "audio/01-camp.mp3" });
    expect(clips.clips.map((clip) => clip.id)).toEqual(["camp-s1", "camp-s2", "camp-s3", "camp-s4"]);
    expectWellFormed(clips);

    const { samples: decoded, sampleRate } = await decodeMp3(track.frames);
    // What a gapless player plays (the Info frame's delay skipped): the clips' timeline.
    const samples = decoded.subarray(track.startOffsetSamples, track.startOffsetSamples + track.speechSamples);
    expect(track.startOffsetSamples).toBeGreaterThan(0);
    expect(clips.durationMs).toBe(Math.floor((samples.length / sampleRate) * 1000));
    // The speech is where the clips say: loud inside each, near silence in the pauses between
    // them (the 700 ms after "Thousands…", less 10 ms at each edge).
    for (const clip of clips.clips) expect(rms(samples, sampleRate, clip.beginMs, clip.endMs), clip.id).toBeGreaterThan(0.03);
    // The 700 ms pause after "Thousands…" ends its clip: near silence there, and the next clip starts where the speech does.
    const [, second, third] = clips.clips;
    expect(third!.beginMs).toBe(second!.endMs);
    expect(rms(samples, sampleRate, second!.endMs - 640, second!.endMs - 10)).toBeLessThan(0.003);
    expect(rms(samples, sampleRate, third!.beginMs, third!.beginMs + 400)).toBeGreaterThan(0.01);
    // The merged clip spans its two utterances' short pause.
    const spans = track.utterances;
    expect(third!.endMs - third!.beginMs).toBeGreaterThan(((spans[3]!.end - spans[2]!.start) / sampleRate) * 1000 - 1);

    const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-clips-cache-")));
    const key = ContentCache.key("a track");
    await storeTrack(cache, key, track);
    const again = await cachedTrack(cache, key, utterances.length);
    expect(again).toBeDefined();
    expect(encodedTrackClips(again!, utterances, { section: 1, path: "audio/01-camp.mp3" })).toEqual(clips);
    // A record read for another number of utterances is not this track's.
    expect(await cachedTrack(cache, key, utterances.length + 1)).toBeUndefined();
  }, 60_000);
});

// The whole path: the speech's units (src/document/sentences.ts) voiced by espeak, their clips
// read back against the written MP3s.
describe("clips of the seed article", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-clips-seed-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("every section has clips inside its decoded MP3, in order, in whole ms, and a cached rebuild gives the same data", async () => {
    const { document } = await readDocument(new URL("../../content/al-hol-emptied.md", import.meta.url).pathname);
    const cache = new ContentCache(join(folder, "cache"));
    const context = (outDir: string): StageContext => ({
      outDir,
      options: { engine: "espeak", concurrency: 2, ttsTimeoutMs: 30_000, now: new Date("2026-02-13T00:00:00Z") },
      signal: new AbortController().signal,
      run: (_label, task) => task(),
      cache,
      report: () => undefined,
      progress: () => undefined,
    });
    const cold = await audioStage.write(document, context(join(folder, "cold")));
    const data = cold.data as AudioData;
    expect(data.narrator).toBe("eSpeak NG, synthetic voice (gmw/en-US)");
    expect(data.tracks.map((track) => track.section)).toEqual(document.sections.filter((section) => section.words > 0).map((section) => section.index));
    for (const track of data.tracks) {
      expect(track.path).toMatch(/^audio\/\d{2}-[a-z0-9-]+\.mp3$/);
      expect(track.clips.length, track.path).toBeGreaterThan(0);
      for (const clip of track.clips) expect(clip.id.startsWith(`${document.sections[track.section - 1]!.slug}-s`), clip.id).toBe(true);
      expectWellFormed(track);
      // Read back: the written file's frames, decoded.
      const { scan } = await probeMp3(join(folder, "cold", track.path));
      const { samples, sampleRate } = await decodeMp3(scan.frames);
      // Every clip ends by durationMs (expectWellFormed), which the decoded file reaches.
      expect(track.durationMs).toBeLessThanOrEqual((samples.length / sampleRate) * 1000);
    }
    const ids = data.tracks.flatMap((track) => track.clips.map((clip) => clip.id));
    expect(new Set(ids).size).toBe(ids.length);

    const warm = await audioStage.write(document, context(join(folder, "warm")));
    expect(warm.data).toEqual(cold.data);
  }, 600_000);
});
