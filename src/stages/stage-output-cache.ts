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
//
// An entry read back is untrusted input (content-cache.ts checks the record's digest, key and
// data hash): here its meta's shape is checked, each file's size and hash, and the files are
// written only where this build's own layout puts the stage's files — a record never names a
// path Lectern writes to, nor a folder it reads images from.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { lstat, readdir, readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { LecternDocument } from "../document/model.js";
import type { Message } from "../messages.js";
import { writeFileAtomic } from "../output/atomic-write.js";
import type { AnyStage, NeedsData, StageContext, StageOptions, StageResult } from "./stage.js";
import { version } from "../version.js";
import { ContentCache } from "../cache/content-cache.js";
import { type Guard, isArrayOf, isJsonValue, isNonNegativeInteger, isObjectOf, isOneOf, isPlainObject, isSha256, isString, optional } from "../cache/record-shape.js";

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

/** One file of a stored stage output: its place in the output folder, size and SHA-256. */
interface StoredFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

interface StageOutputMeta {
  /** Files the stage wrote, relative to the output folder, in the order their bytes follow one another in the entry's data. */
  readonly files: StoredFile[];
  readonly reads: RecordedRead[];
  readonly warnings: Omit<Message, "source">[];
  readonly manifest: Record<string, unknown>;
  /** The stage's `data` for the stages that need it, when it has any (plain JSON). */
  readonly data?: unknown;
}

/** The shape of a stored stage output, checked before any of it is used (see `fromCache` for what else is checked). */
const isStageOutputMeta: Guard<StageOutputMeta> = isObjectOf({
  files: isArrayOf(isObjectOf({ path: isString, bytes: isNonNegativeInteger, sha256: isSha256 }), 100),
  reads: isArrayOf(isObjectOf({ source: isString, directory: isString, outcome: isSha256 }), 100_000),
  warnings: isArrayOf(
    isObjectOf({
      severity: isOneOf("info", "warning", "error"),
      rule: isString,
      reason: isString,
      file: optional(isString),
      line: optional(isNonNegativeInteger),
      column: optional(isNonNegativeInteger),
    }),
    100_000,
  ),
  manifest: (value): value is Record<string, unknown> => isPlainObject(value) && isJsonValue(value),
  data: optional((value): value is unknown => isJsonValue(value)),
});

/** How a stage is cached: what it writes, what it does not read, and how to check what it read. */
export interface StageOutputCaching {
  /**
   * The files the stage writes for `doc`, relative to the output folder, in the order it
   * returns them: this build's own layout. A stored entry is served only into exactly these
   * paths (a record never chooses where bytes go), and a run that wrote others is not stored.
   */
  readonly outputFiles: (doc: LecternDocument) => readonly string[];
  /**
   * Reads one recorded file again and returns its outcome digest: the stage's own reader, so a
   * check sees exactly what the stage would see.
   */
  readonly verifyRead: (read: RecordedRead) => Promise<string>;
  /** Options the stage does not read, left out of its key (an option added later is in the key until listed here). */
  readonly unreadOptions: readonly (keyof StageOptions)[];
}

/**
 * `stage`, served from the content cache when nothing it depends on has changed. Its needs'
 * data is part of the key (a stage that needs data that is not plain JSON is not cached), and
 * its own data is stored with its files, so a stage that needs it receives the same either way.
 */
export function cachedStageOutput<S extends AnyStage>(stage: S, caching: StageOutputCaching): S {
  const cached: AnyStage = {
    name: stage.name,
    ...(stage.needs ? { needs: stage.needs } : {}),
    // The whole stage — cache check, loading its module, writing — is one task on the shared
    // queue, queued the moment the stage starts: the EPUB and PDF take their places in the
    // queue before the audio sections, as they would without the cache, so they are written
    // first (a build stopped halfway still has them) and not while every audio thread is at
    // its peak. Inside that task the stage's own `run` calls run at once (it already holds a
    // slot; waiting for another could deadlock).
    // A stage without needs may be called without them (`stage.write(doc, context)`).
    write(doc, context, needs: NeedsData = {}) {
      return context.run(stage.name, async () => {
        const cache = context.cache;
        const key = cache ? await stageOutputKey(stage.name, doc, context.options, caching.unreadOptions, needs) : undefined;
        const layout = caching.outputFiles(doc);
        if (cache && key) {
          const served = await fromCache(cache, key, doc, layout, context, caching.verifyRead);
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
        const run = recording(() => stage.write(doc, inside, needs));
        const result = await run.result;
        if (cache && key) await toCache(cache, key, doc, layout, context.outDir, result, run.reads, warnings);
        return result;
      });
    },
  };
  // The same stage, its result made by it or copied from the cache: it keeps its types.
  return cached as S;
}

/**
 * The stored output for `key`, written into this build's layout — or undefined, having written
 * nothing, when the entry is absent, stale (an image changed) or does not verify. Every check
 * comes before the first byte is written: an entry is used whole or not at all.
 */
async function fromCache(
  cache: ContentCache,
  key: string,
  doc: LecternDocument,
  layout: readonly string[],
  context: StageContext,
  verify: (read: RecordedRead) => Promise<string>,
): Promise<StageResult | undefined> {
  const entry = await cache.get(key, isStageOutputMeta);
  if (!entry) return undefined;
  const { meta, data } = entry;
  // Where the bytes go is this build's decision: the record must name exactly the stage's own
  // files, so it can neither send bytes outside --out nor over another stage's or the user's file.
  if (meta.files.length !== layout.length || meta.files.some((file, index) => file.path !== layout[index])) {
    await cache.discard(key, "files other than the stage's own");
    return undefined;
  }
  // Each file's size and hash, and together exactly the entry's data: no byte left over or missing.
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const file of meta.files) {
    const part = data.subarray(offset, offset + file.bytes);
    if (part.length !== file.bytes || createHash("sha256").update(part).digest("hex") !== file.sha256) {
      await cache.discard(key, "a file's size or hash does not match");
      return undefined;
    }
    parts.push(part);
    offset += file.bytes;
  }
  if (offset !== data.length || (typeof meta.manifest.path === "string" && !layout.includes(meta.manifest.path))) {
    await cache.discard(key, "the entry does not describe its data");
    return undefined;
  }
  // Images are looked up where this build's document is, never where a record says; warnings
  // are about this document (the key holds its path), never about another file.
  if (meta.reads.some((read) => read.directory !== doc.directory) || meta.warnings.some((warning) => warning.file !== undefined && warning.file !== doc.path)) {
    await cache.discard(key, "a read or warning about another place than the document");
    return undefined;
  }
  for (const read of meta.reads) {
    if ((await verify({ source: read.source, directory: doc.directory, outcome: read.outcome }).catch(() => "")) !== read.outcome) return undefined;
  }
  // Every destination is checked before the first is written (no folder on the way is a link).
  const files: string[] = [];
  for (const relativePath of layout) {
    const path = await confinedOutputPath(context.outDir, relativePath);
    if (!path) return undefined;
    files.push(path);
  }
  for (const [index, path] of files.entries()) {
    // An interrupted build writes nothing more (the queue has already given up on this task).
    context.signal.throwIfAborted();
    await writeFileAtomic(path, parts[index]!);
  }
  for (const warning of meta.warnings) context.report(warning);
  context.progress(1, 1);
  return { manifest: meta.manifest, ...(meta.data !== undefined ? { data: meta.data } : {}), files, fromCache: true };
}

/** Stores the stage's files; best effort: a file that cannot be read back only means no entry. */
async function toCache(
  cache: ContentCache,
  key: string,
  doc: LecternDocument,
  layout: readonly string[],
  outDir: string,
  result: StageResult<unknown, object>,
  recorded: RecordedRead[],
  warnings: Omit<Message, "source">[],
): Promise<void> {
  // Only a stage that wrote exactly its layout and read only from the document's folder is
  // stored: what `fromCache` accepts, and nothing it would refuse.
  const written = result.files.map((file) => relative(outDir, file).split(sep).join("/"));
  if (written.length !== layout.length || written.some((path, index) => path !== layout[index])) return;
  if (recorded.some((read) => read.directory !== doc.directory) || warnings.some((warning) => warning.file !== undefined && warning.file !== doc.path)) return;
  if (!(await Promise.all(layout.map((path) => confinedOutputPath(outDir, path)))).every(Boolean)) return;
  const contents = await Promise.all(result.files.map((file) => readFile(file))).catch(() => undefined);
  if (!contents) return;
  const meta: StageOutputMeta = {
    files: layout.map((path, index) => ({ path, bytes: contents[index]!.length, sha256: createHash("sha256").update(contents[index]!).digest("hex") })),
    reads: recorded,
    warnings,
    manifest: result.manifest as Record<string, unknown>,
    ...(result.data !== undefined ? { data: result.data } : {}),
  };
  // Data that is not plain JSON would come back as something else: not stored.
  if (result.data !== undefined && !isJsonValue(result.data)) return;
  // What cannot be read back as it was written (a value JSON does not keep) is not stored.
  if (!isStageOutputMeta(JSON.parse(JSON.stringify(meta)))) return;
  await cache.put(key, Buffer.concat(contents), meta);
}

/**
 * `relativePath` inside `outDir`, when it is a plain relative path (no absolute path, no `.`
 * or `..` segment, no empty segment, no NUL or backslash) and no folder on the way is a
 * symbolic link (which could lead the write elsewhere); undefined otherwise. The file itself
 * may be a link: `writeFileAtomic` renames over it, replacing the link, not what it points to.
 */
export async function confinedOutputPath(outDir: string, relativePath: string): Promise<string | undefined> {
  if (!isPlainRelativePath(relativePath)) return undefined;
  const segments = relativePath.split("/");
  let folder = outDir;
  for (const segment of segments.slice(0, -1)) {
    folder = join(folder, segment);
    const info = await lstat(folder).catch(() => undefined);
    if (info && !info.isDirectory()) return undefined;
  }
  return join(outDir, ...segments);
}

/** A path of plain names joined by `/`: nothing that could leave the folder it is relative to. */
export function isPlainRelativePath(path: string): boolean {
  if (path === "" || path.length > 1024 || isAbsolute(path) || /[\\\0]/.test(path) || /^[a-z]:/i.test(path)) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/**
 * Everything but the images that decides a stage's output. Undefined for a document without a
 * source digest (no caching then).
 */
async function stageOutputKey(
  name: string,
  doc: LecternDocument,
  options: StageOptions,
  unreadOptions: readonly (keyof StageOptions)[],
  needs: NeedsData,
): Promise<string | undefined> {
  if (!doc.sourceDigest) return undefined;
  // What the stage receives from its needs decides its output too; only plain JSON can be keyed.
  if (!Object.values(needs).every((data) => data === undefined || isJsonValue(data))) return undefined;
  // Never in the key: how the work is scheduled and how speech is made (no EPUB or PDF reads them).
  const ignored = new Set<string>(["concurrency", "ttsTimeoutMs", "engine", "voice", "speechRate", "readCode", ...unreadOptions]);
  const read = Object.fromEntries(
    Object.entries(options)
      .filter(([option]) => !ignored.has(option))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([option, value]) => [option, value instanceof Date ? value.toISOString() : value]),
  );
  return ContentCache.key({
    kind: "lectern-stage-output",
    // 2: each file's SHA-256 in the record, reads bound to the document's folder; 3: the
    // needs' data in the key, the stage's own data in the record.
    format: 3,
    stage: name,
    version,
    code: await codeFingerprint(),
    packages: await packageVersions(),
    // Dates and the default paper size come from ICU; its data ships with Node.
    runtime: { node: process.versions.node, icu: process.versions.icu ?? null, unicode: process.versions.unicode ?? null },
    source: doc.sourceDigest,
    path: doc.path,
    options: read,
    needs: Object.fromEntries(Object.entries(needs).sort(([a], [b]) => a.localeCompare(b))),
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
    for (const file of files)
      hash
        .update(relative(codeFolder, file))
        .update("\0")
        .update(await readFile(file))
        .update("\0");
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
