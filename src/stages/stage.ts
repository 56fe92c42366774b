// The contract every output stage fulfils: a document (and the data of the stages it needs)
// in, files, a manifest entry and data for the stages that need it out. The names of the
// stages, and the types that follow from them, are in the table (src/stages/index.ts).
import type { LecternDocument } from "../document/model.js";
import type { Message } from "../messages.js";
import type { ContentCache } from "../cache/content-cache.js";
import type { ReadCode } from "../document/speech/index.js";
import type { EngineName } from "../tts/engine.js";

/** Options every stage may read. All are resolved (defaults applied) before a stage runs. */
export interface StageOptions {
  /** Text-to-speech engine for the audio stage. Default `espeak` (offline). */
  readonly engine: EngineName;
  /** Voice name for the engine; `undefined` picks one from the document language. */
  readonly voice?: string;
  /**
   * Speaking rate as a multiple of the engine's normal pace, 0.5–2. Default 1
   * (espeak-ng: 165 words a minute). Lower it for dense text or language learners.
   */
  readonly speechRate?: number;
  /**
   * Which code blocks the audio reads out after announcing them: `short` (default) a command
   * or two (at most 2 lines and 80 characters), `all` every block, `none` none (announced only).
   * Choose `all` for a tutorial meant to be followed by ear, `none` for a code-heavy reference.
   */
  readonly readCode?: ReadCode;
  /** Upper bound on tasks running at once (stages and audio sections). */
  readonly concurrency: number;
  /** Overall time limit, in ms, for one online TTS request (Edge). Default 30,000. */
  readonly ttsTimeoutMs: number;
  /**
   * Font embedded in the EPUB for reading systems that offer a "publisher font" setting.
   * Default `none`: the reader's own font choice rules, and the book stays ~800 KB smaller.
   */
  readonly epubReadingFont?: "none" | "dejavu-serif";
  /** PDF paper size. Default: from the document language's likely region (Letter for US, CA, MX, PH…; A4 elsewhere). */
  readonly paperSize?: "A4" | "Letter";
  /** Date used wherever a timestamp is written (reproducible output). */
  readonly now: Date;
}

/** Any stage's manifest entry: a JSON object. A stage declares its own (`EpubManifest`, `PdfManifest`…). */
export type StageManifest = Readonly<Record<string, unknown>>;

/** What a stage hands back to the pipeline. */
export interface StageResult<Data = unknown, Manifest extends object = StageManifest> {
  /** The stage's entry under `outputs` in manifest.json; paths relative to the output folder. */
  readonly manifest: Manifest;
  /**
   * What the stages that need this one receive, not written to manifest.json: the audio
   * stage's per-sentence clips, which the talking EPUB pairs with its text. Plain JSON data
   * when the stage is cached (src/stages/stage-output-cache.ts stores it with the files).
   */
  readonly data?: Data;
  /** Absolute paths of every file the stage wrote. */
  readonly files: readonly string[];
  /** Set when the files were copied from the content cache instead of being made again. */
  readonly fromCache?: true;
}

/** What the pipeline lends a stage while it runs. */
export interface StageContext {
  /** Absolute output folder; it exists. */
  readonly outDir: string;
  readonly options: StageOptions;
  /** Aborted when the run is interrupted; long work should stop soon after. */
  readonly signal: AbortSignal;
  /**
   * Runs `task` in the shared queue (bounded by `options.concurrency`) and resolves with its
   * result. Stages put their heavy work here (one task per EPUB, per PDF, per audio section)
   * so every stage shares one concurrency budget; never call it from inside another task.
   */
  run<T>(label: string, task: () => Promise<T>): Promise<T>;
  /**
   * Content-addressed cache for expensive, repeatable work (synthesized audio). Absent with
   * `--no-cache`. Key entries with `ContentCache.key({...everything that changes the result})`.
   */
  readonly cache?: ContentCache;
  /** Reports a recoverable problem; the run goes on. */
  report(message: Omit<Message, "source"> & { source?: string }): void;
  /** Tells the progress display that `done` of `total` units of this stage are finished. */
  progress(done: number, total: number): void;
}

/** The `Needs` of a stage that needs none. */
export type NoNeeds = Record<never, never>;

/** What a stage receives from the stages it needs: each one's `data`, by stage name. */
export type NeedsData = { readonly [stage: string]: unknown };

/**
 * An output stage. `Name` is its row's name in the table; `Needs` maps the stages it needs
 * to the `data` it receives from each (`{ audio: AudioData }`); `Manifest` is its entry
 * under `outputs` in manifest.json; `Data` what it hands the stages that need it.
 *
 * A stage with needs lists them (`needs: ["audio"]`) and runs once they have all succeeded;
 * when one fails, it fails too, naming the need (docs/stages.md).
 */
export type Stage<Name extends string = string, Needs extends object = NoNeeds, Manifest extends object = StageManifest, Data = unknown> = {
  readonly name: Name;
  /**
   * Writes the stage's files for `doc` into `context.outDir`. Throws on failure. `needs`
   * holds the data of the stages it needs (a stage that needs none may be called without).
   */
  write(doc: LecternDocument, context: StageContext, ...needs: NeedsArgument<Needs>): Promise<StageResult<Data, Manifest>>;
} & NeedsList<Needs>;

/** A stage with needs must list them; one without lists none. */
type NeedsList<Needs extends object> = keyof Needs extends never ? { readonly needs?: readonly [] } : { readonly needs: readonly (keyof Needs & string)[] };

type NeedsArgument<Needs extends object> = keyof Needs extends never ? [needs?: Needs] : [needs: Needs];

/** Any stage, its own types forgotten: what the pipeline and the table's wrappers handle. */
export interface AnyStage {
  readonly name: string;
  readonly needs?: readonly string[];
  write(doc: LecternDocument, context: StageContext, needs: NeedsData): Promise<StageResult<unknown, object>>;
}
