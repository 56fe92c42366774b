// Atomic file writes: a reader (or a crash) never sees a half-written output file.
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to a temporary file beside `path`, then renames it over `path`. A rename
 * within one folder is atomic on POSIX file systems, so `path` is always either the old
 * complete file, the new complete file, or absent. The temporary file is removed on failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temporary = temporaryBeside(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Like `writeFileAtomic`, for a file too large to hold in memory at once: `produce` hands its
 * parts to `append` in order (each is written before the next is asked for), and the file
 * appears at `path` only when every part is written.
 */
export async function writeFileAtomicInParts(path: string, produce: (append: (part: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temporary = temporaryBeside(path);
  try {
    const file = await open(temporary, "w");
    try {
      await produce(async (part) => {
        for (let offset = 0; offset < part.length; ) {
          const { bytesWritten } = await file.write(part, offset, part.length - offset);
          offset += bytesWritten;
        }
      });
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function temporaryBeside(path: string): string {
  return join(dirname(path), `.lectern-tmp-${basename(path)}-${randomBytes(4).toString("hex")}`);
}
