// Audio entries in the cache (each section's track with its sentence timings, the cover art)
// are untrusted input too: a damaged or edited one is made again, and the tracks, captions and
// book are byte for byte what a clean build writes.
import { cp, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type BuildResult } from "../src/pipeline.js";
import { parseRecord, serialiseRecord } from "./helpers/cache-records.js";

const article = new URL("./fixtures/audio/lexicon/", import.meta.url).pathname;

let folder: string;

beforeAll(async () => {
  folder = await realpath(await mkdtemp(join(tmpdir(), "lectern-cache-audio-")));
  await cp(article, join(folder, "book"), { recursive: true });
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function audioFiles(result: BuildResult): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const name of (await readdir(join(result.outDir, "audio"))).sort()) files[name] = await readFile(join(result.outDir, "audio", name));
  return files;
}

describe("audio entries read back from the cache", () => {
  it("a track whose utterance spans were edited, or a cover whose bytes were, is made again, byte for byte", async () => {
    const cacheDir = join(folder, "cache");
    const run = (name: string) => build(join(folder, "book", "article.md"), { outDir: join(folder, name), cacheDir, formats: ["audio"], concurrency: 2 });
    const cold = await run("cold");
    expect(cold.ok).toBe(true);
    const clean = await audioFiles(cold);

    let tampered = 0;
    for (const shard of await readdir(cacheDir)) {
      for (const name of await readdir(join(cacheDir, shard))) {
        const path = join(cacheDir, shard, name);
        if (!name.endsWith(".json")) continue;
        const record = parseRecord(await readFile(path, "utf8"));
        const meta = record.body.meta as { utterances?: { start: unknown; end: unknown }[]; speechSamples?: unknown };
        if (meta.utterances?.length) {
          // A forger's edits, the digest recomputed: a span's start no number, or a span that
          // ends before it starts (numbers of the right kind, in an order Lectern never writes).
          if (tampered % 2 === 0) meta.utterances[0]!.start = "soon";
          else meta.utterances[0] = { start: meta.utterances[0]!.end, end: meta.utterances[0]!.start };
          await writeFile(path, serialiseRecord(record.format, record.body));
        } else {
          // The cover: its PNG's bytes changed, the record left alone.
          const dataPath = path.replace(/\.json$/, ".bin");
          const data = await readFile(dataPath);
          data[data.length >> 1]! ^= 0xff;
          await writeFile(dataPath, data);
        }
        tampered++;
      }
    }
    expect(tampered).toBeGreaterThanOrEqual(2);

    const warm = await run("warm");
    expect(warm.ok).toBe(true);
    expect(await audioFiles(warm)).toEqual(clean);
    const notice = warm.messages.find((message) => message.rule === "cache-entry-damaged");
    expect(notice?.reason).toMatch(new RegExp(`^${tampered} cache entries`));
  }, 120_000);
});
