// The pipeline: parse once, then run every requested stage over one shared p-queue.
import { AsyncResource } from "node:async_hooks";
import { setMaxListeners } from "node:events";
import { availableParallelism } from "node:os";
import { realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import PQueue from "p-queue";
import { cacheMaxBytes, ContentCache, defaultCacheFolder } from "./cache/content-cache.js";
import { readDocument, type ReadOptions } from "./document/read.js";
import type { LecternDocument, MetadataSources } from "./document/model.js";
import { readCodeChoices, type ReadCode } from "./document/speech/index.js";
import { LecternError, type Message } from "./messages.js";
import { writeFileAtomic, writingInto } from "./output/atomic-write.js";
import { checkOutputFolderOption, describeFileSystemError, ensureOutputFolder, outputFailure } from "./output/folder.js";
import { lockOutputFolder } from "./output/lock.js";
import { manifestFileName, readEarlierBuild, removeLeftoverTemporaries, removeStaleFiles, sourceReference, stillPresent, type KeptFile } from "./output/stale-files.js";
import { stages as defaultStages } from "./stages/index.js";
import type { Stage, StageContext, StageName, StageOptions, StageResult } from "./stages/stage.js";
import type { EngineName } from "./tts/engine.js";
import { version } from "./version.js";

/**
 * Options of one build. Every field is optional; defaults are documented on each. `metadata`
 * and `metadataFile` (from `ReadOptions`) set the title, authors, language… over the
 * document's own: overrides > front matter > metadata file > inferred.
 */
export interface BuildOptions extends ReadOptions {
  /**
   * Output folder; created when missing. Default `output`. An empty name is refused (it would
   * mean the current folder). A later build of the same source removes only the files this
   * source's earlier build listed in the folder's `manifest.json`.
   */
  readonly outDir?: string;
  /** Which stages to run. Default: all (`epub`, `pdf`, `audio`). */
  readonly formats?: readonly StageName[];
  /** Text-to-speech engine. Default `espeak` (offline). `edge` needs the network. */
  readonly engine?: EngineName;
  /** Voice name for the engine. Default: chosen from the document language. */
  readonly voice?: string;
  /** Speaking rate, a multiple of the engine's normal pace between 0.5 and 2. Default 1. */
  readonly speechRate?: number;
  /**
   * Which code blocks the audio reads out after announcing them: `short` (default: at most 2
   * lines and 80 characters, a command or two), `all`, or `none` (announced only).
   */
  readonly readCode?: ReadCode;
  /**
   * Tasks running at once, over all stages and audio sections. Default: the number of CPU
   * cores (`os.availableParallelism()`); lower it to leave the machine responsive.
   */
  readonly concurrency?: number;
  /** Time limit for one online TTS request, in ms. Default 30,000. */
  readonly ttsTimeoutMs?: number;
  /** PDF paper size. Default: from the document language's region (Letter for en-US, A4 for en-GB). */
  readonly paperSize?: "A4" | "Letter";
  /** Font embedded in the EPUB: `none` (default, the reader's font rules) or `dejavu-serif`. */
  readonly epubReadingFont?: "none" | "dejavu-serif";
  /**
   * Timestamp written into outputs. Default: `SOURCE_DATE_EPOCH` when set, else the
   * document's `date`, else the source file's modification time — never the wall clock, so
   * the same input gives the same bytes.
   */
  readonly now?: Date;
  /**
   * Folder of the cache (audio tracks, unchanged EPUBs and PDFs), or `false` to bypass it.
   * Default: `LECTERN_CACHE_DIR`, else `$XDG_CACHE_HOME/lectern`, else `~/.cache/lectern`.
   * Safe to delete at any time.
   */
  readonly cacheDir?: string | false;
  /**
   * Upper bound on the cache folder's size, in megabytes: after a build, the entries used
   * longest ago are removed until the rest fit (never one this build used). Default:
   * `LECTERN_CACHE_MAX_MB`, else 4,096.
   */
  readonly cacheMaxMB?: number;
  /** Cancels the build: queued tasks are dropped, running stages are asked to stop. */
  readonly signal?: AbortSignal;
  /** Receives progress and messages as they happen (the CLI's display). */
  readonly onEvent?: (event: PipelineEvent) => void;
  /** Replaces the stage table (tests use this to inject failing or slow stages). */
  readonly stages?: readonly Stage[];
}

export type StageStatus = "ok" | "failed" | "skipped";

/** What happened during a build; `PipelineEvent` adds which document it happened to. */
export type PipelineEventBody =
  | { readonly type: "document"; readonly document: LecternDocument }
  | { readonly type: "stage-start"; readonly stage: StageName }
  | { readonly type: "stage-progress"; readonly stage: StageName; readonly done: number; readonly total: number }
  | { readonly type: "stage-end"; readonly stage: StageName; readonly status: StageStatus; readonly seconds: number; readonly fromCache?: true; readonly error?: string }
  | { readonly type: "task-start" | "task-end"; readonly stage: StageName; readonly label: string }
  | { readonly type: "message"; readonly message: Message };

/**
 * A build event, naming its document: `source` is the document's path (`document.path`). A
 * folder build runs its documents on one queue, so their events interleave; a listener
 * cannot tell them apart by order.
 */
export type PipelineEvent = PipelineEventBody & { readonly source: string };

export interface StageReport {
  readonly status: StageStatus;
  readonly seconds: number;
  readonly error?: string;
  readonly warnings: readonly Message[];
  /** Files the stage wrote, relative to the output folder. */
  readonly files: readonly string[];
  /** The stage's files were copied from the content cache: nothing they depend on changed. */
  readonly fromCache?: true;
}

export interface BuildResult {
  readonly document: LecternDocument;
  readonly outDir: string;
  readonly manifestPath: string;
  readonly manifest: Manifest;
  readonly stages: Readonly<Partial<Record<StageName, StageReport>>>;
  /** Every message: the reader's and the stages'. */
  readonly messages: readonly Message[];
  /** True when every requested stage succeeded. */
  readonly ok: boolean;
  /** True when the build was cancelled through `signal`. */
  readonly interrupted: boolean;
}

/** The shape of `manifest.json`, the contract other tools read. Paths are relative to the output folder. */
export interface Manifest {
  readonly title: string;
  readonly author?: string;
  readonly language: string;
  readonly source?: string;
  /**
   * The source file, relative to this folder (real paths, `/`-separated). A later build
   * removes the files this manifest lists only when it builds this same source.
   */
  readonly input: string;
  readonly date?: string;
  /**
   * Where each metadata value came from: `command line`, `options`, `front matter`, a metadata
   * file's name (`meta.yaml`), `inferred` (the text, the file name) or `default`.
   */
  readonly metadataSources?: MetadataSources;
  readonly generator: string;
  readonly sections: readonly { index: number; title: string; slug: string; words: number; role: string; line?: number }[];
  readonly outputs: Partial<Record<StageName, Record<string, unknown>>>;
  readonly stages: Partial<
    Record<StageName, { status: StageStatus; seconds: number; fromCache?: true; error?: string; warnings: readonly string[]; files: readonly string[] }>
  >;
  readonly warnings: readonly string[];
}

/** Reads `input` once and writes every requested output into `options.outDir`. */
export async function build(input: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { document, messages: readMessages } = await readDocument(input, options);
  return buildDocument(document, readMessages, options);
}

/** Runs the stages for an already-read document (the batch build reads every file first). */
export async function buildDocument(
  document: LecternDocument,
  readMessages: readonly Message[],
  options: BuildOptions = {},
  queue?: PQueue,
): Promise<BuildResult> {
  const buildStarted = Date.now();
  const outDir = checkOutputFolderOption(options.outDir);
  const stageTable = options.stages ?? defaultStages;
  const requested = options.formats ?? stageTable.map((stage) => stage.name);
  for (const name of requested) {
    if (!stageTable.some((stage) => stage.name === name)) {
      throw new LecternError("USAGE", `unknown format \`${name}\``, { hint: `choose from ${stageTable.map((stage) => stage.name).join(", ")}` });
    }
  }
  const onEvent = options.onEvent;
  const emit = (event: PipelineEventBody): void => onEvent?.({ ...event, source: document.path });
  emit({ type: "document", document });
  const messages: Message[] = [...readMessages];
  for (const message of readMessages) emit({ type: "message", message });

  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new LecternError("USAGE", `Expected \`concurrency\` to be a whole number of at least 1, got \`${String(concurrency)}\` (${typeof concurrency})`);
  }
  const speechRate = options.speechRate ?? 1;
  if (typeof speechRate !== "number" || !(speechRate >= 0.5 && speechRate <= 2)) {
    throw new LecternError("USAGE", `Expected \`speechRate\` to be a number between 0.5 and 2, got \`${JSON.stringify(speechRate)}\` (${typeof speechRate})`);
  }
  const readCode = options.readCode ?? "short";
  if (!readCodeChoices.includes(readCode)) {
    throw new LecternError("USAGE", `Expected \`readCode\` to be one of ${readCodeChoices.join(", ")}, got \`${JSON.stringify(readCode)}\` (${typeof readCode})`);
  }
  const stageOptions: StageOptions = {
    engine: options.engine ?? "espeak",
    ...(options.voice ? { voice: options.voice } : {}),
    ...(speechRate !== 1 ? { speechRate } : {}),
    ...(readCode !== "short" ? { readCode } : {}),
    concurrency,
    ttsTimeoutMs: options.ttsTimeoutMs ?? 30_000,
    epubReadingFont: options.epubReadingFont ?? "none",
    ...(options.paperSize ? { paperSize: options.paperSize } : {}),
    now: options.now ?? (await reproducibleDate(document)),
  };

  const cache = options.cacheDir === false ? undefined : new ContentCache(resolve(options.cacheDir ?? defaultCacheFolder()));
  const cacheLimit = options.cacheMaxMB !== undefined ? options.cacheMaxMB * 1024 ** 2 : cacheMaxBytes();
  if (cache && (cacheLimit === undefined || !Number.isInteger(cacheLimit) || cacheLimit <= 0)) {
    throw new LecternError(
      "CONFIG",
      options.cacheMaxMB !== undefined
        ? `Expected \`cacheMaxMB\` to be a whole number of megabytes of at least 1, got \`${String(options.cacheMaxMB)}\``
        : `Expected LECTERN_CACHE_MAX_MB to be a whole number of megabytes of at least 1, got \`${process.env.LECTERN_CACHE_MAX_MB ?? ""}\``,
    );
  }

  await ensureOutputFolder(outDir);
  const lock = await lockOutputFolder(outDir);
  const taskQueue = queue ?? new PQueue({ concurrency });
  const controller = new AbortController();
  // Every queued task listens to this signal (p-queue's per-task `signal`); a book has hundreds.
  setMaxListeners(0, controller.signal);
  const onAbort = () => {
    controller.abort(options.signal?.reason);
    taskQueue.clear();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const reports: Partial<Record<StageName, StageReport>> = {};
  const outputs: Partial<Record<StageName, Record<string, unknown>>> = {};
  try {
    // Holding the lock: what this document's earlier build left, and what a killed build left.
    const realOutDir = await realpath(outDir).catch((error: unknown) => Promise.reject(outputFailure(error, outDir, "open the output folder")));
    const realSource = await realpath(document.path).catch(() => resolve(document.path));
    const earlierRead = await readEarlierBuild(realOutDir, realSource, stageTable.map((stage) => stage.name));
    const earlier = earlierRead && "files" in earlierRead ? earlierRead : undefined;
    if (earlierRead && "otherInput" in earlierRead) {
      // Two sources of one name into one folder: the second replaces the first's outputs.
      const message: Message = {
        severity: "warning",
        rule: "output-folder-shared",
        reason: `the output folder holds the build of another document (${earlierRead.otherInput}); outputs of the same name are replaced and its other files are left as they are — give each document its own --out`,
        source: "pipeline",
        file: outDir,
      };
      messages.push(message);
      emit({ type: "message", message });
    }
    const reportKept = (kept: readonly KeptFile[], what: string) => {
      for (const file of kept) {
        const message: Message = { severity: "warning", rule: "output-file-kept", reason: `could not remove ${what} ${file.path}: ${file.reason}`, source: "pipeline" };
        messages.push(message);
        emit({ type: "message", message });
      }
    };
    reportKept(await removeLeftoverTemporaries(realOutDir), "the leftover temporary file");
    const relativeFile = (file: string) => relative(outDir, file).split(sep).join("/");
    // Every stage starts at once; each puts its heavy work on the shared queue, so the
    // EPUB, the PDF and the audio sections run side by side within one concurrency budget.
    // Collect-all, not fail-fast: a failing stage must not stop the others (README, "Failures").
    await Promise.all(
      stageTable
        .filter((stage) => requested.includes(stage.name))
        .map(async (stage) => {
          const warnings: Message[] = [];
          const context: StageContext = {
            outDir,
            options: stageOptions,
            signal: controller.signal,
            ...(cache ? { cache } : {}),
            run: (label, task) => {
              if (controller.signal.aborted) return Promise.reject(new LecternError("INTERRUPTED", "interrupted"));
              // Bound to the stage that queued it: p-queue starts a task from whichever task just
              // finished — in a folder build, often another document's — and the task would
              // run in that one's async context (its writes recorded for, and checked against,
              // the other document's output folder).
              return taskQueue.add(
                AsyncResource.bind(async () => {
                  emit({ type: "task-start", stage: stage.name, label });
                  try {
                    return await task();
                  } finally {
                    emit({ type: "task-end", stage: stage.name, label });
                  }
                }),
                { signal: controller.signal },
              ) as Promise<Awaited<ReturnType<typeof task>>>;
            },
            report: (partial) => {
              const message: Message = { ...partial, source: partial.source ?? stage.name };
              warnings.push(message);
              messages.push(message);
              emit({ type: "message", message });
            },
            progress: (done, total) => emit({ type: "stage-progress", stage: stage.name, done, total }),
          };
          emit({ type: "stage-start", stage: stage.name });
          const started = performance.now();
          let result: StageResult | undefined;
          let error: string | undefined;
          const written = new Set<string>();
          try {
            result = await writingInto(outDir, (path) => written.add(path), () => stage.write(document, context));
          } catch (failure) {
            error = describeFailure(failure, controller.signal.aborted);
          }
          const seconds = round((performance.now() - started) / 1000, 3);
          const status: StageStatus = result ? "ok" : "failed";
          // A failed stage still lists what its earlier build left and what it wrote before
          // failing, so that a later build of it can clean those files up.
          const files = result
            ? result.files.map(relativeFile).sort()
            : await stillPresent(realOutDir, unique([...(earlier?.files[stage.name] ?? []), ...[...written].map(relativeFile)]));
          reports[stage.name] = { status, seconds, ...(result?.fromCache ? { fromCache: true } : {}), ...(error ? { error } : {}), warnings, files };
          if (result) outputs[stage.name] = result.manifest;
          emit({ type: "stage-end", stage: stage.name, status, seconds, ...(result?.fromCache ? { fromCache: true } : {}), ...(error ? { error } : {}) });
        }),
    );
    for (const stage of stageTable) {
      if (requested.includes(stage.name)) continue;
      // A skipped stage carries its earlier files forward: a later build of it cleans them.
      const files = await stillPresent(realOutDir, earlier?.files[stage.name] ?? []);
      reports[stage.name] = { status: "skipped", seconds: 0, warnings: [], files };
    }
    // Damaged cache entries were discarded and made again: said once (a cache may be shared or restored).
    const cacheNotice = cache?.damageNotice();
    if (cacheNotice) {
      messages.push(cacheNotice);
      emit({ type: "message", message: cacheNotice });
    }
    const listed = new Set(Object.values(reports).flatMap((report) => report.files));
    const rebuilt = (Object.entries(reports) as [StageName, StageReport][]).filter(([, report]) => report.status === "ok").map(([name]) => name);
    reportKept(await removeStaleFiles(realOutDir, earlier, rebuilt, listed), "the stale file");

    const manifest = manifestOf(document, sourceReference(realOutDir, realSource), outputs, reports, messages);
    const manifestPath = join(outDir, manifestFileName);
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const interrupted = controller.signal.aborted;
    // Bounded: the entries used longest ago go first, never one this build has used.
    if (cache && cacheLimit && !interrupted) await cache.prune(cacheLimit, buildStarted);
    return {
      document,
      outDir,
      manifestPath,
      manifest,
      stages: reports,
      messages,
      ok: !interrupted && Object.values(reports).every((report) => report.status !== "failed"),
      interrupted,
    };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await lock.release();
  }
}

function manifestOf(
  document: LecternDocument,
  input: string,
  outputs: Partial<Record<StageName, Record<string, unknown>>>,
  reports: Partial<Record<StageName, StageReport>>,
  messages: readonly Message[],
): Manifest {
  const { metadata } = document;
  const stages: Manifest["stages"] = {};
  for (const [name, report] of Object.entries(reports) as [StageName, StageReport][]) {
    stages[name] = {
      status: report.status,
      seconds: report.seconds,
      ...(report.fromCache ? { fromCache: true } : {}),
      ...(report.error ? { error: report.error } : {}),
      warnings: report.warnings.map((message) => message.reason),
      files: report.files,
    };
  }
  return {
    title: metadata.title,
    ...(metadata.author ? { author: metadata.author } : {}),
    language: metadata.language,
    ...(metadata.source ? { source: metadata.source } : {}),
    input,
    ...(metadata.date ? { date: metadata.date } : {}),
    ...(document.metadataSources ? { metadataSources: document.metadataSources } : {}),
    generator: `Lectern ${version}`,
    sections: document.sections.map((section) => ({
      index: section.index,
      title: section.title,
      slug: section.slug,
      words: section.words,
      role: section.role,
      ...(section.start ? { line: section.start.line } : {}),
    })),
    outputs,
    stages,
    warnings: uniqueProblems(messages.filter((message) => message.severity !== "info")).map((message) => formatPlace(message)),
  };
}

/**
 * One entry per problem in the source: the EPUB and PDF stages often meet the same one (a
 * missing image, a skipped heading level) and report it under the same rule and line.
 * Per-stage lists under `stages` keep every report.
 */
function uniqueProblems(messages: readonly Message[]): Message[] {
  const seen = new Set<string>();
  return messages.filter((message) => {
    if (message.line === undefined) return true;
    const key = `${message.file ?? ""}:${message.line}:${message.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function formatPlace(message: Message): string {
  const place = message.line ? `line ${message.line}: ` : "";
  return `${place}${message.reason} [${message.source}/${message.rule}]`;
}

function describeFailure(failure: unknown, aborted: boolean): string {
  if (aborted) return "interrupted before it finished";
  if (failure instanceof LecternError) return failure.format();
  const code = (failure as NodeJS.ErrnoException | undefined)?.code;
  const path = (failure as NodeJS.ErrnoException | undefined)?.path;
  if (code && typeof path === "string") return `${describeFileSystemError(failure).replace(/\)$/, `: ${path})`)}`;
  if (failure instanceof Error) return failure.message.split("\n")[0] ?? failure.name;
  return String(failure);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The latest SOURCE_DATE_EPOCH accepted: 9999-12-31T23:59:59Z, the last date every output format can write. */
const latestSourceDateEpoch = 253_402_300_799;

/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970-01-01 UTC. Unset or
 * empty means "not given" (the specification's rule); anything else that is not such a number
 * is a CONFIG error naming it, never silently ignored (the build would not be reproducible).
 */
export function sourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === "") return undefined;
  const seconds = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds <= latestSourceDateEpoch)) {
    throw new LecternError(
      "CONFIG",
      `Expected SOURCE_DATE_EPOCH to be a whole number of seconds since 1970-01-01 UTC, from 0 to ${latestSourceDateEpoch} (9999-12-31), got \`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\``,
      { hint: "unset it, or set it to e.g. `date +%s` or `git log -1 --format=%ct`" },
    );
  }
  return new Date(seconds * 1000);
}

/** SOURCE_DATE_EPOCH, else the document's date, else the source file's modification time. */
async function reproducibleDate(document: LecternDocument): Promise<Date> {
  const epoch = sourceDateEpoch(process.env.SOURCE_DATE_EPOCH);
  if (epoch) return epoch;
  if (document.metadata.date) {
    const date = new Date(`${document.metadata.date.length === 4 ? `${document.metadata.date}-01-01` : document.metadata.date}T00:00:00Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  const info = await stat(document.path);
  return new Date(Math.floor(info.mtimeMs / 1000) * 1000);
}
