// Atomic file writes: a reader (or a crash) never sees a half-written output file.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to a temporary file beside `path`, then renames it over `path`. A rename
 * within one folder is atomic on POSIX file systems, so `path` is always either the old
 * complete file, the new complete file, or absent. The temporary file is removed on failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.lectern-tmp-${basename(path)}-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
