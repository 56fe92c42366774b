// Batch builds: every document in a folder, one output folder per document, one shared queue.
import { availableParallelism } from "node:os";
import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import PQueue from "p-queue";
import { readDocument, sourceExtensions } from "./document/read.js";
import { LecternError } from "./messages.js";
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
 * A document that cannot be read is reported and skipped; the others are built.
 */
export async function buildAll(
  input: string,
  options: BuildOptions & { onDocumentError?: (file: string, error: unknown) => void } = {},
): Promise<BuildResult[]> {
  const { files, isFolder } = await findSources(input);
  const outDir = resolve(options.outDir ?? "output");
  if (!isFolder) {
    const { document, messages } = await readDocument(files[0]!);
    return [await buildDocument(document, messages, { ...options, outDir })];
  }
  const queue = new PQueue({ concurrency: options.concurrency ?? availableParallelism() });
  const builds: Promise<BuildResult | undefined>[] = files.map(async (file) => {
    try {
      const { document, messages } = await readDocument(file);
      return await buildDocument(document, messages, { ...options, outDir: join(outDir, document.slug) }, queue);
    } catch (error) {
      if (!options.onDocumentError) throw error;
      options.onDocumentError(file, error);
      return undefined;
    }
  });
  const results = await Promise.all(builds);
  return results.filter((result): result is BuildResult => result !== undefined);
}
