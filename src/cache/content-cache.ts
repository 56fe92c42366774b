// A content-addressed cache on disk: work whose inputs have not changed is not done again.
//
// Entries are keyed by a SHA-256 of everything that determines the result (for audio: the
// text, engine, voice, settings and Lectern's version). Each entry is a data file plus a
// small JSON record holding the data's size and hash, written last, so a half-written or
// corrupted entry is detected on read, removed, and treated as a miss.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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
    return { data, meta: record.meta };
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
export function defaultCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LECTERN_CACHE_DIR) return env.LECTERN_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "lectern");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "lectern");
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "lectern", "cache");
  return join(homedir(), ".cache", "lectern");
}
