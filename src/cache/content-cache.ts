// A content-addressed cache on disk: work whose inputs have not changed is not done again.
//
// Entries are keyed by a SHA-256 of everything that determines the result (for audio: the
// text, engine, voice, settings and Lectern's version). Each entry is a data file plus a
// small JSON record holding the data's size and hash, written last, so a half-written or
// corrupted entry is detected on read, removed, and treated as a miss.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

export interface CacheEntry<Meta> {
  readonly data: Buffer;
  readonly meta: Meta;
}

interface EntryRecord<Meta> {
  readonly sha256: string;
  readonly bytes: number;
  readonly meta: Meta;
}

export class ContentCache {
  /** Absolute folder holding the entries. */
  readonly folder: string;
  #hits = 0;
  #misses = 0;

  constructor(folder: string) {
    this.folder = folder;
  }

  /** A stable key for any JSON-serialisable description of the work. */
  static key(parts: unknown): string {
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  get hits(): number {
    return this.#hits;
  }

  get misses(): number {
    return this.#misses;
  }

  /** The entry for `key`, or undefined when absent, partial or corrupt (corrupt entries are removed). */
  async get<Meta>(key: string): Promise<CacheEntry<Meta> | undefined> {
    const { dataPath, recordPath } = this.#paths(key);
    let record: EntryRecord<Meta>;
    let data: Buffer;
    try {
      record = JSON.parse(await readFile(recordPath, "utf8")) as EntryRecord<Meta>;
      data = await readFile(dataPath);
    } catch {
      this.#misses++;
      return undefined;
    }
    if (data.length !== record.bytes || createHash("sha256").update(data).digest("hex") !== record.sha256) {
      await Promise.all([rm(dataPath, { force: true }), rm(recordPath, { force: true })]);
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    // Marks the entry as used now: `prune` removes the entries used longest ago first.
    const now = new Date();
    await utimes(recordPath, now, now).catch(() => undefined);
    return { data, meta: record.meta };
  }

  /**
   * Keeps the cache under `maxBytes`: removes the entries used longest ago (by their record's
   * modification time, which `get` and `put` set) until the rest fit, never one used or made
   * since `keepSince` (the running build's own). Also removes temporary files a crash left
   * behind more than an hour ago. Failures are ignored: another process may be pruning too.
   */
  async prune(maxBytes: number, keepSince: number): Promise<{ removedEntries: number; removedBytes: number; bytes: number }> {
    const entries: { key: string; folder: string; bytes: number; usedAt: number }[] = [];
    const hourAgo = Date.now() - 3_600_000;
    let total = 0;
    const folders = await readdir(this.folder, { withFileTypes: true }).catch(() => []);
    for (const folder of folders) {
      if (!folder.isDirectory() || !/^[0-9a-f]{2}$/.test(folder.name)) continue;
      const path = join(this.folder, folder.name);
      const sizes = new Map<string, { bytes: number; usedAt: number }>();
      for (const name of await readdir(path).catch(() => [] as string[])) {
        const info = await stat(join(path, name)).catch(() => undefined);
        if (!info) continue;
        if (name.endsWith(".tmp")) {
          if (info.mtimeMs < hourAgo) await rm(join(path, name), { force: true }).catch(() => undefined);
          continue;
        }
        const match = /^([0-9a-f]{64})\.(bin|json)$/.exec(name);
        if (!match) continue;
        const entry = sizes.get(match[1]!) ?? { bytes: 0, usedAt: 0 };
        entry.bytes += info.size;
        if (match[2] === "json") entry.usedAt = info.mtimeMs;
        sizes.set(match[1]!, entry);
      }
      for (const [key, entry] of sizes) {
        entries.push({ key, folder: path, ...entry });
        total += entry.bytes;
      }
    }
    let removedEntries = 0;
    let removedBytes = 0;
    if (total > maxBytes) {
      entries.sort((a, b) => a.usedAt - b.usedAt);
      for (const entry of entries) {
        if (total - removedBytes <= maxBytes) break;
        if (entry.usedAt >= keepSince) continue;
        // The record first: without it the entry is a miss, whatever happens to the data.
        await rm(join(entry.folder, `${entry.key}.json`), { force: true }).catch(() => undefined);
        await rm(join(entry.folder, `${entry.key}.bin`), { force: true }).catch(() => undefined);
        removedEntries++;
        removedBytes += entry.bytes;
      }
    }
    return { removedEntries, removedBytes, bytes: total - removedBytes };
  }

  /** Stores an entry; failures (read-only cache, full disk) are swallowed: a cache is optional. */
  async put<Meta>(key: string, data: Uint8Array, meta: Meta): Promise<boolean> {
    const { dataPath, recordPath, folder } = this.#paths(key);
    const record: EntryRecord<Meta> = { sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length, meta };
    try {
      await mkdir(folder, { recursive: true });
      await writeAtomically(dataPath, data);
      await writeAtomically(recordPath, JSON.stringify(record));
      return true;
    } catch {
      return false;
    }
  }

  #paths(key: string) {
    const folder = join(this.folder, key.slice(0, 2));
    return { folder, dataPath: join(folder, `${key}.bin`), recordPath: join(folder, `${key}.json`) };
  }
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Where the cache lives: `LECTERN_CACHE_DIR`, else `$XDG_CACHE_HOME/lectern`, else
 * `~/.cache/lectern` (macOS: `~/Library/Caches/lectern`; Windows: `%LOCALAPPDATA%\lectern\cache`).
 */
/** Default upper bound on the cache's size: 4 GB, about 75 books of Alice's length with their EPUBs and PDFs. */
export const defaultCacheMaxBytes = 4 * 1024 ** 3;

/** The cache's size limit: `LECTERN_CACHE_MAX_MB` (whole megabytes), else `defaultCacheMaxBytes`. Undefined when the variable is not a positive whole number. */
export function cacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.LECTERN_CACHE_MAX_MB;
  if (value === undefined || value === "") return defaultCacheMaxBytes;
  return /^[1-9]\d*$/.test(value.trim()) ? Number(value.trim()) * 1024 ** 2 : undefined;
}

export function defaultCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LECTERN_CACHE_DIR) return env.LECTERN_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "lectern");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "lectern");
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "lectern", "cache");
  return join(homedir(), ".cache", "lectern");
}
