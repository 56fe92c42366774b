// Atomic file writes: a reader (or a crash) never sees a half-written output file.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { open, realpath, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { LecternError } from "../messages.js";
import { makeFolder, outputFailure } from "./folder.js";

/**
 * Every temporary file Lectern writes is named `.lectern-tmp-<final name>-<8 hex digits>`, so
 * that the next build of the folder can tell a crash's leftovers (SIGKILL, power loss) from
 * the user's files and remove them (`removeLeftoverTemporaries`).
 */
const temporaryPrefix = ".lectern-tmp-";
const temporaryName = /^\.lectern-tmp-.+-[0-9a-f]{8}$/s;

/** True for a file name `writeFileAtomic` gives its temporary files. */
export function isLecternTemporary(name: string): boolean {
  return temporaryName.test(name);
}

/** The temporary name for a file about to be written at `path`: beside it, so the rename stays within one file system. */
export function temporaryBeside(path: string): string {
  // At most 100 bytes of the final name: the temporary name must fit the 255-byte limit
  // of a file name wherever the final one does.
  let shortened = "";
  for (const character of basename(path)) {
    if (Buffer.byteLength(shortened + character) > 100) break;
    shortened += character;
  }
  return join(dirname(path), `${temporaryPrefix}${shortened}-${randomBytes(4).toString("hex")}`);
}

/** What a build's stage declares for its writes (see `writingInto`). */
interface WriteScope {
  /** The output folder; every file the stage writes must resolve inside it. */
  readonly outDir: string;
  /** Called with the path of every file completed. */
  readonly record: (path: string) => void;
  /** The output folder's real path, resolved on the first write. */
  realOutDir?: Promise<string>;
}

const writes = new AsyncLocalStorage<WriteScope>();

/**
 * Runs `task` so that every file `writeFileAtomic` writes inside it (queued tasks included)
 * must resolve inside `outDir` — a folder in `--out` that is a link elsewhere (`audio ->
 * /somewhere`) is refused instead of written through — and is passed to `record`: the pipeline
 * keeps the files of a stage that then fails, so a later build can still clean them up.
 */
export function writingInto<T>(outDir: string, record: (path: string) => void, task: () => Promise<T>): Promise<T> {
  return writes.run({ outDir, record }, task);
}

/** Refuses a folder that resolves outside the scope's output folder (through a link). */
async function checkConfined(folder: string): Promise<void> {
  const scope = writes.getStore();
  if (!scope) return;
  scope.realOutDir ??= realpath(scope.outDir);
  const [inside, real] = await Promise.all([scope.realOutDir, realpath(folder)]);
  if (real === inside || real.startsWith(inside.endsWith(sep) ? inside : inside + sep)) return;
  throw new LecternError("OUTPUT", `the folder leads outside the output folder (to ${real}): Lectern writes only inside --out`, {
    file: folder,
    hint: "replace the link with a real folder, or choose another --out folder",
  });
}

/**
 * Writes `data` to a temporary file beside `path`, then renames it over `path`. A rename
 * within one folder is atomic on POSIX file systems, so `path` is always either the old
 * complete file, the new complete file, or absent. The temporary file is removed on failure.
 * A failure is an OUTPUT error (exit 73) naming `path` and the reason in words.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryBeside(path);
  try {
    await makeFolder(dirname(path));
    await checkConfined(dirname(path));
    await writeFile(temporary, data, { flag: "wx" }); // exclusive: never through a link planted at that name
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw outputFailure(error, path, "write the file");
  }
  writes.getStore()?.record(path);
}

/**
 * Like `writeFileAtomic`, for a file too large to hold in memory at once: `produce` hands its
 * parts to `append` in order (each is written before the next is asked for), and the file
 * appears at `path` only when every part is written. An error `produce` throws passes through
 * unchanged; a failed write is an OUTPUT error naming `path`.
 */
export async function writeFileAtomicInParts(path: string, produce: (append: (part: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  const temporary = temporaryBeside(path);
  const failedWrite = (error: unknown) => outputFailure(error, path, "write the file");
  try {
    await makeFolder(dirname(path)).catch((error: unknown) => Promise.reject(failedWrite(error)));
    await checkConfined(dirname(path));
    const file = await open(temporary, "wx").catch((error: unknown) => Promise.reject(failedWrite(error)));
    try {
      await produce(async (part) => {
        for (let offset = 0; offset < part.length; ) {
          const { bytesWritten } = await file.write(part, offset, part.length - offset).catch((error: unknown) => Promise.reject(failedWrite(error)));
          offset += bytesWritten;
        }
      });
    } finally {
      await file.close();
    }
    await rename(temporary, path).catch((error: unknown) => Promise.reject(failedWrite(error)));
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  writes.getStore()?.record(path);
}
