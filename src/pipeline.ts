// The pipeline: parse once, then run every requested stage over one shared p-queue, each as
// soon as the stages it needs are done, handing it their data (docs/stages.md).
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
import {
  manifestFileName,
  readEarlierBuild,
  removeLeftoverTemporaries,
  removeStaleFiles,
  sourceReference,
  stillPresent,
  type EarlierBuild,
  type KeptFile,
} from "./output/stale-files.js";
import { defaultStageNames, stageNames as knownStageNames, stages as defaultStages, type StageManifests, type StageName } from "./stages/index.js";
import type { AnyStage, NeedsData, StageContext, StageOptions, StageResult } from "./stages/stage.js";
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
  /**
   * Which stages to run. Default: `epub`, `pdf`, `audio` (`talking-epub` is asked for by name). A stage that needs another
   * pulls it in: the needed stage runs and writes its outputs too (its report says
   * `neededBy`).
   */
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
  /**
   * Replaces the stage table (tests use this to inject failing or slow stages). Its names
   * must be stage names, each once; its needs must be in it and form no cycle.
   */
  readonly stages?: readonly AnyStage[];
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
  /** The requested stages that need this one, when it ran only because of them. */
  readonly neededBy?: readonly StageName[];
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
  /** Each stage's own entry, typed by its stage (`EpubManifest`, `PdfManifest`, `AudioManifest`). */
  readonly outputs: Partial<StageManifests>;
  readonly stages: Partial<
    Record<
      StageName,
      { status: StageStatus; seconds: number; fromCache?: true; error?: string; neededBy?: readonly StageName[]; warnings: readonly string[]; files: readonly string[] }
    >
  >;
  readonly warnings: readonly string[];
}

/** Reads `input` once and writes every requested output into `options.outDir`. */
export async function build(input: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { document, messages: readMessages } = await readDocument(input, options);
  return buildDocument(document, readMessages, options);
}

/** Runs the stages for an already-read document (the batch build reads every file first). */
export async function buildDocument(document: LecternDocument, readMessages: readonly Message[], options: BuildOptions = {}, queue?: PQueue): Promise<BuildResult> {
  const buildStarted = Date.now();
  const settings = await checkedSettings(document, options);
  const log = buildLog(document, readMessages, options.onEvent);
  for (const { stage, neededBy } of settings.plan) {
    if (neededBy.length > 0)
      log.add({
        severity: "info",
        rule: "stage-needed",
        reason: `${stage.name} runs because ${neededBy.join(" and ")} ${neededBy.length === 1 ? "needs" : "need"} it`,
        source: "pipeline",
      });
  }

  await ensureOutputFolder(settings.outDir);
  const lock = await lockOutputFolder(settings.outDir);
  const taskQueue = queue ?? new PQueue({ concurrency: settings.stageOptions.concurrency });
  const interruption = interruptible(options.signal, taskQueue);
  try {
    const folder = await openOutputFolder(document, settings, log);
    const reports = await runStageGraph(document, settings, folder, taskQueue, interruption.signal, log);
    // Damaged cache entries were discarded and made again: said once (a cache may be shared or restored).
    const cacheNotice = settings.cache?.damageNotice();
    if (cacheNotice) log.add(cacheNotice);
    await removeStale(folder, reports.reports, log);

    const manifest = manifestOf(document, sourceReference(folder.realOutDir, folder.realSource), reports.outputs, reports.reports, log.messages);
    const manifestPath = join(settings.outDir, manifestFileName);
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const interrupted = interruption.signal.aborted;
    // Bounded: the entries used longest ago go first, never one this build has used.
    if (settings.cache && settings.cacheLimit && !interrupted) await settings.cache.prune(settings.cacheLimit, buildStarted);
    return {
      document,
      outDir: settings.outDir,
      manifestPath,
      manifest,
      stages: reports.reports,
      messages: log.messages,
      ok: !interrupted && Object.values(reports.reports).every((report) => report.status !== "failed"),
      interrupted,
    };
  } finally {
    interruption.dispose();
    await lock.release();
  }
}

/** A stage of the table, under a known name (`checkedStageTable`). */
interface NamedStage extends AnyStage {
  readonly name: StageName;
  readonly needs?: readonly StageName[];
}

/** A stage this build runs, and the requested stages that need it when it was not requested itself. */
interface PlannedStage {
  readonly stage: NamedStage;
  readonly neededBy: readonly StageName[];
}

/** Everything a build decided from its options before touching the output folder. */
interface BuildSettings {
  readonly outDir: string;
  readonly table: readonly NamedStage[];
  /** In table order: the requested stages and every stage they need. */
  readonly plan: readonly PlannedStage[];
  readonly stageOptions: StageOptions;
  readonly cache: ContentCache | undefined;
  readonly cacheLimit: number | undefined;
}

/** The options checked and resolved (defaults applied); a bad value is one USAGE or CONFIG error. */
async function checkedSettings(document: LecternDocument, options: BuildOptions): Promise<BuildSettings> {
  const outDir = checkOutputFolderOption(options.outDir);
  const table = checkedStageTable(options.stages ?? defaultStages);
  // A table given by the caller (tests) runs whole by default; Lectern's own, its default outputs.
  const requested = options.formats ?? (options.stages ? table.map((stage) => stage.name) : defaultStageNames);
  for (const name of requested) {
    if (!table.some((stage) => stage.name === name)) {
      throw new LecternError("USAGE", `unknown format \`${name}\``, { hint: `choose from ${table.map((stage) => stage.name).join(", ")}` });
    }
  }
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
  return { outDir, table, plan: stagePlan(table, requested), stageOptions, cache, cacheLimit };
}

/**
 * `table`, once checked: every name a stage name and given once, every need a stage of the
 * table, no stage needing itself through others. A table that breaks these is a programming
 * error (the table in src/stages/index.ts, or one a test injects), refused before anything runs.
 */
function checkedStageTable(table: readonly AnyStage[]): readonly NamedStage[] {
  const names = new Set<string>();
  for (const stage of table) {
    if (!(knownStageNames as readonly string[]).includes(stage.name)) throw new Error(`stage table: \`${stage.name}\` is not a stage name (${knownStageNames.join(", ")})`);
    if (names.has(stage.name)) throw new Error(`stage table: \`${stage.name}\` is listed twice`);
    names.add(stage.name);
  }
  for (const stage of table) {
    const unknown = stage.needs?.find((need) => !names.has(need));
    if (unknown !== undefined) throw new Error(`stage table: ${stage.name} needs \`${unknown}\`, which is not in the table`);
  }
  const byName = new Map(table.map((stage) => [stage.name, stage]));
  const checked = new Set<string>();
  const visit = (stage: AnyStage, path: readonly string[]): void => {
    if (path.includes(stage.name)) throw new Error(`stage table: a cycle of needs (${[...path.slice(path.indexOf(stage.name)), stage.name].join(" → ")})`);
    if (checked.has(stage.name)) return;
    for (const need of stage.needs ?? []) visit(byName.get(need)!, [...path, stage.name]);
    checked.add(stage.name);
  };
  for (const stage of table) visit(stage, []);
  return table as readonly NamedStage[];
}

/** The requested stages and, transitively, the stages they need, in table order. */
function stagePlan(table: readonly NamedStage[], requested: readonly StageName[]): PlannedStage[] {
  const byName = new Map(table.map((stage) => [stage.name, stage]));
  const neededBy = new Map<StageName, Set<StageName>>();
  const pull = (name: StageName, requester: StageName): void => {
    for (const need of byName.get(name)!.needs ?? []) {
      const requesters = neededBy.get(need) ?? new Set();
      if (requesters.has(requester)) continue;
      neededBy.set(need, requesters.add(requester));
      pull(need, requester);
    }
  };
  for (const name of requested) pull(name, name);
  return table
    .filter((stage) => requested.includes(stage.name) || neededBy.has(stage.name))
    .map((stage) => ({ stage, neededBy: requested.includes(stage.name) ? [] : [...neededBy.get(stage.name)!] }));
}

/** The build's messages, each told to the listener as it comes. */
interface BuildLog {
  readonly messages: Message[];
  add(message: Message): void;
  emit(event: PipelineEventBody): void;
}

function buildLog(document: LecternDocument, readMessages: readonly Message[], onEvent: BuildOptions["onEvent"]): BuildLog {
  const messages: Message[] = [];
  const emit = (event: PipelineEventBody): void => onEvent?.({ ...event, source: document.path });
  const log: BuildLog = {
    messages,
    emit,
    add(message) {
      messages.push(message);
      emit({ type: "message", message });
    },
  };
  emit({ type: "document", document });
  for (const message of readMessages) log.add(message);
  return log;
}

/** One abort signal for the build's tasks: the caller's, which also drops the queued ones. */
function interruptible(outer: AbortSignal | undefined, taskQueue: PQueue): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Every queued task listens to this signal (p-queue's per-task `signal`); a book has hundreds.
  setMaxListeners(0, controller.signal);
  const onAbort = () => {
    controller.abort(outer?.reason);
    taskQueue.clear();
  };
  if (outer?.aborted) onAbort();
  outer?.addEventListener("abort", onAbort, { once: true });
  return { signal: controller.signal, dispose: () => outer?.removeEventListener("abort", onAbort) };
}

/** The output folder as this build found it, once the lock is held. */
interface OutputFolder {
  readonly outDir: string;
  readonly realOutDir: string;
  readonly realSource: string;
  /** What this document's earlier build listed, when the folder holds one. */
  readonly earlier: EarlierBuild | undefined;
}

/** What this document's earlier build left in the folder, and what a killed build left (removed). */
async function openOutputFolder(document: LecternDocument, settings: BuildSettings, log: BuildLog): Promise<OutputFolder> {
  const { outDir } = settings;
  const realOutDir = await realpath(outDir).catch((error: unknown) => Promise.reject(outputFailure(error, outDir, "open the output folder")));
  const realSource = await realpath(document.path).catch(() => resolve(document.path));
  const earlierRead = await readEarlierBuild(
    realOutDir,
    realSource,
    settings.table.map((stage) => stage.name),
  );
  if (earlierRead && "otherInput" in earlierRead) {
    // Two sources of one name into one folder: the second replaces the first's outputs.
    log.add({
      severity: "warning",
      rule: "output-folder-shared",
      reason: `the output folder holds the build of another document (${earlierRead.otherInput}); outputs of the same name are replaced and its other files are left as they are — give each document its own --out`,
      source: "pipeline",
      file: outDir,
    });
  }
  reportKept(await removeLeftoverTemporaries(realOutDir), "the leftover temporary file", log);
  return { outDir, realOutDir, realSource, earlier: earlierRead && "files" in earlierRead ? earlierRead : undefined };
}

/** Removes what the rebuilt stages' earlier builds wrote and this build did not. */
async function removeStale(folder: OutputFolder, reports: Partial<Record<StageName, StageReport>>, log: BuildLog): Promise<void> {
  const listed = new Set(Object.values(reports).flatMap((report) => report.files));
  const rebuilt = (Object.entries(reports) as [StageName, StageReport][]).filter(([, report]) => report.status === "ok").map(([name]) => name);
  reportKept(await removeStaleFiles(folder.realOutDir, folder.earlier, rebuilt, listed), "the stale file", log);
}

function reportKept(kept: readonly KeptFile[], what: string, log: BuildLog): void {
  for (const file of kept) log.add({ severity: "warning", rule: "output-file-kept", reason: `could not remove ${what} ${file.path}: ${file.reason}`, source: "pipeline" });
}

/** How one stage of the plan ended: its report and, when it succeeded, its result. */
interface StageOutcome {
  readonly report: StageReport;
  readonly result?: StageResult<unknown, object>;
}

/**
 * Runs the plan. A stage with no needs starts at once; a stage with needs starts the moment
 * the last of them has succeeded, with their data. Each puts its heavy work on the shared
 * queue, so the EPUB, the PDF and the audio sections run side by side within one concurrency
 * budget. Collect-all, not fail-fast: a failing stage must not stop the others (README,
 * "Failures"); only the stages that need it fail with it, naming it.
 */
async function runStageGraph(
  document: LecternDocument,
  settings: BuildSettings,
  folder: OutputFolder,
  taskQueue: PQueue,
  signal: AbortSignal,
  log: BuildLog,
): Promise<{ reports: Partial<Record<StageName, StageReport>>; outputs: Partial<StageManifests> }> {
  const planned = new Map(settings.plan.map((entry) => [entry.stage.name, entry]));
  const outcomes = new Map<StageName, Promise<StageOutcome>>();
  const outcomeOf = (name: StageName): Promise<StageOutcome> => {
    let outcome = outcomes.get(name);
    if (!outcome) {
      outcome = runWhenNeedsAreDone(planned.get(name)!);
      outcomes.set(name, outcome);
    }
    return outcome;
  };
  const runWhenNeedsAreDone = async ({ stage, neededBy }: PlannedStage): Promise<StageOutcome> => {
    const needs = await Promise.all((stage.needs ?? []).map(async (need) => ({ need, outcome: await outcomeOf(need) })));
    const failedNeed = needs.find(({ outcome }) => !outcome.result);
    if (signal.aborted || failedNeed) {
      const error = signal.aborted ? "interrupted before it started" : `needs ${failedNeed!.need}, which failed: ${failedNeed!.outcome.report.error ?? "no reason given"}`;
      // It never started; it still lists what its earlier build left, so a later build of it cleans them up.
      const files = await stillPresent(folder.realOutDir, folder.earlier?.files[stage.name] ?? []);
      log.emit({ type: "stage-end", stage: stage.name, status: "failed", seconds: 0, error });
      return { report: { status: "failed", seconds: 0, error, warnings: [], files, ...(neededBy.length ? { neededBy } : {}) } };
    }
    const needsData: NeedsData = Object.fromEntries(needs.map(({ need, outcome }) => [need, outcome.result!.data]));
    return runStage(document, stage, neededBy, needsData, settings, folder, taskQueue, signal, log);
  };
  await Promise.all(settings.plan.map(({ stage }) => outcomeOf(stage.name)));

  const reports: Partial<Record<StageName, StageReport>> = {};
  const outputs: Partial<Record<StageName, object>> = {};
  for (const stage of settings.table) {
    const outcome = await outcomes.get(stage.name);
    if (outcome) {
      reports[stage.name] = outcome.report;
      if (outcome.result) outputs[stage.name] = outcome.result.manifest;
    } else {
      // A skipped stage carries its earlier files forward: a later build of it cleans them.
      const files = await stillPresent(folder.realOutDir, folder.earlier?.files[stage.name] ?? []);
      reports[stage.name] = { status: "skipped", seconds: 0, warnings: [], files };
    }
  }
  // Each entry is the manifest its own stage returned, whose type the table gives it.
  return { reports, outputs: outputs as Partial<StageManifests> };
}

/** Runs one stage with its needs' data, its writes confined to the output folder. */
async function runStage(
  document: LecternDocument,
  stage: NamedStage,
  neededBy: readonly StageName[],
  needs: NeedsData,
  settings: BuildSettings,
  folder: OutputFolder,
  taskQueue: PQueue,
  signal: AbortSignal,
  log: BuildLog,
): Promise<StageOutcome> {
  const { outDir } = settings;
  const warnings: Message[] = [];
  const context: StageContext = {
    outDir,
    options: settings.stageOptions,
    signal,
    ...(settings.cache ? { cache: settings.cache } : {}),
    run: (label, task) => {
      if (signal.aborted) return Promise.reject(new LecternError("INTERRUPTED", "interrupted"));
      // Bound to the stage that queued it: p-queue starts a task from whichever task just
      // finished — in a folder build, often another document's — and the task would
      // run in that one's async context (its writes recorded for, and checked against,
      // the other document's output folder).
      return taskQueue.add(
        AsyncResource.bind(async () => {
          log.emit({ type: "task-start", stage: stage.name, label });
          try {
            return await task();
          } finally {
            log.emit({ type: "task-end", stage: stage.name, label });
          }
        }),
        { signal },
      ) as Promise<Awaited<ReturnType<typeof task>>>;
    },
    report: (partial) => {
      const message: Message = { ...partial, source: partial.source ?? stage.name };
      warnings.push(message);
      log.add(message);
    },
    progress: (done, total) => log.emit({ type: "stage-progress", stage: stage.name, done, total }),
  };
  log.emit({ type: "stage-start", stage: stage.name });
  const started = performance.now();
  let result: StageResult<unknown, object> | undefined;
  let error: string | undefined;
  const written = new Set<string>();
  try {
    result = await writingInto(
      outDir,
      (path) => written.add(path),
      () => stage.write(document, context, needs),
    );
  } catch (failure) {
    error = describeFailure(failure, signal.aborted);
  }
  const seconds = round((performance.now() - started) / 1000, 3);
  const status: StageStatus = result ? "ok" : "failed";
  const relativeFile = (file: string) => relative(outDir, file).split(sep).join("/");
  // A failed stage still lists what its earlier build left and what it wrote before
  // failing, so that a later build of it can clean those files up.
  const files = result
    ? result.files.map(relativeFile).sort()
    : await stillPresent(folder.realOutDir, unique([...(folder.earlier?.files[stage.name] ?? []), ...[...written].map(relativeFile)]));
  const fromCache = result?.fromCache ? ({ fromCache: true } as const) : {};
  log.emit({ type: "stage-end", stage: stage.name, status, seconds, ...fromCache, ...(error ? { error } : {}) });
  return {
    report: { status, seconds, ...fromCache, ...(error ? { error } : {}), warnings, files, ...(neededBy.length ? { neededBy } : {}) },
    ...(result ? { result } : {}),
  };
}

function manifestOf(
  document: LecternDocument,
  input: string,
  outputs: Partial<StageManifests>,
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
      ...(report.neededBy ? { neededBy: report.neededBy } : {}),
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
