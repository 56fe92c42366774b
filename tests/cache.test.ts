import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, symlink, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentCache, defaultCacheFolder } from "../src/cache/content-cache.js";
import { isEmptyObject, isNonNegativeInteger, isObjectOf, isString } from "../src/cache/record-shape.js";
import { cachedTrack } from "../src/stages/audio/track.js";
import { parseRecord, serialiseRecord } from "./helpers/cache-records.js";

describe("content cache", () => {
  it("returns what was stored, keyed by content", async () => {
    const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-cache-")));
    const key = ContentCache.key({ text: "Hello.", voice: "en-us" });
    expect(await cache.get(key, isEmptyObject)).toBeUndefined();
    await cache.put(key, Buffer.from("mp3 bytes"), { samples: 1234 });
    const entry = await cache.get(key, isObjectOf({ samples: isNonNegativeInteger }));
    expect(entry?.data.toString()).toBe("mp3 bytes");
    expect(entry?.meta.samples).toBe(1234);
    expect(ContentCache.key({ text: "Hello!", voice: "en-us" })).not.toBe(key);
    expect(cache.hits).toBe(1);
    expect(cache.misses).toBe(1);
  });

  it("detects a corrupt or truncated entry, removes it and reports a miss", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-cache-"));
    const cache = new ContentCache(folder);
    const key = ContentCache.key("x");
    await cache.put(key, Buffer.from("complete data"), {});
    const dataFile = join(folder, key.slice(0, 2), `${key}.bin`);
    await writeFile(dataFile, (await readFile(dataFile)).subarray(0, 4));
    expect(await cache.get(key, isEmptyObject)).toBeUndefined();
    expect(await readdir(join(folder, key.slice(0, 2)))).toEqual([]);
  });

  it("an entry without its record (a crash mid-write) is a miss", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-cache-"));
    const cache = new ContentCache(folder);
    const key = ContentCache.key("y");
    await cache.put(key, Buffer.from("data"), {});
    await writeFile(join(folder, key.slice(0, 2), `${key}.json`), "{not json");
    expect(await cache.get(key, isEmptyObject)).toBeUndefined();
  });

  it("finds its folder from LECTERN_CACHE_DIR, then XDG_CACHE_HOME", () => {
    expect(defaultCacheFolder({ LECTERN_CACHE_DIR: "/x/cache" })).toBe("/x/cache");
    expect(defaultCacheFolder({ XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/lectern");
  });
});

describe("content cache: size bound", () => {
  async function entryAt(cache: ContentCache, name: string, bytes: number, usedSecondsAgo: number): Promise<string> {
    const key = ContentCache.key(name);
    await cache.put(key, Buffer.alloc(bytes, 1), {});
    const when = new Date(Date.now() - usedSecondsAgo * 1000);
    await utimes(join(cache.folder, key.slice(0, 2), `${key}.json`), when, when);
    return key;
  }

  it("removes the entries used longest ago until the rest fit, never this build's", async () => {
    const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-cache-")));
    const oldest = await entryAt(cache, "oldest", 4000, 300);
    const older = await entryAt(cache, "older", 4000, 200);
    const recent = await entryAt(cache, "recent", 4000, 100);
    // Used again just now: it becomes the most recent.
    expect(await cache.get(oldest, isEmptyObject)).toBeDefined();
    const buildStarted = Date.now() - 50_000;
    const mine = await entryAt(cache, "this build's", 4000, 10);
    const result = await cache.prune(9000, buildStarted);
    expect(result.removedEntries).toBe(2);
    expect(await cache.get(older, isEmptyObject)).toBeUndefined();
    expect(await cache.get(recent, isEmptyObject)).toBeUndefined();
    expect(await cache.get(oldest, isEmptyObject)).toBeDefined();
    expect(await cache.get(mine, isEmptyObject)).toBeDefined();
    // This build's entries stay even when they alone are over the limit.
    expect((await cache.prune(1, Date.now() - 60_000)).removedEntries).toBe(0);
  });

  it("removes temporary files a crash left more than an hour ago, and nothing under the limit", async () => {
    const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-cache-")));
    const key = await entryAt(cache, "kept", 100, 5000);
    const folder = join(cache.folder, key.slice(0, 2));
    await writeFile(join(folder, `${key}.bin.dead.tmp`), "partial");
    await writeFile(join(folder, `${key}.bin.live.tmp`), "being written");
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(join(folder, `${key}.bin.dead.tmp`), twoHoursAgo, twoHoursAgo);
    expect((await cache.prune(1_000_000, Date.now())).removedEntries).toBe(0);
    expect((await readdir(folder)).sort()).toEqual([`${key}.bin`, `${key}.bin.live.tmp`, `${key}.json`]);
  });

  it("reads the limit from LECTERN_CACHE_MAX_MB, refusing what is not a whole number", async () => {
    const { cacheMaxBytes, defaultCacheMaxBytes } = await import("../src/cache/content-cache.js");
    expect(cacheMaxBytes({})).toBe(defaultCacheMaxBytes);
    expect(cacheMaxBytes({ LECTERN_CACHE_MAX_MB: "512" })).toBe(512 * 1024 ** 2);
    expect(cacheMaxBytes({ LECTERN_CACHE_MAX_MB: "lots" })).toBeUndefined();
    expect(cacheMaxBytes({ LECTERN_CACHE_MAX_MB: "0" })).toBeUndefined();
  });
});

describe("content cache: the folder is untrusted input", () => {
  const isNote = isObjectOf({ note: isString });

  async function freshCache(): Promise<{ cache: ContentCache; root: string; key: string; shard: string }> {
    const root = await realpath(await mkdtemp(join(tmpdir(), "lectern-cache-hostile-")));
    const cache = new ContentCache(join(root, "cache"));
    const key = ContentCache.key({ entry: "one" });
    await cache.put(key, Buffer.from("the data of entry one"), { note: "one" });
    return { cache, root, key, shard: join(root, "cache", key.slice(0, 2)) };
  }

  it("a record edited without its digest recomputed is a miss, removed and counted", async () => {
    const { cache, key, shard } = await freshCache();
    const recordPath = join(shard, `${key}.json`);
    await writeFile(recordPath, (await readFile(recordPath, "utf8")).replace('"note":"one"', '"note":"two"'));
    expect(await cache.get(key, isNote)).toBeUndefined();
    expect(await readdir(shard)).toEqual([]);
    expect(cache.damagedEntries).toBe(1);
    expect(cache.damageNotice()?.severity).toBe("info");
  });

  it("a record with a consistent digest but another key, or sizes that do not match the data, is a miss", async () => {
    const { cache, key, shard } = await freshCache();
    const recordPath = join(shard, `${key}.json`);
    const genuine = parseRecord(await readFile(recordPath, "utf8"));
    await writeFile(recordPath, serialiseRecord(genuine.format, { ...genuine.body, key: ContentCache.key("another") }));
    expect(await cache.get(key, isNote)).toBeUndefined();
    await cache.put(key, Buffer.from("the data of entry one"), { note: "one" });
    await writeFile(recordPath, serialiseRecord(genuine.format, { ...genuine.body, data: { ...genuine.body.data, bytes: 5 } }));
    expect(await cache.get(key, isNote)).toBeUndefined();
    expect(cache.damagedEntries).toBe(2);
  });

  it("a meta of the wrong shape is a miss: the caller's guard decides, nothing is cast", async () => {
    const { cache, key } = await freshCache();
    expect(await cache.get(key, isObjectOf({ note: isNonNegativeInteger }))).toBeUndefined();
    const other = ContentCache.key("proto");
    await cache.put(other, Buffer.from("x"), JSON.parse('{"note":"x","__proto__":{"polluted":true}}'));
    expect(await cache.get(other, isNote)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an entry of the previous format is a quiet miss (not counted as damage)", async () => {
    const { cache, key, shard } = await freshCache();
    const data = Buffer.from("old data");
    await writeFile(join(shard, `${key}.bin`), data);
    await writeFile(join(shard, `${key}.json`), JSON.stringify({ sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length, meta: { note: "old" } }));
    expect(await cache.get(key, isNote)).toBeUndefined();
    expect(cache.damagedEntries).toBe(0);
    expect(await readdir(shard)).toEqual([]);
  });

  it("a record or data file that is a symbolic link is not followed: a miss; the link is removed, never its target", async () => {
    const { cache, root, key, shard } = await freshCache();
    for (const suffix of ["json", "bin"]) {
      await cache.put(key, Buffer.from("the data of entry one"), { note: "one" });
      const outside = join(root, `outside.${suffix}`);
      await rename(join(shard, `${key}.${suffix}`), outside);
      const genuine = await readFile(outside);
      await symlink(outside, join(shard, `${key}.${suffix}`));
      expect(await cache.get(key, isNote)).toBeUndefined();
      expect(await readFile(outside)).toEqual(genuine);
      expect(await readdir(shard)).toEqual([]);
    }
  });

  it("a shard folder linked elsewhere is neither read nor written through", async () => {
    const { cache, root, key, shard } = await freshCache();
    const outside = join(root, "outside-shard");
    await rename(shard, outside);
    await symlink(outside, shard);
    const before = (await readdir(outside)).sort();
    expect(await cache.get(key, isNote)).toBeUndefined();
    expect(await cache.put(ContentCache.key({ entry: "one" }), Buffer.from("new"), { note: "new" })).toBe(true);
    expect((await readdir(outside)).sort()).toEqual(before);
  });

  it("a record over the size bound, a folder or a FIFO where a file should be: a miss, without reading or blocking", async () => {
    const { cache, key, shard } = await freshCache();
    const recordPath = join(shard, `${key}.json`);
    // 64 MB of nothing (a sparse file: no disk used), over the bound on records.
    await truncate(recordPath, 64 * 1024 ** 2);
    expect(await cache.get(key, isNote)).toBeUndefined();
    await mkdir(recordPath);
    expect(await cache.get(key, isNote)).toBeUndefined();
    await rm(recordPath, { recursive: true });
    if (process.platform !== "win32") {
      execFileSync("mkfifo", [recordPath]);
      expect(await cache.get(key, isNote)).toBeUndefined();
    }
  });

  it("prune never follows a link out of the cache, nor counts what a link points to", async () => {
    const { cache, root, key, shard } = await freshCache();
    await utimes(join(shard, `${key}.json`), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const outside = join(root, "precious");
    await mkdir(outside);
    const names = [`${"ab".repeat(32)}.json`, `${"ab".repeat(32)}.bin`, "old.bin.dead.tmp"];
    for (const name of names) await writeFile(join(outside, name), Buffer.alloc(4096, 7));
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    for (const name of names) await utimes(join(outside, name), monthAgo, monthAgo);
    // A shard that is a link to the outside folder, and entry names linked to its files.
    await symlink(outside, join(cache.folder, "ab"));
    for (const name of names) await symlink(join(outside, name), join(shard, name.replace(/^(ab)+/, "cd".repeat(32))));
    const genuineBytes = (await readFile(join(shard, `${key}.json`))).length + (await readFile(join(shard, `${key}.bin`))).length;
    const result = await cache.prune(1, Date.now());
    // Only the one real entry was measured and removed.
    expect(result).toEqual({ removedEntries: 1, removedBytes: genuineBytes, bytes: 0 });
    expect((await readdir(outside)).sort()).toEqual([...names].sort());
    for (const name of names) expect((await readFile(join(outside, name))).length).toBe(4096);
  });
});

describe("audio track entries read back from the cache", () => {
  // Three MPEG-1 Layer III frames (128 kbps, 44.1 kHz, 417 bytes each), silent.
  const frames = Buffer.concat(Array.from({ length: 3 }, () => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(413)])));
  const meta = { speechSamples: 3000, startOffsetSamples: 1105, utterances: [{ start: 1105, end: 3000 }] };

  it("are used when their meta has the track's shape", async () => {
    const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-cache-track-")));
    const key = ContentCache.key("a track");
    await cache.put(key, frames, meta);
    expect((await cachedTrack(cache, key, 1))?.utterances).toEqual(meta.utterances);
  });

  for (const [what, bad] of [
    ["spans that are not a list", { ...meta, utterances: "all of them" }],
    ["a timing that is not a number", { ...meta, utterances: [{ ...meta.utterances[0], start: "soon" }] }],
    ["a span that ends before it starts", { ...meta, utterances: [{ start: 3000, end: 1105 }] }],
    ["spans for another number of utterances", { ...meta, utterances: [meta.utterances[0], meta.utterances[0]] }],
    ["a negative sample count", { ...meta, speechSamples: -1 }],
    ["an unknown field", { ...meta, extra: true }],
  ] as const) {
    it(`are a miss with ${what}`, async () => {
      const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-cache-track-")));
      const key = ContentCache.key("a track");
      await cache.put(key, frames, bad);
      expect(await cachedTrack(cache, key, 1)).toBeUndefined();
    });
  }
});
