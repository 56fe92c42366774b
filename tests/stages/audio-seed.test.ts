// The one test that reads a whole article aloud: the seed article, every section, end to end.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { audioStage, type AudioTrackManifest } from "../../src/stages/audio/index.js";
import { probeMp3 } from "../helpers/mp3.js";

const seed = new URL("../corpus/000_14f3f3ed66253a4f.txt", import.meta.url).pathname;

describe("audio of the seed article", () => {
  it("reads every section: heading first, durations fit the words, the book's chapters are the sections", async () => {
    const { document } = await readDocument(seed);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-audio-seed-"));
    try {
      const result = await audioStage.write(document, {
        outDir,
        options: { engine: "espeak", concurrency: 2, ttsTimeoutMs: 30_000, now: new Date("2026-02-13T00:00:00Z") },
        signal: new AbortController().signal,
        run: (_label, task) => task(),
        report: () => undefined,
        progress: () => undefined,
      });
      const tracks = result.manifest.tracks as AudioTrackManifest[];
      expect(tracks.map((track) => track.title)).toEqual(document.sections.filter((section) => section.words > 0).map((section) => section.title));
      expect(tracks.map((track) => track.title)).toContain("Why the Number Matters: The New ISIS Threat to the U.S.");
      // 1,984 words at espeak's 165 words a minute, plus pauses: about twelve to sixteen minutes.
      const total = tracks.reduce((sum, track) => sum + track.durationSeconds, 0);
      expect(total).toBeGreaterThan((document.words / 200) * 60);
      expect(total).toBeLessThan((document.words / 120) * 60);
      const bodyTracks = tracks.filter((track) => document.sections[track.section - 1]!.role === "body");
      expect(bodyTracks).toHaveLength(10);
      for (const track of bodyTracks) {
        const captions = await readFile(join(outDir, track.captions), "utf8");
        const firstCue = captions.split("\n\n")[1]!.split("\n").slice(2).join(" ");
        // The heading is read first (normalised for the ear: "ISIS" → "Isis", "U.S." → "U S").
        expect(firstCue.replace(/[^a-z]/gi, "").toLowerCase()).toBe(track.title.replace(/[^a-z]/gi, "").toLowerCase());
      }
      const book = result.manifest.book as { path: string; durationSeconds: number };
      const { metadata } = await probeMp3(join(outDir, book.path));
      expect(metadata.format.chapters!.map((chapter) => chapter.title)).toEqual(tracks.map((track) => track.title));
      expect(Math.abs(metadata.format.duration! - book.durationSeconds)).toBeLessThan(0.1);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
