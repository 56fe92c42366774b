// The audio stage, end to end on the shared fixture: every output parsed back and checked by structure.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import type { LecternDocument } from "../../src/document/model.js";
import { sectionSpeech, utteranceText } from "../../src/document/speech/index.js";
import { audioStage, type AudioTrackManifest } from "../../src/stages/audio/index.js";
import { decoderStartOffset } from "../../src/audio/mp3-frames.js";
import type { StageContext, StageResult } from "../../src/stages/stage.js";
import { id3Frame, probeMp3 } from "../helpers/mp3.js";

const fixture = new URL("../fixtures/every-construct/document.md", import.meta.url).pathname;
const now = new Date("2026-02-03T04:05:06Z");

interface Recorded {
  labels: string[];
  progress: [number, number][];
}

function stageContext(outDir: string, recorded: Recorded, signal = new AbortController().signal): StageContext {
  return {
    outDir,
    options: { engine: "espeak", concurrency: 2, ttsTimeoutMs: 5000, now },
    signal,
    run: async (label, task) => {
      recorded.labels.push(label);
      return task();
    },
    report: () => undefined,
    progress: (done, total) => recorded.progress.push([done, total]),
  };
}

/** A minimal WebVTT reader: header, then cues of `start --> end` and text. */
function parseVtt(text: string): { start: number; end: number; text: string }[] {
  const blocks = text.trim().split(/\n\n+/);
  expect(blocks[0]).toMatch(/^WEBVTT( - .*)?$/);
  const seconds = (stamp: string): number => {
    const match = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(stamp);
    expect(match, stamp).not.toBeNull();
    return Number(match![1]) * 3600 + Number(match![2]) * 60 + Number(match![3]) + Number(match![4]) / 1000;
  };
  return blocks.slice(1).map((block) => {
    const lines = block.split("\n");
    const timing = lines.find((line) => line.includes("-->"))!;
    const [start, end] = timing.split(" --> ");
    return { start: seconds(start!), end: seconds(end!), text: lines.slice(lines.indexOf(timing) + 1).join("\n") };
  });
}

let outDir: string;
let document: LecternDocument;
let result: StageResult;
let tracks: AudioTrackManifest[];
const recorded: Recorded = { labels: [], progress: [] };

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-audio-"));
  document = (await readDocument(fixture)).document;
  result = await audioStage.write(document, stageContext(outDir, recorded));
  tracks = result.manifest.tracks as AudioTrackManifest[];
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("audio stage", () => {
  it("writes one track per section with words, named NN-<slug>.mp3, each one queue task, longest first", async () => {
    const withWords = document.sections.filter((section) => section.words > 0);
    expect(tracks.map((track) => track.section)).toEqual(withWords.map((section) => section.index));
    expect(tracks.map((track) => track.path)).toEqual(withWords.map((section) => `audio/${String(section.index).padStart(2, "0")}-${section.slug}.mp3`));
    // One task per section, queued longest first (so the last task to start is a short one); the
    // cover is drawn inside the first task that needs it, not in a task of its own.
    const longestFirst = withWords
      .map((section, position) => ({ section, position }))
      .sort((a, b) => b.section.words - a.section.words || a.position - b.position)
      .map(({ section }) => `audio ${String(section.index).padStart(2, "0")}-${section.slug}`);
    expect(recorded.labels).toEqual(longestFirst);
    expect(recorded.progress.at(-1)).toEqual([withWords.length, withWords.length]);
    const files = await readdir(join(outDir, "audio"));
    expect(files.filter((file) => file.startsWith(".lectern-tmp"))).toEqual([]);
    expect(result.files.every((file) => file.startsWith(outDir))).toBe(true);
  });

  it("records the engine, voice and format in the manifest", () => {
    expect(result.manifest).toMatchObject({
      engine: "espeak",
      voice: expect.stringMatching(/en/),
      sampleRate: 22050,
      bitrate: 48,
      channels: 1,
      playlist: `audio/${document.slug}.m3u8`,
    });
  });

  it("writes valid MPEG audio whose duration matches the manifest within 0.1 s and fits the word count", async () => {
    for (const track of tracks) {
      const { metadata, scan } = await probeMp3(join(outDir, track.path));
      expect(metadata.format.container).toBe("MPEG");
      expect(metadata.format.codec).toBe("MPEG 2 Layer 3");
      expect(metadata.format.codecProfile).toBe("CBR");
      expect(metadata.format.numberOfChannels).toBe(1);
      expect(metadata.format.sampleRate).toBe(22050);
      expect(scan.frameCount).toBeGreaterThan(0);
      expect(Math.abs(metadata.format.duration! - track.durationSeconds)).toBeLessThan(0.1);
      // A reader speaks about 2–3 words a second; headings, pauses and announcements add a little,
      // and a code block read out says more words than it is written with (symbols are named).
      const section = document.sections.find((candidate) => candidate.index === track.section)!;
      const codeWords = sectionSpeech(document, section)
        .filter((utterance) => utterance.kind === "code")
        .reduce((sum, utterance) => sum + utteranceText(utterance).split(/\s+/).length, 0);
      expect(track.durationSeconds).toBeGreaterThan(track.words / 4);
      expect(track.durationSeconds).toBeLessThan((track.words + codeWords) / 1 + 6);
    }
  });

  it("tags each track: title, author, album, track n/N, language, genre, comment with the source, engine", async () => {
    for (const track of tracks) {
      const { metadata } = await probeMp3(join(outDir, track.path));
      expect(metadata.common.title).toBe(track.title);
      expect(metadata.common.artist).toBe("Ada Lovelace");
      expect(metadata.common.album).toBe(document.metadata.title);
      expect(metadata.common.track).toEqual({ no: track.track, of: tracks.length });
      expect(metadata.common.genre).toEqual(["Speech"]);
      expect(id3Frame(metadata, "TLAN")).toBe("eng");
      expect(id3Frame(metadata, "COMM")).toMatchObject({ text: expect.stringContaining("https://example.org/every-construct") });
      expect(JSON.stringify(metadata.native)).toContain("espeak");
      expect(metadata.common.picture?.[0]).toMatchObject({ format: "image/png", type: "Cover (front)" });
    }
  });

  it("lists every track in the extended M3U playlist, in order, with lengths and titles", async () => {
    const playlist = await readFile(join(outDir, result.manifest.playlist as string), "utf8");
    const lines = playlist.trimEnd().split("\n");
    expect(lines[0]).toBe("#EXTM3U");
    const entries = lines.filter((line) => line.startsWith("#EXTINF:"));
    expect(entries).toHaveLength(tracks.length);
    tracks.forEach((track, index) => {
      expect(entries[index]).toBe(`#EXTINF:${Math.round(track.durationSeconds)},${track.title}`);
      expect(lines[lines.indexOf(entries[index]!) + 1]).toBe(track.path.replace("audio/", ""));
    });
  });

  it("writes WebVTT captions per track with ordered cues inside the track, heading first then a pause", async () => {
    for (const track of tracks) {
      const cues = parseVtt(await readFile(join(outDir, track.captions), "utf8"));
      expect(cues.length).toBeGreaterThan(0);
      for (let i = 0; i < cues.length; i++) {
        expect(cues[i]!.end).toBeGreaterThan(cues[i]!.start);
        if (i > 0) expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
        // On the timeline a gapless player plays (the encoder's delay skipped): inside the track's own duration.
        expect(cues[i]!.end).toBeLessThanOrEqual(track.durationSeconds + 0.001);
      }
      expect(cues[0]!.start).toBeGreaterThanOrEqual(0);
      const all = cues.map((cue) => cue.text).join(" ");
      expect(all).not.toMatch(/https?:|alert|<script|javascript:/);
    }
    // The fixture's one-line code block is announced, then read; its caption is the code as written.
    const tables = tracks.find((track) => track.title === "Tables and Quotes")!;
    const tableCues = parseVtt(await readFile(join(outDir, tables.captions), "utf8")).map((cue) => cue.text.replace(/\s+/g, " "));
    expect(tableCues.join(" ")).toContain('A JavaScript example, 1 line. console.log("code is shown, never read aloud");');
    const lists = tracks.find((track) => track.title === "Lists of Every Kind")!;
    const cues = parseVtt(await readFile(join(outDir, lists.captions), "utf8"));
    expect(cues[0]!.text).toBe("Lists of Every Kind.");
    expect(cues[1]!.start - cues[0]!.end).toBeGreaterThan(0.6);
  });

  it("masters every track to −16 LUFS ±1 LU with true peaks at or under −1 dBTP", () => {
    for (const track of tracks) {
      expect(track.loudness!.integratedLufs).toBeGreaterThanOrEqual(-17);
      expect(track.loudness!.integratedLufs).toBeLessThanOrEqual(-15);
      expect(track.loudness!.truePeakDbtp).toBeLessThanOrEqual(-1);
    }
  });

  it("writes a full-length book with one ID3 chapter per track at the tracks' offsets", async () => {
    const book = result.manifest.book as { path: string; durationSeconds: number; chapters: { section: number; title: string; startSeconds: number; endSeconds: number }[] };
    const { metadata, id3, scan: bookScan } = await probeMp3(join(outDir, book.path));
    expect(Math.abs(metadata.format.duration! - book.durationSeconds)).toBeLessThan(0.1);
    const chapters = metadata.format.chapters!;
    // The book's audio is every track's frames back to back, byte for byte (read back from the track files).
    const trackFrames = await Promise.all(tracks.map(async (track) => (await probeMp3(join(outDir, track.path))).scan.frames));
    expect(Buffer.compare(Buffer.from(bookScan.frames), Buffer.concat(trackFrames))).toBe(0);
    expect(chapters.map((chapter) => chapter.title)).toEqual(tracks.map((track) => track.title));
    expect(id3.tableOfContents?.[0]).toMatchObject({ isOrdered: true, elements: chapters.map((chapter) => chapter.id) });
    // Chapter k starts where track k's speech starts: the frames of tracks before it, plus the encoder delay.
    let frameSamples = 0;
    for (let k = 0; k < tracks.length; k++) {
      const expected = k === 0 ? 0 : (frameSamples + decoderStartOffset) / 22050;
      expect(Math.abs(chapters[k]!.start - expected)).toBeLessThan(0.002);
      expect(Math.abs(book.chapters[k]!.startSeconds - expected)).toBeLessThan(0.002);
      const { scan } = await probeMp3(join(outDir, tracks[k]!.path));
      frameSamples += scan.frameCount * 576;
    }
    expect(Math.abs(frameSamples / 22050 - book.durationSeconds)).toBeLessThan(0.001);
    expect(chapters.at(-1)!.end).toBeCloseTo(book.durationSeconds, 2);
  });

  it("stops when the run is aborted, and its workers do not keep the process alive", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const abortedOut = await mkdtemp(join(tmpdir(), "lectern-audio-aborted-"));
    try {
      await expect(audioStage.write(document, stageContext(abortedOut, { labels: [], progress: [] }, controller.signal))).rejects.toThrow(/stop/);
    } finally {
      await rm(abortedOut, { recursive: true, force: true });
    }
  });
});

describe("audio cache", () => {
  it("reuses unchanged tracks and the cover from the content cache, byte for byte", async () => {
    const { ContentCache } = await import("../../src/cache/content-cache.js");
    const { document: small } = await readDocument(new URL("../fixtures/audio/lexicon/article.md", import.meta.url).pathname);
    const folder = await mkdtemp(join(tmpdir(), "lectern-audio-cache-"));
    const cache = new ContentCache(join(folder, "cache"));
    try {
      const outputs: Buffer[] = [];
      for (const run of ["first", "second"]) {
        const out = join(folder, run);
        const context = { ...stageContext(out, { labels: [], progress: [] }), cache };
        const written = await audioStage.write(small, context);
        outputs.push(await readFile(join(out, (written.manifest.tracks as AudioTrackManifest[])[0]!.path)));
      }
      // The track and the cover art: drawn and made once, read back the second time.
      expect(cache.misses).toBe(2);
      expect(cache.hits).toBe(2);
      expect(outputs[1]!.equals(outputs[0]!)).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
