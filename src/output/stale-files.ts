// What an earlier build of this document left in the output folder: the files it listed, and
// a crash's temporary files. Only ever deletes regular files this document's own builds wrote.
//
// `manifest.json` is read back from disk, so it is untrusted input: it may be another
// document's (two documents built into one folder), not Lectern's at all, or edited by hand to
// list `../../home/me/thesis.pdf`, an absolute path, a folder, or a path through a symbolic
// link that leads out of the folder. Each listed path is checked before anything is removed.
import { lstat, readdir, realpath, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { boundDisplayText, cleanDisplayText } from "../document/display-text.js";
import { readUntrustedFile } from "../files/untrusted-file.js";
import { isLecternTemporary } from "./atomic-write.js";
import { describeFileSystemError } from "./folder.js";
import { isAbandonedLockFile, lockFileName } from "./lock.js";

/** What the earlier build of this same document recorded, after checking. */
export interface EarlierBuild {
  /** Per stage, the files it wrote, relative to the output folder; each a plain relative path. */
  readonly files: Readonly<Partial<Record<string, readonly string[]>>>;
}

/** The folder holds Lectern's build of another source: nothing it lists is touched, but same-named outputs are replaced. */
export interface OtherSourceBuild {
  /** The other source, as its manifest names it (relative to the output folder), cleaned for display. */
  readonly otherInput: string;
}

/** A file that should have been removed and was not: reported as a warning, never fatal. */
export interface KeptFile {
  readonly path: string;
  readonly reason: string;
}

export const manifestFileName = "manifest.json";

/** A manifest larger than this is not one Lectern wrote (10,000 sections list ≈ 2 MB). */
const maxManifestBytes = 64 * 1024 * 1024;

/**
 * How the manifest names its source: the source file's real path relative to the output
 * folder's real path, so the pair can move together and still be recognised.
 */
export function sourceReference(realOutDir: string, realSourcePath: string): string {
  return relative(realOutDir, realSourcePath).split(sep).join("/");
}

/**
 * Reads `manifest.json` of `realOutDir` and returns the files each stage listed, only when it
 * is Lectern's manifest of this same source (`input` names it); otherwise `undefined`, and
 * nothing it lists will be touched.
 */
export async function readEarlierBuild(realOutDir: string, realSourcePath: string, stageNames: readonly string[]): Promise<EarlierBuild | OtherSourceBuild | undefined> {
  const text = await readRegularFile(join(realOutDir, manifestFileName));
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (typeof value.generator !== "string" || !value.generator.startsWith("Lectern ")) return undefined;
  if (typeof value.input === "string" && value.input !== sourceReference(realOutDir, realSourcePath)) {
    // Shown in a warning: a name from disk, cleaned by the one rule for text on display.
    return { otherInput: boundDisplayText(cleanDisplayText(value.input), 200).text };
  }
  if (value.input !== sourceReference(realOutDir, realSourcePath)) return undefined;
  if (!isRecord(value.stages)) return undefined;
  const files: Partial<Record<string, readonly string[]>> = {};
  for (const name of stageNames) {
    const stage = value.stages[name];
    if (!isRecord(stage) || !Array.isArray(stage.files)) continue;
    files[name] = stage.files.filter((file): file is string => isPlainRelativePath(file) && isOutputKind(file));
  }
  return { files };
}

/**
 * Removes the files `earlier` lists for a stage that `rebuilt` wrote again and this build did
 * not (a renamed section's old MP3), keeping every file in `keep` (whatever any stage of this
 * build wrote or still lists). Each path must resolve, through its real folder, to a regular
 * file inside the real output folder; anything else is left alone.
 */
export async function removeStaleFiles(realOutDir: string, earlier: EarlierBuild | undefined, rebuilt: readonly string[], keep: ReadonlySet<string>): Promise<KeptFile[]> {
  const kept: KeptFile[] = [];
  if (!earlier) return kept;
  for (const name of rebuilt) {
    for (const file of earlier.files[name] ?? []) {
      if (keep.has(file)) continue;
      const path = await confinedRegularFile(realOutDir, file);
      if (!path) continue;
      try {
        await unlink(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") kept.push({ path, reason: describeFileSystemError(error) });
      }
    }
  }
  return kept;
}

/** The files of `files` that still exist as regular files inside the output folder (carried forward by a skipped or failed stage). */
export async function stillPresent(realOutDir: string, files: readonly string[]): Promise<string[]> {
  // A book's audio lists tens of thousands of files: checked 64 at a time, each folder resolved once.
  const folders = new Map<string, Promise<string | undefined>>();
  const present: string[] = [];
  for (let start = 0; start < files.length; start += 64) {
    const batch = files.slice(start, start + 64);
    const found = await Promise.all(batch.map((file) => confinedRegularFile(realOutDir, file, folders)));
    batch.forEach((file, index) => found[index] && present.push(file));
  }
  return present;
}

/**
 * Removes the temporary files a killed build left (`.lectern-tmp-…`, see `writeFileAtomic`)
 * in the output folder and in its subfolders that are not themselves another build's output
 * folder: only Lectern's name pattern, only regular files. Call it holding the folder's lock.
 */
export async function removeLeftoverTemporaries(realOutDir: string): Promise<KeptFile[]> {
  const kept: KeptFile[] = [];
  const folders = [realOutDir];
  for (const entry of await readdir(realOutDir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue; // a symbolic link to a folder is not followed
    const folder = join(realOutDir, entry.name);
    const names = await readdir(folder).catch(() => [] as string[]);
    if (names.includes(lockFileName) || names.includes(manifestFileName)) continue; // a document's own folder in a batch
    folders.push(folder);
  }
  for (const folder of folders) {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isFile() || !isLecternTemporary(entry.name)) continue;
      // A lock's temporary file may be a contender's, at work right now: only an ended owner's goes.
      if (entry.name.startsWith(`.lectern-tmp-${lockFileName}-`) && !(await isAbandonedLockFile(join(folder, entry.name)))) continue;
      try {
        await unlink(join(folder, entry.name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") kept.push({ path: join(folder, entry.name), reason: describeFileSystemError(error) });
      }
    }
  }
  return kept;
}

/**
 * `file`, relative to the output folder, as the absolute path of a regular file whose real
 * folder is inside the real output folder; `undefined` for anything else (missing, a folder, a
 * symbolic link, a path that leads out through a linked folder).
 */
async function confinedRegularFile(realOutDir: string, file: string, folders?: Map<string, Promise<string | undefined>>): Promise<string | undefined> {
  if (!isPlainRelativePath(file)) return undefined;
  const listed = dirname(join(realOutDir, file));
  let resolving = folders?.get(listed);
  if (!resolving) {
    resolving = realpath(listed).catch(() => undefined);
    folders?.set(listed, resolving);
  }
  const folder = await resolving;
  if (folder === undefined || !isInside(realOutDir, folder)) return undefined;
  const path = join(folder, basename(file));
  const info = await lstat(path).catch(() => undefined);
  return info?.isFile() ? path : undefined;
}

/**
 * A path Lectern could have written: relative, `/`-separated, no `.`/`..`/empty segments, no
 * NUL or backslash, and neither the manifest nor the lock itself.
 */
/**
 * The kinds of file Lectern's stages write (EPUB, PDF, MP3, WebVTT, M3U). A listed path of any
 * other kind, or inside a hidden folder, is never Lectern's output, whatever a manifest says:
 * with `--out` set to the document's own folder, a forged manifest naming the same source could
 * otherwise list the source itself, its images or `.git/config`. A stage writing a new kind of
 * file adds its extension here.
 */
const outputExtensions = /\.(?:epub|pdf|mp3|vtt|m3u8)$/i;

function isOutputKind(file: string): boolean {
  return outputExtensions.test(file) && !file.split("/").some((segment) => segment.startsWith("."));
}

function isPlainRelativePath(file: unknown): file is string {
  if (typeof file !== "string" || file.length === 0 || file.length > 4096) return false;
  if (file.includes("\0") || file.includes("\\") || isAbsolute(file)) return false;
  const segments = file.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return false;
  return file !== manifestFileName && file !== lockFileName;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The text of `path` if it is a regular file (not a link, not huge); `undefined` otherwise. */
async function readRegularFile(path: string): Promise<string | undefined> {
  const found = await readUntrustedFile(path, maxManifestBytes);
  return found.kind === "file" ? found.bytes.toString("utf8") : undefined;
}
