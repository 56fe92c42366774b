// The audio stage's file writers, one by one: captions, playlist, track names, Info frame, tags, lexicon loading.
import { parseBuffer } from "music-metadata";
import { createMp3Encoder } from "wasm-media-encoders";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { loadLexicon, scriptText, sectionSpeech } from "../../src/document/speech/index.js";
import type { Section } from "../../src/document/model.js";
import { sentenceCues, vttTimestamp, webVtt } from "../../src/stages/audio/captions.js";
import { trackFileBase } from "../../src/stages/audio/index.js";
import { scanFrames, withInfoFrame } from "../../src/audio/mp3-frames.js";
import { extendedM3u } from "../../src/stages/audio/playlist.js";
import { id3Language } from "../../src/stages/audio/tags.js";
import { coverPng, coverSize } from "../../src/stages/audio/cover.js";
import { inflateSync } from "node:zlib";
import { encodeTrack } from "../../src/stages/audio/track.js";
import { AudioWorkerPool } from "../../src/tts/worker-pool.js";

async function encodedSeconds(seconds: number, sampleRate: 22050 | 24000): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate, channels: 1, bitrate: 48 });
  const samples = new Float32Array(Math.round(seconds * sampleRate)).map((_, i) => 0.1 * Math.sin(i / 5));
  return new Uint8Array([...encoder.encode([samples]), ...encoder.finalize()]);
}

describe("captions", () => {
  it("formats WebVTT timestamps", () => {
    expect(vttTimestamp(0)).toBe("00:00:00.000");
    expect(vttTimestamp(3723.4567)).toBe("01:02:03.457");
  });
  it("escapes cue text and keeps cues in order inside the track", () => {
    const cues = sentenceCues(
      [
        { start: 0, end: 22050, text: "Fish & <chips>.", utterance: 0 },
        { start: 11025, end: 44100, text: "Overlapping start.", utterance: 0 },
        { start: 44100, end: 441000, text: "Runs past the end.", utterance: 1 },
      ],
      22050,
      1105,
      3,
    );
    expect(cues.map((cue) => [cue.start, cue.end])).toEqual([
      [1105 / 22050, 1 + 1105 / 22050],
      [1 + 1105 / 22050, 2 + 1105 / 22050],
      [2 + 1105 / 22050, 3],
    ]);
    expect(webVtt(cues, "A --> B")).toBe(
      "WEBVTT - A B\n\n1\n00:00:00.050 --> 00:00:01.050\nFish &amp; &lt;chips&gt;.\n\n2\n00:00:01.050 --> 00:00:02.050\nOverlapping start.\n\n3\n00:00:02.050 --> 00:00:03.000\nRuns past the end.\n",
    );
  });
});

describe("playlist", () => {
  it("writes #EXTM3U with one #EXTINF line per track, titles on one line", () => {
    expect(extendedM3u("Book\nTitle", [{ path: "01-a.mp3", title: "One\r\nTwo", durationSeconds: 12.6 }])).toBe("#EXTM3U\n#PLAYLIST:Book Title\n#EXTINF:13,One Two\n01-a.mp3\n");
  });
});

describe("track file names", () => {
  const section = (index: number): Section => ({ index, role: "body", title: "T", slug: "t", depth: 2, blocks: [], words: 1 });
  it.each([
    [1, 7, "01-t"],
    [7, 12, "07-t"],
    [7, 120, "007-t"],
    [120, 120, "120-t"],
  ])("section %i of %i → %s", (index, count, name) => expect(trackFileBase(section(index), count)).toBe(name));
});

describe("Info frame", () => {
  it("makes parsers read the exact duration from the frame count", async () => {
    const raw = await encodedSeconds(10, 22050);
    const scan = scanFrames(raw);
    const withInfo = await parseBuffer(withInfoFrame(scan, 220500), { mimeType: "audio/mpeg" }, { duration: false });
    expect(withInfo.format.duration).toBeCloseTo((scan.frameCount * 576) / 22050, 6);
    expect(withInfo.format.tool).toBe("LAME 3.100");
    expect(withInfo.format.codecProfile).toBe("CBR");
    // Re-scanning skips the Info frame: it is not audio.
    expect(scanFrames(withInfoFrame(scan)).frameCount).toBe(scan.frameCount);
  });
});

describe("cover art", () => {
  /** Reads back an 8-bit RGB, non-interlaced PNG whose rows all use filter 0 (what encodePng writes). */
  function decodePng(png: Uint8Array): { width: number; height: number; pixel(x: number, y: number): number[] } {
    const bytes = Buffer.from(png);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    let offset = 8;
    let width = 0;
    let height = 0;
    const data: Buffer[] = [];
    while (offset < bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString("ascii", offset + 4, offset + 8);
      const body = bytes.subarray(offset + 8, offset + 8 + length);
      if (type === "IHDR") {
        width = body.readUInt32BE(0);
        height = body.readUInt32BE(4);
        expect([...body.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
      }
      if (type === "IDAT") data.push(body);
      offset += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(data));
    expect(raw.length).toBe(height * (1 + width * 3));
    return { width, height, pixel: (x, y) => [...raw.subarray(y * (1 + width * 3) + 1 + x * 3, y * (1 + width * 3) + 4 + x * 3)] };
  }

  it("draws the EPUB cover's design as a square PNG: paper, frame, dark title text", () => {
    const image = decodePng(coverPng({ title: "Fish & Chips", author: "Ada Lovelace" }));
    expect([image.width, image.height]).toEqual([coverSize, coverSize]);
    expect(image.pixel(5, 5)).toEqual([0xf4, 0xef, 0xe4]);
    expect(image.pixel(31, 300)).toEqual([0x2b, 0x2a, 0x33]);
    // Somewhere on the title's line the ink is dark; the empty middle of the cover is paper.
    const titleRow = Array.from({ length: coverSize }, (_, x) => image.pixel(x, Math.round(coverSize * 0.36) - 12)[0]!);
    expect(Math.min(...titleRow)).toBeLessThan(0x60);
    expect(image.pixel(300, 400)).toEqual([0xf4, 0xef, 0xe4]);
  });

  it("is the same bytes for the same metadata (reproducible tags)", () => {
    expect(Buffer.from(coverPng({ title: "A" })).equals(Buffer.from(coverPng({ title: "A" })))).toBe(true);
  });
});

describe("tags", () => {
  it.each([
    ["en-US", "eng"],
    ["en", "eng"],
    ["ar", "ara"],
    ["fr-CA", "fra"],
    ["xx", "und"],
  ])("TLAN for %s is %s", (tag, code) => expect(id3Language(tag)).toBe(code));
});

describe("encodeTrack", () => {
  it("decodes an engine's MP3 and masters it like synthesized speech, keeping its timings", async () => {
    const pool = new AudioWorkerPool(1);
    try {
      const frames = scanFrames(await encodedSeconds(2, 24000)).frames;
      const track = await encodeTrack(
        { kind: "mp3", frames, sampleRate: 24000, words: [], sentences: [{ start: 0, end: 100, text: "Hi.", utterance: 0 }], utterances: [{ start: 0, end: 100 }] },
        pool,
        {
          bitrate: 48,
          targetLufs: -16,
          ceilingDbtp: -1,
          leadMs: 300,
          tailMs: 800,
        },
      );
      expect(track.sampleRate).toBe(24000);
      // The span moves with the mastering: the decoder's start delay added, the trimmed lead taken off.
      expect(track.utterances).toHaveLength(1);
      expect(track.utterances[0]!.end - track.utterances[0]!.start).toBe(100);
      expect(Math.abs(track.loudness!.integratedLufs - -16)).toBeLessThanOrEqual(1);
      expect(track.loudness!.truePeakDbtp).toBeLessThanOrEqual(-1);
    } finally {
      await pool.close();
    }
  });
});

describe("a document in a language the engine cannot voice", () => {
  it("is read with the default voice, and the stage warns", async () => {
    const { audioStage } = await import("../../src/stages/audio/index.js");
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { document } = await readDocument(new URL("../fixtures/audio/klingon/greeting.md", import.meta.url).pathname);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-audio-tlh-"));
    const warnings: { rule: string }[] = [];
    try {
      const result = await audioStage.write(document, {
        outDir,
        options: { engine: "espeak", concurrency: 1, ttsTimeoutMs: 1000, now: new Date(0) },
        signal: new AbortController().signal,
        run: (_label, task) => task(),
        report: (message) => warnings.push(message),
        progress: () => undefined,
      });
      expect(result.manifest).toMatchObject({ voice: "gmw/en-US" });
      expect(warnings.map((warning) => warning.rule)).toContain("audio-language-unvoiced");
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});

describe("pronunciation lexicon next to the document", () => {
  it("is found, applied before normalisation, and named", async () => {
    const { document } = await readDocument(new URL("../fixtures/audio/lexicon/article.md", import.meta.url).pathname);
    const { lexicon, file } = await loadLexicon(document);
    expect(file).toMatch(/article\.lexicon\.json$/);
    const text = scriptText(sectionSpeech(document, document.sections[0]!, { lexicon }));
    expect(text).toContain("President al Sha-rah spoke about the Hole camp on January fifth, twenty twenty-six.");
  });
  it("is empty when there is none", async () => {
    const { lexicon, file } = await loadLexicon({ path: "/nonexistent/doc.md", directory: "/nonexistent" });
    expect(lexicon.size).toBe(0);
    expect(file).toBeUndefined();
  });
});
