// Batch builds: every document in a folder, one output folder per document, one shared queue.
import { availableParallelism } from "node:os";
import { readdir, stat } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import PQueue from "p-queue";
import { readDocument, sourceExtensions } from "./document/read.js";
import type { LecternDocument } from "./document/model.js";
import { LecternError, type Message } from "./messages.js";
import { checkOutputFolderOption, ensureOutputFolder } from "./output/folder.js";
import { buildDocument, type BuildOptions, type BuildResult } from "./pipeline.js";

/** The source documents `input` names: the file itself, or the documents directly inside a folder, sorted. */
export async function findSources(input: string): Promise<{ files: string[]; isFolder: boolean }> {
  const path = resolve(input);
  const info = await stat(path).catch(() => {
    throw new LecternError("INPUT", "no such file or folder", { file: path });
  });
  if (!info.isDirectory()) return { files: [path], isFolder: false };
  const entries = await readdir(path, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith(".") && extname(entry.name).toLowerCase() in sourceExtensions)
    .map((entry) => join(path, entry.name))
    .sort();
  if (files.length === 0) {
    throw new LecternError("INPUT", "holds no documents", { file: path, hint: `put ${Object.keys(sourceExtensions).join(", ")} files in it` });
  }
  return { files, isFolder: true };
}

/**
 * Builds one file into `outDir`, or every document of a folder into `outDir/<slug>/`. All
 * documents share one task queue, so a batch uses the machine the way one big book would.
 * A document that cannot be read is reported and skipped; the others are built. Two documents
 * whose names give the same output folder (`notes.md` and `notes.txt`) are found before
 * anything is built: the first (in name order) is built, the others are refused, naming both.
 */
export async function buildAll(
  input: string,
  options: BuildOptions & { onDocumentError?: (file: string, error: unknown) => void } = {},
): Promise<BuildResult[]> {
  const outDir = checkOutputFolderOption(options.outDir);
  const { files, isFolder } = await findSources(input);
  if (!isFolder) {
    const { document, messages } = await readDocument(files[0]!, options);
    return [await buildDocument(document, messages, { ...options, outDir })];
  }
  // Once for the whole batch: a --out that cannot be a folder is one error, not one per document.
  await ensureOutputFolder(outDir);
  const failed = (file: string, error: unknown): undefined => {
    if (!options.onDocumentError) throw error;
    options.onDocumentError(file, error);
    return undefined;
  };
  const read = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, ...(await readDocument(file, options)) };
      } catch (error) {
        return { file, error };
      }
    }),
  );
  const firstBySlug = new Map<string, string>();
  const toBuild: { file: string; document: LecternDocument; messages: readonly Message[] }[] = [];
  for (const entry of read) {
    if ("error" in entry) {
      failed(entry.file, entry.error);
      continue;
    }
    // Case folded: on macOS and Windows `Notes` and `notes` are one folder.
    const folderKey = entry.document.slug.toLowerCase();
    const first = firstBySlug.get(folderKey);
    if (first !== undefined) {
      failed(
        entry.file,
        new LecternError("OUTPUT", `builds into the same output folder as ${basename(first)} (${join(outDir, entry.document.slug)})`, {
          file: entry.file,
          hint: "rename one of the two files, or build them one at a time with different --out folders",
        }),
      );
      continue;
    }
    firstBySlug.set(folderKey, entry.file);
    toBuild.push(entry);
  }
  const queue = new PQueue({ concurrency: options.concurrency ?? availableParallelism() });
  const builds: Promise<BuildResult | undefined>[] = toBuild.map(async ({ file, document, messages }) => {
    try {
      return await buildDocument(document, messages, { ...options, outDir: join(outDir, document.slug) }, queue);
    } catch (error) {
      return failed(file, error);
    }
  });
  const results = await Promise.all(builds);
  return results.filter((result): result is BuildResult => result !== undefined);
}
