// A content-addressed cache on disk: work whose inputs have not changed is not done again.
//
// Entries are keyed by a SHA-256 of everything that determines the result (for audio: the
// text, engine, voice, settings and Lectern's version). Each entry is a data file plus a
// small record naming the entry's key, the data's size and SHA-256, and the caller's meta,
// preceded by a SHA-256 of the record itself; the record is written last.
//
// The folder is untrusted input: it may be shared, restored from a backup, damaged, or edited
// by hand. So every read checks the record's own digest, that it is the record of this key,
// its shape (the caller's guard, never a cast), and the data's size and hash — before the
// caller sees any of it. Anything that does not verify is a miss: the entry is removed and the
// work done again, and `damagedEntries` counts it so the build can say so once. Reads never
// follow a symbolic link (a record linked to a file elsewhere is not read), never open what is
// not a regular file (a folder, a FIFO), and are bounded in size; removals (`get`, `prune`)
// unlink names inside the folder and never follow a link out of it.
//
// What this does not stop: someone who can write the folder and recomputes every digest can
// file different bytes under a key (a cache is shared with whoever can write it). What they
// cannot do through it is make Lectern read, write or delete outside the cache and `--out`.
import { constants, type Stats } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { lstat, lutimes, open, readdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Message } from "../messages.js";
import { makeFolder } from "../output/folder.js";
import { type Guard, isNonNegativeInteger, isObjectOf, isSha256 } from "./record-shape.js";

export interface CacheEntry<Meta> {
  readonly data: Buffer;
  readonly meta: Meta;
}

/**
 * The on-disk format of records. Bump it whenever records or data files change shape or
 * meaning: entries of another format are then misses, removed without a warning.
 * 1: `{ sha256, bytes, meta }` (0.1.0). 2: a digest line, then `{ key, data: { bytes, sha256 }, meta }`.
 */
export const cacheFormat = 2;

/** A record larger than this is not one Lectern wrote (the largest, a book's EPUB entry, is tens of KB). */
export const maxRecordBytes = 16 * 1024 ** 2;

/** Data larger than this is neither stored nor read (read whole into memory: bounded). */
export const maxDataBytes = 1024 ** 3;

/** The first line of a record: `lectern-cache-record <format> <sha256 of the rest>`. */
const recordHeader = /^lectern-cache-record (\d{1,9}) ([0-9a-f]{64})\n/;

interface EntryRecord<Meta> {
  readonly key: string;
  readonly data: { readonly bytes: number; readonly sha256: string };
  readonly meta: Meta;
}

/** A key as `ContentCache.key` makes them: it names files, so nothing else is accepted. */
const isKey = (key: string): boolean => /^[0-9a-f]{64}$/.test(key);

/** Opening flags for reads: a symbolic link is refused (ELOOP), a FIFO does not block the build. */
const readFlags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

type FileRead = { readonly kind: "absent" } | { readonly kind: "refused"; readonly why: string } | { readonly kind: "read"; readonly data: Buffer };

/**
 * Reads the regular file at `path`, at most `maxBytes`, without following a symbolic link at
 * `path`; `expectedBytes`, when given, must be its size (checked before anything is read).
 */
async function readEntryFile(path: string, maxBytes: number, expectedBytes?: number): Promise<FileRead> {
  if (!constants.O_NOFOLLOW) {
    // Where open cannot refuse links itself (Windows), look first.
    const info = await lstat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) return info.code === "ENOENT" ? { kind: "absent" } : { kind: "refused", why: info.code ?? "unreadable" };
    if (!info.isFile()) return { kind: "refused", why: "not a regular file" };
  }
  let handle;
  try {
    handle = await open(path, readFlags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "absent" };
    return { kind: "refused", why: code === "ELOOP" ? "a symbolic link" : (code ?? "unreadable") };
  }
  try {
    const info: Stats = await handle.stat();
    if (!info.isFile()) return { kind: "refused", why: "not a regular file" };
    if (info.size > maxBytes) return { kind: "refused", why: `${info.size} bytes, over the limit` };
    if (expectedBytes !== undefined && info.size !== expectedBytes) return { kind: "refused", why: `${info.size} bytes, not ${expectedBytes}` };
    // Read what the size promised, and not a byte more (the file may grow while it is read).
    const data = Buffer.alloc(info.size);
    let filled = 0;
    while (filled < data.length) {
      const { bytesRead } = await handle.read(data, filled, data.length - filled, filled);
      if (bytesRead === 0) return { kind: "refused", why: "shorter than its size" };
      filled += bytesRead;
    }
    return { kind: "read", data };
  } catch (error) {
    return { kind: "refused", why: (error as NodeJS.ErrnoException).code ?? "unreadable" };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The bytes of a record: its digest line, then its body. */
function encodeRecord(record: EntryRecord<unknown>): string {
  const body = JSON.stringify(record);
  return `lectern-cache-record ${cacheFormat} ${sha256(body)}\n${body}`;
}

type DecodedRecord<Meta> = { readonly kind: "stale" } | { readonly kind: "damaged"; readonly why: string } | { readonly kind: "record"; readonly record: EntryRecord<Meta> };

/** The record in `bytes`, if it is whole, of this format, of `key`, and of the caller's shape. */
function decodeRecord<Meta>(bytes: Buffer, key: string, isMeta: Guard<Meta>): DecodedRecord<Meta> {
  // Decoded as Latin-1 only to read the ASCII header; the body is hashed as bytes.
  const head = recordHeader.exec(bytes.subarray(0, 120).toString("latin1"));
  if (!head) {
    // A format 1 record was a bare JSON object.
    return bytes[0] === 0x7b ? { kind: "stale" } : { kind: "damaged", why: "no record header" };
  }
  if (Number(head[1]) !== cacheFormat) return { kind: "stale" };
  const body = bytes.subarray(head[0].length);
  if (sha256(body) !== head[2]) return { kind: "damaged", why: "the record's digest does not match it" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { kind: "damaged", why: "the record is not JSON" };
  }
  const isRecord = isObjectOf({ key: isSha256, data: isObjectOf({ bytes: isNonNegativeInteger, sha256: isSha256 }), meta: isMeta });
  if (!isRecord(parsed)) return { kind: "damaged", why: "the record has the wrong shape" };
  // Bound to its key: a valid record copied under another key is another entry's, not this one.
  if (parsed.key !== key) return { kind: "damaged", why: "the record is another key's" };
  if (parsed.data.bytes > maxDataBytes) return { kind: "damaged", why: "the data is over the size limit" };
  return { kind: "record", record: parsed as EntryRecord<Meta> };
}

export class ContentCache {
  /** Absolute folder holding the entries. */
  readonly folder: string;
  #hits = 0;
  #misses = 0;
  #damaged = 0;

  constructor(folder: string) {
    this.folder = folder;
  }

  /** A stable key for any JSON-serialisable description of the work. */
  static key(parts: unknown): string {
    return sha256(JSON.stringify(parts));
  }

  get hits(): number {
    return this.#hits;
  }

  get misses(): number {
    return this.#misses;
  }

  /** Entries found damaged or not of Lectern's making (not merely absent or of an older format) and removed. */
  get damagedEntries(): number {
    return this.#damaged;
  }

  /**
   * The entry for `key` whose meta passes `isMeta`, or undefined when it is absent, of an older
   * format, or does not verify (then it is removed). Never throws for anything found on disk.
   */
  async get<Meta>(key: string, isMeta: Guard<Meta>): Promise<CacheEntry<Meta> | undefined> {
    const found = await this.#read(key, isMeta);
    if (found.kind === "entry") {
      this.#hits++;
      // Marks the entry as used now: `prune` removes the entries used longest ago first.
      // lutimes: a record replaced by a link since it was read is not followed.
      const now = new Date();
      await lutimes(this.#paths(key).recordPath, now, now).catch(() => undefined);
      return found.entry;
    }
    this.#misses++;
    if (found.kind !== "absent") await this.discard(key, found.kind === "damaged" ? found.why : undefined);
    return undefined;
  }

  /**
   * Removes the entry for `key`: the record first (without it the entry is a miss, whatever
   * happens to the data), then the data. With `why`, the entry was damaged: it is counted.
   * Only the two names are unlinked: a link is removed, never what it points to, and a folder
   * where a file should be is left alone.
   */
  async discard(key: string, why?: string): Promise<void> {
    if (why !== undefined) this.#damaged++;
    if (!isKey(key)) return;
    const { recordPath, dataPath } = this.#paths(key);
    await rm(recordPath, { force: true }).catch(() => undefined);
    await rm(dataPath, { force: true }).catch(() => undefined);
  }

  /** One `info` message for the build when entries were damaged, else undefined. */
  damageNotice(): Message | undefined {
    if (this.#damaged === 0) return undefined;
    const entries = this.#damaged === 1 ? "1 cache entry" : `${this.#damaged} cache entries`;
    return {
      severity: "info",
      rule: "cache-entry-damaged",
      reason: `${entries} in ${this.folder} did not verify (damaged, edited or not written by Lectern); discarded and made again`,
      source: "cache",
    };
  }

  async #read<Meta>(
    key: string,
    isMeta: Guard<Meta>,
  ): Promise<{ kind: "absent" } | { kind: "stale" } | { kind: "damaged"; why: string } | { kind: "entry"; entry: CacheEntry<Meta> }> {
    if (!isKey(key)) return { kind: "absent" };
    const { folder, recordPath, dataPath } = this.#paths(key);
    // The shard folder must be a folder of the cache, not a link to one elsewhere.
    const shard = await lstat(folder).catch(() => undefined);
    if (!shard) return { kind: "absent" };
    if (!shard.isDirectory()) {
      this.#damaged++;
      await rm(folder, { force: true }).catch(() => undefined);
      return { kind: "absent" };
    }
    const recordFile = await readEntryFile(recordPath, maxRecordBytes);
    if (recordFile.kind === "absent") return { kind: "absent" };
    if (recordFile.kind === "refused") return { kind: "damaged", why: `the record is ${recordFile.why}` };
    const decoded = decodeRecord(recordFile.data, key, isMeta);
    if (decoded.kind !== "record") return decoded;
    const { record } = decoded;
    const dataFile = await readEntryFile(dataPath, maxDataBytes, record.data.bytes);
    if (dataFile.kind !== "read") return { kind: "damaged", why: dataFile.kind === "absent" ? "the data is missing" : `the data is ${dataFile.why}` };
    if (sha256(dataFile.data) !== record.data.sha256) return { kind: "damaged", why: "the data's hash does not match" };
    return { kind: "entry", entry: { data: dataFile.data, meta: record.meta } };
  }

  /**
   * Keeps the cache under `maxBytes`: removes the entries used longest ago (by their record's
   * modification time, which `get` and `put` set) until the rest fit, never one used or made
   * since `keepSince` (the running build's own). Also removes temporary files a crash left
   * behind more than an hour ago. Failures are ignored: another process may be pruning too.
   * Only regular files directly inside the cache's shard folders are counted or removed: a
   * symbolic link (to a file or a folder elsewhere) is neither followed nor measured.
   */
  async prune(maxBytes: number, keepSince: number): Promise<{ removedEntries: number; removedBytes: number; bytes: number }> {
    const entries: { key: string; folder: string; bytes: number; usedAt: number }[] = [];
    const hourAgo = Date.now() - 3_600_000;
    let total = 0;
    const folders = await readdir(this.folder, { withFileTypes: true }).catch(() => []);
    for (const folder of folders) {
      // A Dirent describes the name itself: a link to a folder is not a directory here.
      if (!folder.isDirectory() || !/^[0-9a-f]{2}$/.test(folder.name)) continue;
      const path = join(this.folder, folder.name);
      const sizes = new Map<string, { bytes: number; usedAt: number }>();
      for (const file of await readdir(path, { withFileTypes: true }).catch(() => [])) {
        if (!file.isFile()) continue;
        const name = file.name;
        const info = await lstat(join(path, name)).catch(() => undefined);
        if (!info?.isFile()) continue;
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

  /** Stores an entry; failures (read-only cache, full disk, a hostile folder) are swallowed: a cache is optional. */
  async put<Meta>(key: string, data: Uint8Array, meta: Meta): Promise<boolean> {
    if (!isKey(key) || data.length > maxDataBytes) return false;
    const { dataPath, recordPath, folder } = this.#paths(key);
    const record = encodeRecord({ key, data: { bytes: data.length, sha256: sha256(data) }, meta });
    if (Buffer.byteLength(record) > maxRecordBytes) return false;
    try {
      // Not mkdir({ recursive: true }): it never returns on a path like /proc/self/x.
      await makeFolder(folder);
      // Never written through a link: the shard must be a folder of the cache itself.
      if (!(await lstat(folder)).isDirectory()) return false;
      await writeAtomically(dataPath, data);
      await writeAtomically(recordPath, record);
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

/** Writes a new file (`wx`: never through a link or over a file planted at the temporary name), then renames it over `path`. */
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, data, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Default upper bound on the cache's size: 4 GB, about 75 books of Alice's length with their EPUBs and PDFs. */
export const defaultCacheMaxBytes = 4 * 1024 ** 3;

/** The cache's size limit: `LECTERN_CACHE_MAX_MB` (whole megabytes), else `defaultCacheMaxBytes`. Undefined when the variable is not a positive whole number. */
export function cacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.LECTERN_CACHE_MAX_MB;
  if (value === undefined || value === "") return defaultCacheMaxBytes;
  return /^[1-9]\d*$/.test(value.trim()) ? Number(value.trim()) * 1024 ** 2 : undefined;
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
