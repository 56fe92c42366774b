import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentCache, defaultCacheFolder } from "../src/cache/content-cache.js";

describe("content cache", () => {
  it("returns what was stored, keyed by content", async () => {
    const cache = new ContentCache(await mkdtemp(join(tmpdir(), "lectern-cache-")));
    const key = ContentCache.key({ text: "Hello.", voice: "en-us" });
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, Buffer.from("mp3 bytes"), { samples: 1234 });
    const entry = await cache.get<{ samples: number }>(key);
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
    expect(await cache.get(key)).toBeUndefined();
    expect(await readdir(join(folder, key.slice(0, 2)))).toEqual([]);
  });

  it("an entry without its record (a crash mid-write) is a miss", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-cache-"));
    const cache = new ContentCache(folder);
    const key = ContentCache.key("y");
    await cache.put(key, Buffer.from("data"), {});
    await writeFile(join(folder, key.slice(0, 2), `${key}.json`), "{not json");
    expect(await cache.get(key)).toBeUndefined();
  });

  it("finds its folder from LECTERN_CACHE_DIR, then XDG_CACHE_HOME", () => {
    expect(defaultCacheFolder({ LECTERN_CACHE_DIR: "/x/cache" })).toBe("/x/cache");
    expect(defaultCacheFolder({ XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/lectern");
  });
});
