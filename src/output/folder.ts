// The output folder: named, created without trusting Node's recursive mkdir, and every failure
// to write there reported as one OUTPUT error (exit 73) that names the path and the reason.
import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LecternError } from "../messages.js";

/** File-system failures in words a user acts on; the error code stays in the message. */
const fileSystemReasons: Readonly<Record<string, string>> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EFBIG: "the file is larger than this system allows",
  EROFS: "the output folder is on a read-only file system",
  EACCES: "no permission to write there",
  EPERM: "no permission to write there",
  ENOTDIR: "a path in the output folder is a file, not a folder",
  EISDIR: "a folder is in the way of a file",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "the path has too many symbolic links",
  EMFILE: "too many files are open",
  ENFILE: "too many files are open",
  EIO: "the disk reported an input/output error",
  ENOENT: "the file system does not allow a file or folder there",
};

/** The reason for a file-system error in words, with its code: `the disk is full (ENOSPC)`. */
export function describeFileSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? fileSystemReasons[code] : undefined;
  if (reason) return `${reason} (${code})`;
  if (code) return `the file system refused (${code})`;
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}

/**
 * The one error every failed write into the output folder becomes: `<path>: cannot <doing>:
 * <reason in words> (<code>)`, exit 73. A LecternError passes through unchanged.
 */
export function outputFailure(error: unknown, path: string, doing: string): LecternError {
  if (error instanceof LecternError) return error;
  return new LecternError("OUTPUT", `cannot ${doing}: ${describeFileSystemError(error)}`, { file: path, cause: error });
}

/**
 * Checks the output folder option: an empty name would resolve to the current folder, and the
 * stale-file cleanup would then run over whatever is there.
 */
export function checkOutputFolderOption(outDir: string | undefined): string {
  if (outDir === undefined) return resolve("output");
  if (typeof outDir !== "string" || outDir.trim() === "" || outDir.includes("\0")) {
    throw new LecternError("USAGE", `Expected the output folder (\`--out\`, \`outDir\`) to be a folder name, got \`${JSON.stringify(outDir)}\` (${typeof outDir})`, {
      hint: "e.g. `--out output`; an empty name would mean the current folder",
    });
  }
  return resolve(outDir);
}

/** Deepest folder chain `makeFolder` creates: more than any real path, a bound for odd file systems. */
const maxFolderDepth = 256;

/**
 * `mkdir -p`, one level at a time. Node's `mkdir(path, { recursive: true })` loops forever on a
 * path such as `/proc/self/x` (the parent exists, the child can never be made, and each
 * attempt says ENOENT), blocking a libuv thread and every signal handler waiting behind it;
 * here each level is tried once, so such a path fails with one line.
 */
export async function makeFolder(path: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      await mkdir(current);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") {
        const info = await stat(current).catch(() => undefined);
        if (info?.isDirectory()) break;
        throw Object.assign(new Error(`not a folder: ${current}`), { code: "ENOTDIR", path: current, isFile: current === resolve(path) });
      }
      const parent = dirname(current);
      if (code !== "ENOENT" || parent === current || missing.length >= maxFolderDepth) throw error;
      missing.push(current);
      current = parent;
    }
  }
  // The ancestors now exist, deepest last: make each missing level once, no retries.
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      throw error;
    }
  }
}

/** Creates the output folder (and its parents), or says in one line why it cannot be. */
export async function ensureOutputFolder(outDir: string): Promise<void> {
  try {
    await makeFolder(outDir);
  } catch (error) {
    if ((error as { isFile?: boolean }).isFile) {
      throw new LecternError("OUTPUT", "the output folder is a file, not a folder", {
        file: outDir,
        hint: "choose another --out folder, or move the file away",
      });
    }
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") {
      const file = await fileInTheWay(outDir);
      if (file) {
        throw new LecternError("OUTPUT", `cannot create the output folder: ${file} is a file, not a folder (ENOTDIR)`, {
          file: outDir,
          hint: "choose another --out folder, or move the file away",
        });
      }
    }
    throw new LecternError("OUTPUT", `cannot create the output folder: ${describeFileSystemError(error)}`, { file: outDir, cause: error });
  }
}

/** The nearest ancestor of `path` that exists and is not a folder: what stops the folder from being made. */
async function fileInTheWay(path: string): Promise<string | undefined> {
  for (let current = dirname(path), depth = 0; current !== dirname(current) && depth < maxFolderDepth; current = dirname(current), depth++) {
    const info = await stat(current).catch(() => undefined);
    if (info && !info.isDirectory()) return current;
    if (info) return undefined;
  }
  return undefined;
}
