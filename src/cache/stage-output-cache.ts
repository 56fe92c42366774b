// The EPUB and PDF of an unchanged document, served from the content cache instead of being
// written again (issue 7: a rebuild with nothing changed is ≤ 10 % of a cold build).
//
// A stage's output is a function of: the source file's bytes and path, the options it reads,
// Lectern's own code, the versions of the packages it uses, and the local files the document
// refers to (images). The first four make the key. Images cannot be known before the stage has
// run (an image the sanitiser drops is never read), so they are recorded as the stage reads them
// — the way a compiler's dependency file lists its headers — stored with the entry, and checked
// again (read and hashed) before the entry is used: an image that changed, appeared or
// disappeared makes the entry stale. Warnings the stage reported are stored and reported again.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LecternDocument } from "../document/model.js";
import type { Message } from "../messages.js";
import { writeFileAtomic } from "../output/atomic-write.js";
import type { Stage, StageContext, StageOptions, StageResult } from "../stages/stage.js";
import { version } from "../version.js";
import { ContentCache } from "./content-cache.js";

/** One local file a stage asked for, and what it found (a digest of the outcome). */
export interface RecordedRead {
  readonly source: string;
  readonly directory: string;
  readonly outcome: string;
}

/** A stage's reads of the document's local files are recorded here while it runs (see `recordRead`). */
const reads = new AsyncLocalStorage<RecordedRead[]>();

/**
 * Records that the running stage read `source` (relative to `directory`) with this outcome.
 * Called by the one function that reads the document's images (`readImageFile`); a no-op
 * outside a cached stage.
 */
export function recordRead(read: RecordedRead): void {
  reads.getStore()?.push(read);
}

/** The digest of a file read's outcome: what kind it was and, for a file, its bytes. */
export function readOutcome(kind: string, detail: string, data?: Uint8Array): string {
  const hash = createHash("sha256").update(kind).update("\0").update(detail);
  if (data) hash.update("\0").update(data);
  return hash.digest("hex");
}

/**
 * Runs `task` so that the reads made inside it, including inside tasks it queues on the
 * pipeline's shared queue, are recorded for this stage (the pipeline binds queued tasks to the
 * stage that queued them: see `StageContext.run` in pipeline.ts).
 */
function recording<T>(task: () => Promise<T>): { reads: RecordedRead[]; result: Promise<T> } {
  const recorded: RecordedRead[] = [];
  return { reads: recorded, result: reads.run(recorded, task) };
}

interface StageOutputMeta {
  /** Files the stage wrote, relative to the output folder, and their sizes, in the order their bytes follow one another in the entry's data. */
  readonly files: { readonly path: string; readonly bytes: number }[];
  readonly reads: RecordedRead[];
  readonly warnings: Omit<Message, "source">[];
  readonly manifest: Record<string, unknown>;
}

/**
 * `stage`, served from the content cache when nothing it depends on has changed. `verify`
 * reads one recorded file again and returns its outcome digest (the stage's own reader, so a
 * read checks exactly what the stage would see).
 */
export function cachedStageOutput(stage: Stage, verify: (read: RecordedRead) => Promise<string>, unreadOptions: readonly (keyof StageOptions)[]): Stage {
  return {
    name: stage.name,
    // The whole stage — cache check, loading its module, writing — is one task on the shared
    // queue, queued the moment the stage starts: the EPUB and PDF take their places in the
    // queue before the audio sections, as they would without the cache, so they are written
    // first (a build stopped halfway still has them) and not while every audio thread is at
    // its peak. Inside that task the stage's own `run` calls run at once (it already holds a
    // slot; waiting for another could deadlock).
    write(doc, context) {
      return context.run(stage.name, async () => {
        const cache = context.cache;
        const key = cache ? await stageOutputKey(stage.name, doc, context.options, unreadOptions) : undefined;
        if (cache && key) {
          const served = await fromCache(cache, key, context, verify);
          if (served) return served;
        }
        const warnings: Omit<Message, "source">[] = [];
        const inside: StageContext = {
          ...context,
          run: (_label, task) => task(),
          report: (message) => {
            warnings.push(message);
            context.report(message);
          },
        };
        const run = recording(() => stage.write(doc, inside));
        const result = await run.result;
        if (cache && key) await toCache(cache, key, context.outDir, result, run.reads, warnings);
        return result;
      });
    },
  };
}

async function fromCache(cache: ContentCache, key: string, context: StageContext, verify: (read: RecordedRead) => Promise<string>): Promise<StageResult | undefined> {
  const entry = await cache.get<StageOutputMeta>(key);
  if (!entry) return undefined;
  for (const read of entry.meta.reads) {
    if ((await verify(read).catch(() => "")) !== read.outcome) return undefined;
  }
  const files: string[] = [];
  let offset = 0;
  for (const file of entry.meta.files) {
    // An interrupted build writes nothing more (the queue has already given up on this task).
    context.signal.throwIfAborted();
    const path = resolve(context.outDir, file.path);
    await writeFileAtomic(path, entry.data.subarray(offset, offset + file.bytes));
    offset += file.bytes;
    files.push(path);
  }
  for (const warning of entry.meta.warnings) context.report(warning);
  context.progress(1, 1);
  return { manifest: entry.meta.manifest, files, fromCache: true };
}

/** Stores the stage's files; best effort: a file that cannot be read back only means no entry. */
async function toCache(cache: ContentCache, key: string, outDir: string, result: StageResult, recorded: RecordedRead[], warnings: Omit<Message, "source">[]): Promise<void> {
  const contents = await Promise.all(result.files.map((file) => readFile(file))).catch(() => undefined);
  if (!contents) return;
  const meta: StageOutputMeta = {
    files: result.files.map((file, index) => ({ path: relative(outDir, file), bytes: contents[index]!.length })),
    reads: recorded,
    warnings,
    manifest: result.manifest,
  };
  // Only files inside the output folder can be written back there.
  if (meta.files.some((file) => file.path === "" || file.path.startsWith("..") || isAbsolute(file.path))) return;
  await cache.put(key, Buffer.concat(contents), meta);
}

/**
 * Everything but the images that decides a stage's output. Undefined for a document without a
 * source digest (no caching then).
 */
async function stageOutputKey(name: string, doc: LecternDocument, options: StageOptions, unreadOptions: readonly (keyof StageOptions)[]): Promise<string | undefined> {
  if (!doc.sourceDigest) return undefined;
  // Never in the key: how the work is scheduled and how speech is made (no EPUB or PDF reads them).
  const ignored = new Set<string>(["concurrency", "ttsTimeoutMs", "engine", "voice", "speechRate", ...unreadOptions]);
  const read = Object.fromEntries(
    Object.entries(options)
      .filter(([option]) => !ignored.has(option))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([option, value]) => [option, value instanceof Date ? value.toISOString() : value]),
  );
  return ContentCache.key({
    kind: "lectern-stage-output",
    format: 1,
    stage: name,
    version,
    code: await codeFingerprint(),
    packages: await packageVersions(),
    // Dates and the default paper size come from ICU; its data ships with Node.
    runtime: { node: process.versions.node, icu: process.versions.icu ?? null, unicode: process.versions.unicode ?? null },
    source: doc.sourceDigest,
    path: doc.path,
    options: read,
  });
}

/** This module's package folder: src/ (tsx, vitest) or dist/ (compiled) lives under it. */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

let codeFingerprintMemo: Promise<string> | undefined;

/**
 * A digest of Lectern's own code as it runs (every file under src/ or dist/): any change to
 * the code — a stage, the readers, a shared helper — makes every cached EPUB and PDF stale,
 * released or not.
 */
function codeFingerprint(): Promise<string> {
  return (codeFingerprintMemo ??= (async () => {
    const codeFolder = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    const hash = createHash("sha256");
    const entries = await readdir(codeFolder, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs|json)$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    for (const file of files) hash.update(relative(codeFolder, file)).update("\0").update(await readFile(file)).update("\0");
    return hash.digest("hex");
  })());
}

let packageVersionsMemo: Promise<Record<string, string>> | undefined;

/**
 * The installed version of each runtime dependency (a new pdfkit or font package changes the
 * bytes), and, in a checkout, a digest of package-lock.json, which pins the indirect ones too
 * (jszip, fontkit's own dependencies, micromark). An installed copy of Lectern has no lock
 * file of its own: there, an indirect dependency updated in place is not seen.
 */
function packageVersions(): Promise<Record<string, string>> {
  return (packageVersionsMemo ??= (async () => {
    const manifest = JSON.parse(await readFile(join(packageRoot, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const versions: Record<string, string> = {};
    for (const name of Object.keys(manifest.dependencies ?? {}).sort()) versions[name] = await installedVersion(name);
    const lock = await readFile(join(packageRoot, "package-lock.json")).catch(() => undefined);
    if (lock) versions["package-lock.json"] = createHash("sha256").update(lock).digest("hex");
    return versions;
  })());
}

/** The version in the nearest node_modules/<name>/package.json above the package, or "unknown". */
async function installedVersion(name: string): Promise<string> {
  for (let folder = packageRoot; ; folder = dirname(folder)) {
    const found = await readFile(join(folder, "node_modules", name, "package.json"), "utf8").then(
      (text) => (JSON.parse(text) as { version?: string }).version ?? "unknown",
      () => undefined,
    );
    if (found) return found;
    if (dirname(folder) === folder) return "unknown";
  }
}
