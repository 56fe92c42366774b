// One build per output folder at a time: `.lectern.lock`, never empty, naming its owner beyond a pid.
//
// A pid alone says little: in a container Lectern is PID 1 on every run, so the pid of a dead
// build is always "running"; and a pid is reused. The lock therefore records the owner's pid,
// the process's start time (from /proc), the boot id and the host name, plus a random token.
// It is written to a temporary file first and hard-linked into place, which fails when a lock
// exists: the lock appears complete or not at all, and exactly one contender gets it.
import { randomBytes } from "node:crypto";
import { constants, readFileSync } from "node:fs";
import { link, lstat, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { LecternError } from "../messages.js";
import { temporaryBeside } from "./atomic-write.js";
import { describeFileSystemError } from "./folder.js";

export const lockFileName = ".lectern.lock";

/** What `.lectern.lock` holds (JSON). */
export interface LockOwner {
  readonly lectern: "output-lock";
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); absent off Linux. */
  readonly started?: string;
  /** /proc/sys/kernel/random/boot_id: pids and start times mean nothing across a reboot. */
  readonly boot?: string;
  readonly host: string;
  /** Random: the lock is released only by the build that holds this token. */
  readonly token: string;
}

export interface OutputFolderLock {
  /** Removes the lock, if it is still this build's. */
  release(): Promise<void>;
}

/**
 * Tokens of the locks this process holds: a second build in this process is told so, whatever
 * path (through a symbolic link, say) it names the folder by.
 */
const heldHere = new Set<string>();

/** How many times a contender re-reads a lock that changed under it before giving up. */
const maxAttempts = 8;

/**
 * Takes the lock of `outDir` or throws an OUTPUT error (exit 73) naming the folder: another
 * live build holds it, or this process is already building there. A lock whose owner is gone
 * (the process ended, its pid now belongs to another process, the machine rebooted) is taken
 * over.
 */
export async function lockOutputFolder(outDir: string): Promise<OutputFolderLock> {
  const lockPath = join(outDir, lockFileName);
  const owner = ownerOfThisProcess();
  const content = `${JSON.stringify(owner)}\n`;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const temporary = temporaryBeside(lockPath);
    let written = false;
    try {
      await writeFile(temporary, content, { flag: "wx" });
      written = true;
      await link(temporary, lockPath).catch(async (error: unknown) => {
        // File systems without hard links (FAT, some network mounts): create the lock exclusively
        // and fill it. A contender reading it in that instant finds no owner and backs off.
        if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
        await writeFile(lockPath, content, { flag: "wx" });
      });
      heldHere.add(owner.token);
      return { release: () => releaseLock(lockPath, owner.token) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: the build holding the folder removed our temporary file as a crash leftover; try again.
      if (code === "ENOENT" && written) continue;
      if (code !== "EEXIST") {
        throw new LecternError("OUTPUT", `cannot lock the output folder: ${describeFileSystemError(error)}`, { file: outDir, cause: error });
      }
    } finally {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
    let found: FoundLock | undefined;
    try {
      found = await readLock(lockPath);
      if (found === undefined) continue; // released meanwhile
    } catch (error) {
      throw new LecternError("OUTPUT", `cannot read the output folder's lock: ${describeFileSystemError(error)}`, { file: lockPath, cause: error });
    }
    const verdict = judge(found, lockPath);
    if (verdict.live) throw verdict.error(outDir);
    await takeOver(lockPath, found.text).catch((error: unknown) => {
      throw new LecternError("OUTPUT", `cannot take over the output folder's stale lock: ${describeFileSystemError(error)}`, { file: lockPath, cause: error });
    });
  }
  throw new LecternError("OUTPUT", "cannot lock the output folder: its lock file keeps changing", {
    file: outDir,
    hint: "another build is starting there; try again",
  });
}

/**
 * How long a lock's temporary file may stay without an owner in it while a contender is at
 * work: it writes the owner straight after creating the file, then links or removes it.
 */
const ownerlessGraceMs = 1000;

/**
 * For the leftover cleanup: whether a lock's temporary file (a contender's, or a lock moved
 * aside during a takeover) was left by a build that has ended. One that names an owner is
 * judged by the owner; an empty or unreadable one — a build killed between creating it and
 * writing it — is abandoned once it has stayed so for `ownerlessGraceMs` (a contender at work
 * fills or removes its own within milliseconds).
 */
export async function isAbandonedLockFile(path: string): Promise<boolean> {
  const lockPath = join(dirname(path), lockFileName);
  const started = Date.now();
  for (;;) {
    const found = await readLock(path).catch(() => undefined);
    if (found === undefined) return false; // gone: nothing to remove
    if (found.owner) return !judge(found, lockPath).live;
    // Old already, or watched for the grace period without being filled: left by a killed build.
    if (Date.now() - found.modifiedMs >= ownerlessGraceMs || Date.now() - started >= ownerlessGraceMs) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  heldHere.delete(token);
  try {
    const found = await readLock(lockPath);
    if (found?.owner?.token === token) await rm(lockPath, { force: true });
  } catch {
    // A lock that cannot be removed names a process that has ended by the time anyone reads
    // it: the next build takes it over. Failing here would hide the build's own result.
  }
}

interface FoundLock {
  readonly text: string;
  readonly owner?: LockOwner;
  readonly legacyPid?: number;
  readonly modifiedMs: number;
}

/** Larger than any lock Lectern writes: a bigger file at the lock's name is not a lock. */
const maxLockBytes = 4096;

async function readLock(lockPath: string): Promise<FoundLock | undefined> {
  let text: string;
  let modifiedMs: number;
  try {
    // Never through a link, never a folder or a device, never more than a lock's size.
    const info = await lstat(lockPath);
    if (!info.isFile() || info.size > maxLockBytes) return { text: "", modifiedMs: info.mtimeMs };
    const handle = await open(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(maxLockBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxLockBytes, 0);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
    modifiedMs = info.mtimeMs;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") return { text: "", modifiedMs: 0 }; // replaced by a link in between
    throw error;
  }
  const owner = parseOwner(text);
  if (owner) return { text, owner, modifiedMs };
  // Lectern before 0.2 wrote the bare pid.
  if (/^\d{1,10}\s*$/.test(text)) return { text, legacyPid: Number(text.trim()), modifiedMs };
  return { text, modifiedMs };
}

/** The lock's content is untrusted input: anything but the exact shape is not an owner. */
function parseOwner(text: string): LockOwner | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const optionalString = (field: unknown) => field === undefined || typeof field === "string";
  if (
    record.lectern !== "output-lock" ||
    !Number.isSafeInteger(record.pid) ||
    (record.pid as number) <= 0 ||
    typeof record.host !== "string" ||
    typeof record.token !== "string" ||
    !optionalString(record.started) ||
    !optionalString(record.boot)
  ) {
    return undefined;
  }
  return record as unknown as LockOwner;
}

type Verdict = { live: false } | { live: true; error: (outDir: string) => LecternError };

/** Whether the lock's owner may still be writing. Unsure counts as live: two writers lose files. */
function judge(found: FoundLock, lockPath: string): Verdict {
  const busy = (what: string, hint = "wait for it to finish, or choose another --out folder") => ({
    live: true as const,
    error: (outDir: string) => new LecternError("OUTPUT", what, { file: outDir, hint }),
  });
  const { owner } = found;
  if (owner) {
    if (heldHere.has(owner.token)) return busy("this process is already building into this folder", "one build per output folder at a time");
    const self = ownerOfThisProcess();
    const sameKernel = owner.boot !== undefined && owner.boot === self.boot;
    if (!sameKernel) {
      // Another boot of this host: every process of the lock's time has ended. Another host
      // (a shared network folder, or a reboot and a new container name): it cannot be checked from here.
      if (owner.boot !== undefined && self.boot !== undefined && owner.host === self.host) return { live: false };
      if (owner.host !== self.host) {
        return busy(`another Lectern build (pid ${owner.pid} on ${owner.host}) is writing to this folder`, `if no build is running there, delete ${lockPath}`);
      }
    }
    // The same kernel (the host name may differ: each container run gets its own). A pid and
    // its start time name one process; in a container the pid is 1 on every run, the start time is not.
    const started = processStartTime(owner.pid);
    if (started === null) return { live: false }; // no such process
    if (owner.started !== undefined && started !== undefined && started !== owner.started) return { live: false }; // the pid was reused
    if (owner.pid === process.pid && owner.started === self.started) {
      // Our pid and start time, but not a token we hold: a build of this process that ended without releasing.
      return { live: false };
    }
    return busy(`another Lectern build (pid ${owner.pid}) is writing to this folder`);
  }
  if (found.legacyPid !== undefined) {
    const pid = found.legacyPid;
    if (pid === 0 || pid === process.pid) return { live: false };
    if (processStartTime(pid) === null) return { live: false };
    // A process that started after the lock was written cannot be the one that wrote it.
    const startedMs = processStartMs(pid);
    if (startedMs !== undefined && startedMs > found.modifiedMs + 1000) return { live: false };
    return busy(`another Lectern build (pid ${pid}) is writing to this folder`);
  }
  return busy(`the lock file ${lockFileName} is not one Lectern wrote`, `if no Lectern build is running, delete ${lockPath}`);
}

/**
 * Removes a stale lock without ever removing a live one: the lock is renamed aside (atomic),
 * and if what was moved is not the stale content judged (another build took the folder in
 * between), it is linked back.
 */
async function takeOver(lockPath: string, staleText: string): Promise<void> {
  const aside = temporaryBeside(lockPath);
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    // Gone already: the build that holds the folder removed it as an abandoned lock (stale content).
    const moved = await readFile(aside, "utf8").catch(() => staleText);
    if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  } finally {
    await rm(aside, { force: true });
  }
}

let thisProcess: LockOwner | undefined;

function ownerOfThisProcess(): Omit<LockOwner, "token"> & { token: string } {
  thisProcess ??= {
    lectern: "output-lock",
    pid: process.pid,
    ...optional("started", processStartTime(process.pid) ?? undefined),
    ...optional("boot", bootId()),
    host: hostname(),
    token: "",
  };
  return { ...thisProcess, token: randomBytes(16).toString("hex") };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The start time of process `pid` in clock ticks since boot, `null` when no such process
 * runs, `undefined` when it cannot be told (no /proc: macOS, Windows; then only liveness counts).
 */
function processStartTime(pid: number): string | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ESRCH") return existsInProc() ? null : isRunning(pid) ? undefined : null;
    return isRunning(pid) ? undefined : null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')': fields follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19]; // field 22 overall: field 3 is fields[0]
}

/** The start time of `pid` as a wall-clock time in ms, from the boot time and its start tick (Linux). */
function processStartMs(pid: number): number | undefined {
  const ticks = Number(processStartTime(pid));
  if (!Number.isFinite(ticks)) return undefined;
  try {
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    // USER_HZ is 100 on every Linux architecture Node runs on.
    return Number.isFinite(bootSeconds) ? bootSeconds * 1000 + (ticks / 100) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function existsInProc(): boolean {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
