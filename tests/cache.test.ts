import { mkdtemp, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentCache, defaultCacheFolder } from "../src/cache/content-cache.js";
import { isEmptyObject, isNonNegativeInteger, isObjectOf } from "../src/cache/record-shape.js";

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
