// Audio file names never collide, and one-line metadata (ID3, M3U, WebVTT) cannot be broken or cut
// by what a document's title or author holds.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parseBuffer } from "music-metadata";
import { createMp3Encoder } from "wasm-media-encoders";
import { describe, expect, it } from "vitest";
import type { LecternDocument } from "../../src/document/model.js";
import { readDocument } from "../../src/document/read.js";
import { build } from "../../src/pipeline.js";
import { webVtt } from "../../src/stages/audio/captions.js";
import { audioFileNames, fileNameKey, fileStem } from "../../src/stages/audio/file-names.js";
import { oneLineText } from "../../src/stages/audio/metadata-text.js";
import { extendedM3u } from "../../src/stages/audio/playlist.js";
import { bookTag, trackTag } from "../../src/stages/audio/tags.js";
import { probeMp3 } from "../helpers/mp3.js";

/** Every path an `AudioFileNames` holds. */
function allPaths(names: ReturnType<typeof audioFileNames>): string[] {
  return [...[...names.tracks.values()].flatMap((track) => [track.mp3, track.captions]), names.book, names.playlist];
}

describe("audio file names", () => {
  it("a document named like its first track (`01-intro.md`, section `Intro`): the book gets its own name", () => {
    const names = audioFileNames("01-intro", [
      { index: 1, slug: "intro" },
      { index: 2, slug: "next" },
    ]);
    expect(names.tracks.get(1)!.mp3).toBe("audio/01-intro.mp3");
    expect(names.book).toBe("audio/01-intro-book.mp3");
    expect(names.playlist).toBe("audio/01-intro.m3u8");
    // Usually the book keeps the documented name.
    expect(audioFileNames("alice", [{ index: 1, slug: "intro" }]).book).toBe("audio/alice.mp3");
  });

  it("names that differ only in case or normalisation are one name", () => {
    expect(fileNameKey("Intro.MP3")).toBe(fileNameKey("intro.mp3"));
    expect(fileNameKey("caf\u00e9")).toBe(fileNameKey("cafe\u0301"));
    expect(fileNameKey("stra\u00dfe")).toBe(fileNameKey("STRASSE"));
    const names = audioFileNames("01-Intro", [{ index: 1, slug: "intro" }]);
    expect(fileNameKey(names.book)).not.toBe(fileNameKey(names.tracks.get(1)!.mp3));
  });

  it("names are bounded, safe for every file system and for a playlist line", () => {
    expect(fileStem("x".repeat(5000), "f").length).toBeLessThanOrEqual(120);
    expect(Buffer.byteLength(fileStem("\u{20000}".repeat(60), "f"))).toBeLessThanOrEqual(120);
    expect(fileStem("con", "f")).toBe("con_");
    expect(fileStem("../../etc/passwd", "f")).toBe("etc-passwd");
    expect(fileStem("#EXT-X\r\nhttp://evil", "f")).toBe("EXT-X-http-evil");
    expect(fileStem("...", "fallback")).toBe("fallback");
  });

  it("fuzz: random document and section slugs never give two outputs one path (compared as case-insensitive file systems do)", () => {
    const slugPart = fc.oneof(
      fc.constantFrom("intro", "Intro", "INTRO", "01-intro", "01-Intro", "book", "intro-book", "01-intro-book", "con", "a", "", "-", "caf\u00e9", "cafe\u0301", "\u00df", "ss"),
      fc.string({ unit: fc.constantFrom("a", "A", "-", "1", "0", "\u00e9", "e\u0301", "\u00df", "S", "#", ".", "/", " ", "\u202e", "\u0000"), maxLength: 12 }),
      fc.string({ maxLength: 300 }),
    );
    fc.assert(
      fc.property(slugPart, fc.array(slugPart, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 120 }), (documentSlug, sectionSlugs, firstIndex) => {
        const sections = sectionSlugs.map((slug, position) => ({ index: firstIndex + position + 1, slug }));
        const names = audioFileNames(documentSlug, sections, firstIndex + sections.length);
        const paths = allPaths(names);
        expect(new Set(paths.map(fileNameKey)).size).toBe(paths.length);
        for (const path of paths) {
          const name = path.slice("audio/".length);
          expect(path.startsWith("audio/")).toBe(true);
          expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
          expect(name).toMatch(/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}_-]*\.(?:mp3|vtt|m3u8)$/u);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("audio file names from real documents", () => {
  it("fuzz: documents with adversarial file names and headings (equal after slugging, case, length) never give two outputs one path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lectern-audio-names-fuzz-"));
    const name = fc.oneof(
      fc.constantFrom("01-intro", "01-Intro", "Intro", "INTRO", "intro-book", "01-intro-book", "café", "cafe\u0301", "Straße", "STRASSE", "con", "a".repeat(250), "é".repeat(120)),
      fc.string({ unit: fc.constantFrom("a", "B", "-", "1", "0", "é", "ß", " ", "#", "?", "%"), minLength: 1, maxLength: 40 }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(name, fc.array(name, { minLength: 1, maxLength: 6 }), async (fileName, headings) => {
        const base = fileName.replace(/[/\\]/g, "-").trim().slice(0, 200) || "x";
        const path = join(dir, `${run++}`, `${base}.md`);
        await mkdir(join(dir, `${run - 1}`), { recursive: true });
        await writeFile(path, `---\ntitle: T\nlang: en\n---\n\n${headings.map((heading) => `## ${heading}\n\nWords here.\n`).join("\n")}`);
        const { document } = await readDocument(path);
        const paths = allPaths(audioFileNames(document.slug, document.sections));
        expect(new Set(paths.map(fileNameKey)).size).toBe(paths.length);
      }),
      {
        numRuns: 60,
        examples: [
          ["01-intro", ["Intro", "Next"]],
          ["01-Intro", ["intro"]],
          ["02-next", ["A", "Next"]],
        ],
      },
    );
  });
});

describe("one-line metadata", () => {
  const hostile = "Title\u2028next\u000bvertical\u0000nul\u001b[31m\u202Eevil\u2066\r\n\u0085end\u00ad\ufeff";

  it("oneLineText: controls break words, format characters go, ZWJ/ZWNJ and flags stay, white space collapses", () => {
    expect(oneLineText(hostile)).toBe("Title next vertical nul [31mevil end");
    expect(oneLineText("👨\u200d👩\u200d👧 می\u200cخواهم")).toBe("👨\u200d👩\u200d👧 می\u200cخواهم");
    expect(oneLineText("\ud800lone")).toBe("\ufffdlone");
    // The same rule as the document's titles: a subdivision flag's tag characters are kept.
    const scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
    expect(oneLineText(`${scotland} Glasgow`)).toBe(`${scotland} Glasgow`);
  });

  it("the playlist's #PLAYLIST and #EXTINF lines and the WebVTT header hold no line break, VT or control", () => {
    const playlist = extendedM3u(hostile, [{ path: "01-a.mp3", title: hostile, durationSeconds: 1 }]);
    expect(playlist).toBe("#EXTM3U\n#PLAYLIST:Title next vertical nul [31mevil end\n#EXTINF:1,Title next vertical nul [31mevil end\n01-a.mp3\n");
    const vtt = webVtt([{ start: 0, end: 1, text: `one\r\rtwo --> three${hostile}` }], `${hostile} --> x`);
    expect(vtt.split("\n")[0]).toBe("WEBVTT - Title next vertical nul [31mevil end x");
    expect(vtt).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    // One cue: the CRs did not end it.
    expect(vtt.split("\n\n")).toHaveLength(2);
  });

  it("a NUL in the author or title no longer cuts the ID3 artist, album or title (read back with music-metadata)", async () => {
    const doc = {
      path: "/x/doc.md",
      slug: "doc",
      metadata: { title: "Album\u0000Cut\u2028Here", author: "Ann\u0000Smith\u000b", language: "en", source: "https://example.org/a b?q=ü\u0000" },
    } as unknown as LecternDocument;
    const engine = { engine: "espeak", voice: "en\u0000x", settings: {} } as never;
    const encoder = await createMp3Encoder();
    encoder.configure({ sampleRate: 22050, channels: 1, bitrate: 48 });
    const frames = new Uint8Array([...encoder.encode([new Float32Array(22050).map((_, i) => 0.1 * Math.sin(i / 5))]), ...encoder.finalize()]);
    const now = new Date("2026-01-01T00:00:00Z");
    for (const tag of [
      trackTag(doc, engine, { title: "Track\u0000One", track: 1, trackCount: 1 }, now),
      bookTag(doc, engine, [{ id: "ch1", title: "Chap\u0000ter", startMs: 0, endMs: 1000 }], now),
    ]) {
      const metadata = await parseBuffer(new Uint8Array([...tag, ...frames]), { mimeType: "audio/mpeg" }, { includeChapters: true });
      expect(metadata.common.artist).toBe("Ann Smith");
      expect(metadata.common.album).toBe("Album Cut Here");
      expect(metadata.common.title).toMatch(/^(Track One|Album Cut Here)$/);
      const woas = Object.values(metadata.native)
        .flat()
        .find((frame) => frame.id === "WOAS");
      expect(woas?.value).toBe("https://example.org/a%20b?q=%C3%BC");
    }
  });
});

describe("the audio stage's file names and folder, built for real", () => {
  it("`01-intro.md` whose section is `Intro`: a track and a book, both complete, neither overwriting the other", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lectern-audio-names-"));
    const source = join(dir, "01-intro.md");
    await writeFile(source, "---\ntitle: Intro\nlang: en\n---\n\n## Intro\n\nOne short sentence.\n\n## Outro\n\nAnother one.\n");
    const out = join(dir, "out");
    const result = await build(source, { outDir: out, formats: ["audio"], cacheDir: false, concurrency: 2 });
    expect(result.ok).toBe(true);
    const audio = result.manifest.outputs.audio as { book: { path: string; durationSeconds: number }; tracks: { path: string; durationSeconds: number }[] };
    expect(audio.tracks.map((track) => track.path)).toEqual(["audio/01-intro.mp3", "audio/02-outro.mp3"]);
    expect(audio.book.path).toBe("audio/01-intro-book.mp3");
    const track = await probeMp3(join(out, audio.tracks[0]!.path));
    const book = await probeMp3(join(out, audio.book.path));
    // The track is one section long; the book holds both (and its CHAP frames).
    expect(track.metadata.format.duration!).toBeCloseTo(audio.tracks[0]!.durationSeconds, 0);
    expect(book.metadata.format.duration!).toBeGreaterThan(track.metadata.format.duration! + audio.tracks[1]!.durationSeconds * 0.9);
    expect(book.id3.chapter).toHaveLength(2);
    expect(track.id3.chapter ?? []).toHaveLength(0);
  });

  it("a file where the audio folder should be: an output-folder error with the path, before any synthesis", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lectern-audio-folder-"));
    const source = join(dir, "doc.md");
    await writeFile(source, "---\ntitle: Doc\nlang: en\n---\n\nOne short sentence.\n");
    const out = join(dir, "out");
    await mkdir(out);
    await writeFile(join(out, "audio"), "not a folder");
    const cache = join(dir, "cache");
    const result = await build(source, { outDir: out, formats: ["audio"], cacheDir: cache });
    expect(result.ok).toBe(false);
    const report = result.manifest.stages.audio as { status: string; error: string };
    expect(report.status).toBe("failed");
    expect(report.error).toMatch(/out\/audio: the audio folder is a file, not a folder/);
    expect(report.error).not.toMatch(/espeak|text-to-speech/);
    // Nothing was synthesized: the stage put nothing in the cache (a track, the cover art).
    const cached = await readdir(cache, { recursive: true, withFileTypes: true }).catch(() => []);
    expect(cached.filter((entry) => entry.isFile()).map((entry) => entry.name)).toEqual([]);
    expect(await readFile(join(out, "audio"), "utf8")).toBe("not a folder");
  });
});
