// The cache is untrusted input: a record or blob edited by hand, restored from a damaged
// backup or planted by someone who shares the cache folder is a miss — the EPUB and PDF are
// made again, byte for byte what a clean build makes — and it can never make Lectern write
// outside `--out`, overwrite a file that is not the stage's own, or read outside the cache.
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readOutcome } from "../src/stages/stage-output-cache.js";
import { build, type BuildResult } from "../src/pipeline.js";
import { openEpubBytes } from "./helpers/epub.js";
import { editRecord, type RecordFile, stageOutputRecords } from "./helpers/cache-records.js";

const fixture = new URL("./fixtures/every-construct/", import.meta.url).pathname;

let folder: string;
let book: string;
let cacheDir: string;

beforeEach(async () => {
  folder = await realpath(await mkdtemp(join(tmpdir(), "lectern-cache-tampering-")));
  await cp(fixture, join(folder, "book"), { recursive: true });
  book = join(folder, "book", "document.md");
  cacheDir = join(folder, "cache");
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Builds into `out/<name>` (two levels below the test folder, so `../../x` would land in it). */
async function buildInto(name: string, formats: ("epub" | "pdf")[] = ["epub", "pdf"]): Promise<BuildResult> {
  return build(book, { outDir: join(folder, "out", name), cacheDir, formats, concurrency: 2 });
}

async function outputBytes(result: BuildResult, stage: "epub" | "pdf"): Promise<Buffer> {
  return readFile(join(result.outDir, result.stages[stage]!.files[0]!));
}

/** A clean build, then the stage's record, ready to edit. */
async function coldBuild(): Promise<{ cold: BuildResult; epubRecord: RecordFile; pdfRecord: RecordFile }> {
  const cold = await buildInto("cold");
  expect(cold.ok).toBe(true);
  const records = await stageOutputRecords(cacheDir);
  const epubRecord = records.find((record) => record.meta.files[0]?.path.endsWith(".epub"));
  const pdfRecord = records.find((record) => record.meta.files[0]?.path.endsWith(".pdf"));
  expect(epubRecord && pdfRecord).toBeTruthy();
  return { cold, epubRecord: epubRecord!, pdfRecord: pdfRecord! };
}

/** Everything in the test folder outside the output and cache folders (the book, and what a test put there). */
async function filesOutsideOutAndCache(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true })) {
    const name = String(entry);
    if (name === "out" || name.startsWith("out/") || name === "cache" || name.startsWith("cache/")) continue;
    found.push(name);
  }
  return found.sort();
}

describe("a tampered EPUB/PDF cache entry is a miss, rebuilt in full", () => {
  it("edited byte counts: the EPUB is made again, whole, not served truncated", async () => {
    const { cold, epubRecord } = await coldBuild();
    await editRecord(epubRecord, (meta) => {
      meta.files[0]!.bytes -= 100;
    });
    const warm = await buildInto("warm");
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect(warm.stages.pdf!.fromCache).toBe(true);
    const epub = await outputBytes(warm, "epub");
    expect(epub.length).toBe((await outputBytes(cold, "epub")).length);
    expect(epub.equals(await outputBytes(cold, "epub"))).toBe(true);
    expect(openEpubBytes(epub).toc.length).toBeGreaterThan(0);
  });

  it("edited byte counts, record digest recomputed: still made again", async () => {
    const { cold, epubRecord } = await coldBuild();
    await editRecord(
      epubRecord,
      (meta) => {
        meta.files[0]!.bytes -= 100;
      },
      { rehash: true },
    );
    const warm = await buildInto("warm");
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
  });

  it("a blob swapped for another of the same size (its whole-entry hash updated too) is made again", async () => {
    const { cold, pdfRecord } = await coldBuild();
    const original = await readFile(pdfRecord.dataPath);
    const swapped = Buffer.from(original);
    // Same size, different bytes: the PDF's first half and second half exchanged.
    swapped.set(original.subarray(original.length >> 1), 0);
    swapped.set(original.subarray(0, original.length >> 1), original.length - (original.length >> 1));
    await writeFile(pdfRecord.dataPath, swapped);
    const warmNaive = await buildInto("warm-naive");
    expect(warmNaive.stages.pdf!.fromCache).toBeUndefined();
    expect((await outputBytes(warmNaive, "pdf")).equals(await outputBytes(cold, "pdf"))).toBe(true);

    // A forger who also fixes the entry's overall hash: each file's own hash still tells.
    const records = await stageOutputRecords(cacheDir);
    const rebuilt = records.find((record) => record.meta.files[0]?.path.endsWith(".pdf"))!;
    await writeFile(rebuilt.dataPath, swapped);
    await editRecord(rebuilt, () => undefined, { rehash: true, dataSha256: createHash("sha256").update(swapped).digest("hex") });
    const warmForged = await buildInto("warm-forged");
    expect(warmForged.stages.pdf!.fromCache).toBeUndefined();
    expect((await outputBytes(warmForged, "pdf")).equals(await outputBytes(cold, "pdf"))).toBe(true);
  });

  it("a record copied under another key is a miss", async () => {
    const { cold, epubRecord, pdfRecord } = await coldBuild();
    // The PDF's entry filed under the EPUB's key: a valid record, for other work.
    await writeFile(epubRecord.recordPath, await readFile(pdfRecord.recordPath));
    await writeFile(epubRecord.dataPath, await readFile(pdfRecord.dataPath));
    const warm = await buildInto("warm", ["epub"]);
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
    expect(await readdir(warm.outDir)).not.toContain("document.pdf");
  });
});

describe("paths in a record are never trusted", () => {
  for (const [what, path] of [
    ["`../../x`", "../../escaped.epub"],
    ["an absolute path", "ABSOLUTE"],
    ["a NUL byte", "document\0.epub"],
  ] as const) {
    it(`a file path edited to ${what} writes nothing outside --out`, async () => {
      const { cold, epubRecord } = await coldBuild();
      const before = await filesOutsideOutAndCache();
      await editRecord(
        epubRecord,
        (meta) => {
          meta.files[0]!.path = path === "ABSOLUTE" ? join(folder, "absolute.epub") : path;
        },
        { rehash: true },
      );
      const warm = await buildInto("warm");
      expect(await filesOutsideOutAndCache()).toEqual(before);
      expect(warm.stages.epub!.fromCache).toBeUndefined();
      expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
    });
  }

  it("a file path edited to another file in --out does not overwrite it", async () => {
    const { cold, epubRecord } = await coldBuild();
    const out = join(folder, "out", "warm");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "notes.txt"), "mine");
    await editRecord(
      epubRecord,
      (meta) => {
        meta.files[0]!.path = "notes.txt";
      },
      { rehash: true },
    );
    const warm = await buildInto("warm", ["epub"]);
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("mine");
    expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
  });

  it("an image read recorded in another folder is not read again there", async () => {
    const { epubRecord } = await coldBuild();
    // A file outside the document's folder, and a read of it with its true outcome: if Lectern
    // followed the record's folder, the check would pass and the entry would be served.
    const secrets = join(folder, "secrets");
    await mkdir(secrets);
    const secret = Buffer.from("\x89PNG\r\n\x1a\n not really a picture");
    await writeFile(join(secrets, "secret.png"), secret);
    await editRecord(
      epubRecord,
      (meta) => {
        meta.reads.push({ source: "secret.png", directory: secrets, outcome: readOutcome("file", join(secrets, "secret.png"), secret) });
      },
      { rehash: true },
    );
    const warm = await buildInto("warm");
    expect(warm.stages.epub!.fromCache).toBeUndefined();
  });
});

describe("the cache folder itself may be hostile", () => {
  it("a record replaced by a symbolic link to a file outside the cache is a miss; that file is neither used nor deleted", async () => {
    const { cold, epubRecord } = await coldBuild();
    const outside = join(folder, "elsewhere");
    await mkdir(outside);
    // The genuine record, moved out of the cache: if the link were followed, the entry would verify.
    await rename(epubRecord.recordPath, join(outside, "record.json"));
    const genuine = await readFile(join(outside, "record.json"));
    await symlink(join(outside, "record.json"), epubRecord.recordPath);
    const warm = await build(book, { outDir: join(folder, "out", "warm"), cacheDir, formats: ["epub", "pdf"], cacheMaxMB: 1 });
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
    expect(await readFile(join(outside, "record.json"))).toEqual(genuine);
  });

  it("an entry's shard folder linked to a folder outside the cache is neither read nor written", async () => {
    const { cold, epubRecord } = await coldBuild();
    const shard = join(epubRecord.recordPath, "..");
    const outside = join(folder, "elsewhere");
    await rename(shard, outside);
    await symlink(outside, shard);
    const before = (await readdir(outside)).sort();
    const warm = await buildInto("warm");
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
    expect((await readdir(outside)).sort()).toEqual(before);
  });

  it("a directory where a record or blob should be is a miss, not an error", async () => {
    const { cold, epubRecord, pdfRecord } = await coldBuild();
    await rm(epubRecord.recordPath);
    await mkdir(epubRecord.recordPath);
    await rm(pdfRecord.dataPath);
    await mkdir(pdfRecord.dataPath);
    const warm = await buildInto("warm");
    expect(warm.ok).toBe(true);
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect(warm.stages.pdf!.fromCache).toBeUndefined();
    expect((await outputBytes(warm, "pdf")).equals(await outputBytes(cold, "pdf"))).toBe(true);
  });

  it("a record of the wrong shape is a miss, not an error", async () => {
    const { cold, epubRecord } = await coldBuild();
    await editRecord(
      epubRecord,
      (meta) => {
        (meta as unknown as { files: unknown }).files = "everything";
      },
      { rehash: true },
    );
    const warm = await buildInto("warm");
    expect(warm.ok).toBe(true);
    expect(warm.stages.epub!.fromCache).toBeUndefined();
    expect((await outputBytes(warm, "epub")).equals(await outputBytes(cold, "epub"))).toBe(true);
  });
});

describe("a damaged cache is worth knowing about", () => {
  it("says so once, as an info message, and not when the cache is only warm", async () => {
    const { epubRecord, pdfRecord } = await coldBuild();
    const warm = await buildInto("warm");
    expect(warm.messages.filter((message) => message.rule === "cache-entry-damaged")).toEqual([]);
    await editRecord(epubRecord, (meta) => {
      meta.files[0]!.bytes += 1;
    });
    await writeFile(pdfRecord.dataPath, "not a PDF");
    const damaged = await buildInto("damaged");
    const notices = damaged.messages.filter((message) => message.rule === "cache-entry-damaged");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ severity: "info", source: "cache" });
    expect(notices[0]!.reason).toMatch(/^2 cache entries in .* did not verify/);
    expect(damaged.ok).toBe(true);
  });
});
