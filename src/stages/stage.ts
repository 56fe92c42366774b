// The contract every output stage fulfils: a document in, files and a manifest entry out.
import type { LecternDocument } from "../document/model.js";
import type { Message } from "../messages.js";
import type { ContentCache } from "../cache/content-cache.js";
import type { ReadCode } from "../document/speech/index.js";
import type { EngineName } from "../tts/engine.js";

/** Names of the output stages, in the order the pipeline starts them. */
export type StageName = "epub" | "pdf" | "audio";

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

/** What a stage hands back to the pipeline. */
export interface StageResult<Data = unknown> {
  /** The stage's entry under `outputs` in manifest.json; paths relative to the output folder. */
  readonly manifest: Record<string, unknown>;
  /**
   * What the stages that need this one receive, not written to manifest.json: the audio
   * stage's per-sentence clips, which the talking EPUB pairs with its text.
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

export interface Stage {
  readonly name: StageName;
  /** Writes the stage's files for `doc` into `context.outDir`. Throws on failure. */
  write(doc: LecternDocument, context: StageContext): Promise<StageResult>;
}
