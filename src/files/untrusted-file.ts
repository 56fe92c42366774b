// Reading a file that Lectern finds on disk and did not write itself: a lexicon beside the
// document, a manifest in --out. Such a path may be a link to somewhere else, a FIFO that
// never answers, a device such as /dev/zero, or huge; none of these may hang, exhaust or
// mislead a build.
import { constants } from "node:fs";
import { open } from "node:fs/promises";

export type UntrustedFile =
  | { readonly kind: "file"; readonly bytes: Buffer }
  | { readonly kind: "missing" }
  /** There is something at the path, and it is not a regular file of at most the size allowed. */
  | { readonly kind: "refused"; readonly reason: string };

/**
 * Reads the regular file at `path`, of at most `maxBytes`. Opened without following a link
 * (`O_NOFOLLOW`) and without blocking (`O_NONBLOCK`: a FIFO opens at once instead of waiting
 * for a writer), then checked on the open handle, so nothing can be swapped in between.
 */
export async function readUntrustedFile(path: string, maxBytes: number): Promise<UntrustedFile> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "ELOOP" || code === "EMLINK") return { kind: "refused", reason: "it is a symbolic link" };
    return { kind: "refused", reason: `it cannot be opened (${code ?? String(error)})` };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: "refused", reason: "it is a folder" };
    if (!info.isFile()) return { kind: "refused", reason: "it is not a regular file (a FIFO, socket or device)" };
    if (info.size > maxBytes) return { kind: "refused", reason: `it is larger than ${Math.round(maxBytes / 1024 ** 2)} MB` };
    return { kind: "file", bytes: await handle.readFile() };
  } catch (error) {
    return { kind: "refused", reason: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  } finally {
    await handle.close();
  }
}
