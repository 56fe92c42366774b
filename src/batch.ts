// Batch builds: every document in a folder tree, one output folder per document (the tree
// mirrored under `--out`), one shared queue.
import { availableParallelism } from "node:os";
import { readdir, realpath, stat } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import PQueue from "p-queue";
import { readDocument, sourceExtensions } from "./document/read.js";
import type { LecternDocument } from "./document/model.js";
import { LecternError, type Message } from "./messages.js";
import { checkOutputFolderOption, ensureOutputFolder } from "./output/folder.js";
import { buildDocument, type BuildOptions, type BuildResult } from "./pipeline.js";

/** How a folder is searched for documents. */
export interface FindSourcesOptions {
  /**
   * Whether sub-folders are searched too. Default `true`. Never searched: `node_modules`,
   * hidden folders (`.git`), the folder `outputFolder` names, and links to folders outside the
   * input folder (or back up the tree). `false` finds only the documents directly inside.
   */
  readonly recursive?: boolean;
  /** The build's output folder: when it is inside the input folder, its files are outputs, not sources. */
  readonly outputFolder?: string;
  /**
   * Receives a sub-folder that cannot be read (no permission), as an INPUT error naming it; the
   * search goes on without it. Default: the error is thrown. The input folder itself unread is
   * always an error.
   */
  readonly onUnreadableFolder?: (folder: string, error: LecternError) => void;
}

/** A folder that cannot be listed, as one INPUT error naming it and the reason. */
function unreadableFolder(folder: string, error: unknown): LecternError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === "EACCES" || code === "EPERM" ? "no permission to read it" : "the file system refused";
  return new LecternError("INPUT", `cannot read this folder: ${reason}${code ? ` (${code})` : ""}`, { file: folder, cause: error });
}

/** Folders that hold other people's files, never documents to build. */
const skippedFolderNames = new Set(["node_modules"]);

/** Whether `path` is `folder` itself or inside it (both real, absolute paths). */
function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === "" || (!rest.startsWith(`..${sep}`) && rest !== ".." && !rest.startsWith(sep) && !/^[A-Za-z]:/.test(rest));
}

/**
 * The source documents `input` names: the file itself, or the documents inside a folder and
 * (unless `recursive: false`) its sub-folders, sorted by path. Hidden files and folders,
 * `node_modules` and the output folder are skipped; a symbolic link is followed only when its
 * real path is inside the real input folder, and each real folder is searched once (no loops).
 */
export async function findSources(input: string, options: FindSourcesOptions = {}): Promise<{ files: string[]; isFolder: boolean }> {
  const path = resolve(input);
  const info = await stat(path).catch(() => {
    throw new LecternError("INPUT", "no such file or folder", { file: path });
  });
  if (!info.isDirectory()) return { files: [path], isFolder: false };
  const realRoot = await realpath(path);
  const realOutput = options.outputFolder === undefined ? undefined : await realpath(resolve(options.outputFolder)).catch(() => undefined);
  const recursive = options.recursive ?? true;
  const searched = new Set<string>();
  const found = new Set<string>();
  const files: string[] = [];

  const search = async (folder: string, realFolder: string): Promise<void> => {
    searched.add(realFolder);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      const problem = unreadableFolder(folder, error);
      if (folder === path || !options.onUnreadableFolder) throw problem;
      options.onUnreadableFolder(folder, problem);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const entryPath = join(folder, entry.name);
      let isFile = entry.isFile();
      let isFolder = entry.isDirectory();
      let realEntry = join(realFolder, entry.name);
      if (entry.isSymbolicLink()) {
        // Followed only into the input folder: a link out (to `/`, to a home folder) or a
        // dangling one is not part of what the user asked to build.
        const target = await realpath(entryPath).catch(() => undefined);
        if (target === undefined || !isInside(target, realRoot)) continue;
        const targetInfo = await stat(target).catch(() => undefined);
        isFile = targetInfo?.isFile() ?? false;
        isFolder = targetInfo?.isDirectory() ?? false;
        realEntry = target;
      }
      if (isFile) {
        if (!(extname(entry.name).toLowerCase() in sourceExtensions) || found.has(realEntry)) continue;
        found.add(realEntry);
        files.push(entryPath);
      } else if (isFolder && recursive) {
        // By the real path too: a link named `lib` to `node_modules` or `.git` leads where no name would.
        const skipped = (name: string) => name.startsWith(".") || skippedFolderNames.has(name);
        if (skipped(entry.name) || relative(realRoot, realEntry).split(sep).some(skipped) || searched.has(realEntry)) continue;
        // The output folder itself (what is below it is reached only through it): when the
        // input folder is inside --out, the search must still go on.
        if (realEntry === realOutput) continue;
        await search(entryPath, realEntry);
      }
    }
  };
  await search(path, realRoot);
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) {
    throw new LecternError("INPUT", "holds no documents", { file: path, hint: `put ${Object.keys(sourceExtensions).join(", ")} files in it` });
  }
  return { files, isFolder: true };
}

/**
 * Where a document of a folder build goes, relative to `--out`: its folder under the input
 * folder, then its slug (`docs/guide/intro.md` → `guide/intro`). `/`-separated; for a file
 * outside `root` (a single-file build), the slug alone. The CLI labels progress lines with it.
 */
export function documentFolder(root: string, file: string, slug: string): string {
  const folder = relative(resolve(root), dirname(resolve(file)));
  if (folder === "" || folder === ".." || folder.startsWith(`..${sep}`) || resolve(root) === resolve(file)) return slug;
  return [...folder.split(sep), slug].join("/");
}

/** Options of a batch build: those of one build, plus how the folder is searched. */
export interface BuildAllOptions extends BuildOptions {
  /** Whether documents in sub-folders are built too (mirrored under `outDir`). Default `true`. */
  readonly recursive?: boolean;
  /** Receives a document that could not be read or built, or a sub-folder that could not be read; without it, the first such error is thrown. */
  readonly onDocumentError?: (file: string, error: unknown) => void;
}

/**
 * Builds one file into `outDir`, or every document of a folder tree into
 * `outDir/<sub-folders>/<slug>/`. All documents share one task queue, so a batch uses the
 * machine the way one big book would. A document that cannot be read is reported and skipped;
 * the others are built. Two documents whose output folders would be one (`notes.md` and
 * `notes.txt`; `Notes.md` and `notes.md` on a case-insensitive disk) or one inside the other
 * (`guide.md` and `guide/intro.md`) are found before anything is built: the first (in path
 * order) is built, the others are refused, naming both.
 */
export async function buildAll(input: string, options: BuildAllOptions = {}): Promise<BuildResult[]> {
  const outDir = checkOutputFolderOption(options.outDir);
  const unreadable: [string, LecternError][] = [];
  const { files, isFolder } = await findSources(input, {
    outputFolder: outDir,
    ...(options.recursive !== undefined ? { recursive: options.recursive } : {}),
    ...(options.onDocumentError ? { onUnreadableFolder: (folder: string, error: LecternError) => unreadable.push([folder, error]) } : {}),
  });
  if (!isFolder) {
    const { document, messages } = await readDocument(files[0]!, options);
    return [await buildDocument(document, messages, { ...options, outDir })];
  }
  const root = resolve(input);
  // Once for the whole batch: a --out that cannot be a folder is one error, not one per document.
  await ensureOutputFolder(outDir);
  const failed = (file: string, error: unknown): undefined => {
    if (!options.onDocumentError) throw error;
    options.onDocumentError(file, error);
    return undefined;
  };
  for (const [folder, error] of unreadable) failed(folder, error);
  const read = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, ...(await readDocument(file, options)) };
      } catch (error) {
        return { file, error };
      }
    }),
  );
  // Case folded and NFC-normalized: on macOS and Windows `Notes` and `notes` are one folder,
  // and on macOS so are `café` written with `é` and with `e` + U+0301.
  const claimed: { key: string; file: string }[] = [];
  const toBuild: { file: string; folder: string; document: LecternDocument; messages: readonly Message[] }[] = [];
  for (const entry of read) {
    if ("error" in entry) {
      failed(entry.file, entry.error);
      continue;
    }
    const folder = documentFolder(root, entry.file, entry.document.slug);
    const key = folder.normalize("NFC").toLowerCase();
    const clash = claimed.find((other) => other.key === key || key.startsWith(`${other.key}/`) || other.key.startsWith(`${key}/`));
    if (clash !== undefined) {
      const same = clash.key === key;
      const how = same ? "the same output folder as" : "an output folder nested with that of";
      failed(
        entry.file,
        new LecternError("OUTPUT", `builds into ${how} ${relative(root, clash.file).split(sep).join("/") || basename(clash.file)} (${join(outDir, folder)})`, {
          file: entry.file,
          hint: `rename one of the two ${same ? "files" : "(the file or the folder)"}, or build them one at a time with different --out folders`,
        }),
      );
      continue;
    }
    claimed.push({ key, file: entry.file });
    toBuild.push({ ...entry, folder });
  }
  const queue = new PQueue({ concurrency: options.concurrency ?? availableParallelism() });
  const builds: Promise<BuildResult | undefined>[] = toBuild.map(async ({ file, folder, document, messages }) => {
    try {
      return await buildDocument(document, messages, { ...options, outDir: join(outDir, ...folder.split("/")) }, queue);
    } catch (error) {
      return failed(file, error);
    }
  });
  const results = await Promise.all(builds);
  return results.filter((result): result is BuildResult => result !== undefined);
}
