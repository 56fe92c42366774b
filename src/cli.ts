#!/usr/bin/env -S node --max-semi-space-size=1
// The command line: arguments in, progress and messages out. All the work is in pipeline.ts.
//
// The V8 flag above (also in package.json's `start` and `lectern` scripts, and what `npm run
// bench` measures with): a 1 MB young generation instead of 16 MB. Peak memory of a cold book
// build drops by about 90 MB (Alice: ≈ 470 → ≈ 370 MB) for about 2 % more CPU; it can only be
// set when Node starts (docs/performance.md, "Memory").
import { realpathSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll, documentFolder } from "./batch.js";
import { formatMessage, LecternError } from "./messages.js";
import type { LecternDocument } from "./document/model.js";
import type { BuildResult, PipelineEvent } from "./pipeline.js";
import { checkOverrides, knownMetadataKeys, metadataFieldOfKey, type MetadataOverrides } from "./document/metadata-sources.js";
import { defaultStageNames, stageNames } from "./stages/index.js";
import type { StageName } from "./stages/index.js";
import { readDocument } from "./document/read.js";
import { markedUtteranceText, readCodeChoices, type ReadCode } from "./document/speech/index.js";
import { audioScript, trackFileBase } from "./stages/audio/index.js";
import { engineNames, type EngineName } from "./tts/engine.js";
import { version } from "./version.js";

const usage = `Usage: lectern build <file-or-folder> [options]
       lectern script <file> [options]

Turns a Markdown (.md) or plain-text (.txt) document into an accessible EPUB 3, a tagged
PDF/UA PDF and per-section MP3 audio. A folder builds every document in it and in its
sub-folders, each into <out>/<sub-folders>/<document>/. Relative paths are read from the
folder the command was typed in (under \`npm run\`, npm's INIT_CWD).

\`script\` prints, section by section, the text the speech engine will be given (after the
lexicon and normalisation, one line per utterance, a change of language marked \`[fr] …\`),
without synthesizing anything: review pronunciations before a long build. It reads the
speech and metadata options (--engine, --voice, --read-code, --lang, …).

Options:
  --out <dir>          output folder (default: output)
  --formats <list>     comma-separated subset of ${stageNames.join(",")} (default: ${defaultStageNames.join(",")});
                       the stages a listed one needs run too
  --engine <name>      text-to-speech engine: ${engineNames.join(" | ")} (default: espeak, offline)
  --voice <name>       voice for the engine (default: from the document language)
  --rate <x>           speaking rate, 0.5–2 times the voice's normal pace (default: 1)
  --read-code <which>  code blocks read aloud after their announcement: all | short | none
                       (default: short, a command or two: at most 2 lines, 80 characters)
  --concurrency <n>    tasks at once (default: number of CPU cores)
  --tts-timeout <s>    time limit for one online TTS request, seconds (default: 30)
  --paper <size>       PDF paper: a4 | letter (default: from the document language)
  --reading-font <f>   font embedded in the EPUB: none | dejavu-serif (default: none)
  --title <text>       the document's title, over its front matter, title page or file name
  --author <name>      an author; repeat for several (over the document's own)
  --lang <tag>         BCP 47 language, e.g. en-US (default: the document's, else detected from its text)
  --date <date>        publication date, YYYY-MM-DD (the outputs' timestamp)
  --description <text> one-paragraph description
  --metadata <k=v>     a front matter key and value, e.g. publisher=Acme; repeatable; keys:
                       ${knownMetadataKeys.join(", ")}
  --metadata-file <f>  a YAML file of front matter keys; front matter and <name>.yaml win over it
  --cache-dir <dir>    audio cache folder (default: $LECTERN_CACHE_DIR or ~/.cache/lectern)
  --no-cache           synthesize everything again; neither read nor write the cache
  --no-smart           keep the source's straight quotes, -- and ... (default: curly quotes,
                       dashes and ellipses by the document's language)
  --no-recursive       in a folder, build only the documents directly inside it
  --quiet              print only warnings and errors
  --debug              show stack traces for errors
  -h, --help           this help
  -v, --version        Lectern's version`;

interface CliOptions {
  /** `build` writes the outputs; `script` prints what the speech engine would be given. */
  readonly command: "build" | "script";
  readonly input: string;
  readonly outDir: string;
  readonly formats?: StageName[];
  readonly engine?: EngineName;
  readonly voice?: string;
  readonly speechRate?: number;
  readonly readCode?: ReadCode;
  readonly concurrency?: number;
  readonly ttsTimeoutMs?: number;
  readonly cacheDir?: string | false;
  readonly epubReadingFont?: "none" | "dejavu-serif";
  readonly paperSize?: "A4" | "Letter";
  /** `--title`, `--author`, `--lang`, `--date`, `--description`, `--metadata key=value`, checked. */
  readonly metadata?: MetadataOverrides;
  readonly metadataFile?: string;
  readonly recursive?: false;
  /** `--no-smart`: the source's straight quotes, `--` and `...` are kept. */
  readonly smartTypography?: false;
  readonly quiet: boolean;
  readonly debug: boolean;
}

/** Parses argv (without `node` and the script); throws USAGE errors with a hint. */
export function parseCommandLine(argv: readonly string[]): CliOptions | "help" | "version" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string", short: "o" },
        formats: { type: "string" },
        engine: { type: "string" },
        voice: { type: "string" },
        rate: { type: "string" },
        "read-code": { type: "string" },
        concurrency: { type: "string" },
        "tts-timeout": { type: "string" },
        "cache-dir": { type: "string" },
        "reading-font": { type: "string" },
        paper: { type: "string" },
        title: { type: "string" },
        author: { type: "string", multiple: true },
        lang: { type: "string" },
        date: { type: "string" },
        description: { type: "string" },
        metadata: { type: "string", multiple: true },
        "metadata-file": { type: "string" },
        "no-cache": { type: "boolean" },
        "no-smart": { type: "boolean" },
        "no-recursive": { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
        debug: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    throw new LecternError("USAGE", (error as Error).message.split("\n")[0]!, { hint: "see `lectern --help`" });
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  const [command, input, ...extra] = positionals;
  if (command === undefined) throw new LecternError("USAGE", "missing command", { hint: "try `lectern build content/`" });
  if (command !== "build" && command !== "script") throw new LecternError("USAGE", `unknown command \`${command}\``, { hint: "the commands are `build` and `script`" });
  if (input === undefined) {
    throw new LecternError("USAGE", `missing the document to ${command === "build" ? "build" : "read"}`, {
      hint: command === "build" ? "`lectern build <file-or-folder>`" : "`lectern script <file>`",
    });
  }
  if (extra.length)
    throw new LecternError("USAGE", `unexpected argument \`${extra[0]}\``, { hint: command === "build" ? "build one file or one folder at a time" : "script one file at a time" });

  let formats: StageName[] | undefined;
  if (values.formats !== undefined) {
    formats = values.formats
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean) as StageName[];
    const unknown = formats.find((name) => !stageNames.includes(name));
    if (unknown !== undefined || formats.length === 0) {
      throw new LecternError("USAGE", `Expected \`--formats\` to list some of ${stageNames.join(", ")}, got \`${values.formats}\``);
    }
  }
  if (values.engine !== undefined && !engineNames.includes(values.engine as EngineName)) {
    throw new LecternError("USAGE", `Expected \`--engine\` to be one of ${engineNames.join(", ")}, got \`${values.engine}\``);
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate >= 0.5 && rate <= 2)) {
    throw new LecternError("USAGE", `Expected \`--rate\` to be a number between 0.5 and 2, got \`${values.rate}\``);
  }
  const readCode = values["read-code"];
  if (readCode !== undefined && !readCodeChoices.includes(readCode as ReadCode)) {
    throw new LecternError("USAGE", `Expected \`--read-code\` to be one of ${readCodeChoices.join(", ")}, got \`${readCode}\``);
  }
  const readingFont = values["reading-font"];
  if (readingFont !== undefined && readingFont !== "none" && readingFont !== "dejavu-serif") {
    throw new LecternError("USAGE", `Expected \`--reading-font\` to be none or dejavu-serif, got \`${readingFont}\``);
  }
  const paper = values.paper?.toLowerCase();
  if (paper !== undefined && paper !== "a4" && paper !== "letter") {
    throw new LecternError("USAGE", `Expected \`--paper\` to be a4 or letter, got \`${values.paper}\``);
  }
  const metadata = metadataOverrides(values);
  if (values["metadata-file"] === "") throw new LecternError("USAGE", "Expected `--metadata-file` to name a YAML file, got ``");
  const concurrency = values.concurrency === undefined ? undefined : positiveNumber("--concurrency", values.concurrency, true);
  const timeout = values["tts-timeout"] === undefined ? undefined : positiveNumber("--tts-timeout", values["tts-timeout"], false);
  return {
    command,
    input,
    outDir: values.out ?? "output",
    ...(formats ? { formats } : {}),
    ...(values.engine ? { engine: values.engine as EngineName } : {}),
    ...(values.voice ? { voice: values.voice } : {}),
    ...(rate !== undefined ? { speechRate: rate } : {}),
    ...(readCode !== undefined ? { readCode: readCode as ReadCode } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(timeout !== undefined ? { ttsTimeoutMs: timeout * 1000 } : {}),
    ...(values["no-cache"] ? { cacheDir: false as const } : values["cache-dir"] ? { cacheDir: values["cache-dir"] } : {}),
    ...(readingFont ? { epubReadingFont: readingFont } : {}),
    ...(paper ? { paperSize: paper === "a4" ? ("A4" as const) : ("Letter" as const) } : {}),
    ...(metadata ? { metadata } : {}),
    ...(values["metadata-file"] ? { metadataFile: values["metadata-file"] } : {}),
    ...(values["no-recursive"] ? { recursive: false as const } : {}),
    ...(values["no-smart"] ? { smartTypography: false as const } : {}),
    quiet: values.quiet ?? false,
    debug: values.debug ?? false,
  };
}

/**
 * The metadata flags as overrides: `--title`, `--author` (repeatable), `--lang`, `--date`,
 * `--description`, and `--metadata key=value` for any front matter key. Checked here, with the
 * same checks as front matter, so a bad `--lang` is a usage error before anything is read.
 */
function metadataOverrides(values: {
  title?: string | undefined;
  author?: string[] | undefined;
  lang?: string | undefined;
  date?: string | undefined;
  description?: string | undefined;
  metadata?: string[] | undefined;
}): MetadataOverrides | undefined {
  const given: Record<string, string> = {};
  const flagOf: Record<string, string> = {};
  const set = (field: string, value: string, flag: string) => {
    if (field in given) throw new LecternError("USAGE", `\`${flag}\` sets the ${field} that \`${flagOf[field]}\` already set`, { hint: "give each value once" });
    given[field] = value;
    flagOf[field] = flag;
  };
  if (values.title !== undefined) set("title", values.title, "--title");
  if (values.lang !== undefined) set("language", values.lang, "--lang");
  if (values.date !== undefined) set("date", values.date, "--date");
  if (values.description !== undefined) set("description", values.description, "--description");
  const authors = [...(values.author ?? [])];
  for (const pair of values.metadata ?? []) {
    const equals = pair.indexOf("=");
    const key = equals < 0 ? pair : pair.slice(0, equals);
    const field = metadataFieldOfKey(key.trim());
    if (equals < 0 || field === undefined) {
      throw new LecternError("USAGE", `Expected \`--metadata\` to be key=value with a key of ${knownMetadataKeys.join(", ")}, got \`${pair}\``, {
        hint: 'e.g. `--metadata publisher="Acme Press"`',
      });
    }
    const value = pair.slice(equals + 1);
    if (field === "author") authors.push(value);
    else set(field, value, `--metadata ${key.trim()}`);
  }
  const overrides: MetadataOverrides = { ...given, ...(authors.length ? { authors } : {}) };
  if (Object.keys(overrides).length === 0) return undefined;
  // The same checks the build runs (src/document/metadata-sources.ts): errors now, warnings at read time.
  checkOverrides(overrides, "command line", undefined, [], flagOf);
  return overrides;
}

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new LecternError("USAGE", `Expected \`${flag}\` to be a positive ${integer ? "whole " : ""}number, got \`${text}\``);
  }
  return value;
}

/**
 * Characters that are never printed as themselves: C0 controls (ESC starts every terminal
 * escape sequence, CR redraws the line), DEL, C1 controls (U+009B is a one-character CSI on
 * terminals that take 8-bit controls), the bidi embeddings, overrides and isolates that
 * reorder the rest of a line ("Trojan Source", CVE-2021-42574), and the Unicode line and
 * paragraph separators. Left alone: the bidi marks (U+200E, U+200F, U+061C), which right-to-left
 * titles use legitimately and which reorder nothing beyond their neighbours.
 */
const unprintable = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Text as it may be shown on a terminal: every unprintable character written as an escape,
 * `\x1B` below U+0100 and `\u202E` above. Chosen over caret notation (`^[`, which cannot
 * show C1 or bidi controls) and over the control pictures (U+241B, which exist only for C0
 * and look like ordinary text): the escape works for every code point, says which character
 * it was, and can be pasted into a JavaScript string or a shell `$'…'`. (A backslash is left as
 * it is, so Windows paths stay readable; a title that spells `\x1B` out looks the same as one
 * that holds ESC, and neither reaches the terminal as a control.) Every line the command
 * prints goes through this one function: titles, file names, warnings, errors, paths.
 */
export function terminalText(text: string): string {
  return text.replace(unprintable, (character) => {
    const code = character.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, "0")}` : `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
  });
}

/**
 * Standard output or standard error, written so that printing never harms the build: lines are
 * made terminal-safe, and a stream that fails (EPIPE: `lectern build … 2>&1 | head` after
 * `head` exits) is not written again. An `error` event without a listener would be an uncaught
 * exception that kills the build half-way, leaving no manifest and a stale lock.
 */
export class OutputStream {
  #open = true;

  constructor(private readonly stream: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number }) {
    stream.on("error", () => {
      this.#open = false;
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  /** False once a write has failed: nothing more is printed, the build goes on. */
  get open(): boolean {
    return this.#open;
  }

  /** Whether bytes written are still waiting to go out (a slow pipe reader). */
  get pending(): boolean {
    return this.#open && ((this.stream as { writableLength?: number }).writableLength ?? 0) > 0;
  }

  /** Prints `text` as one line: its own line breaks and controls are shown as escapes. */
  line(text: string): void {
    this.#write(`${terminalText(text)}\n`);
  }

  /** Prints each line of `text` (a stack trace) as its own terminal-safe line. */
  lines(text: string): void {
    for (const line of text.split(/\r?\n/)) this.line(line);
  }

  /** Lectern's own control sequences (the status line's redraw), never text from a document. */
  control(sequence: string, text = ""): void {
    this.#write(`${sequence}${terminalText(text)}`);
  }

  #write(bytes: string): void {
    if (!this.#open) return;
    try {
      this.stream.write(bytes, (error) => {
        if (error) this.#open = false;
      });
    } catch {
      this.#open = false;
    }
  }
}

const plainProgressIntervalMs = 3000;

/** Progress on a terminal: one status line redrawn in place; elsewhere: plain log lines. */
export class ProgressDisplay {
  private readonly live: boolean;
  private readonly state = new Map<string, string>();
  /** Problems already printed, by place and rule: the EPUB and PDF stages often meet the same one. */
  private readonly printed = new Set<string>();
  private readonly lastPlainProgress = new Map<string, number>();
  /**
   * Each document's name on progress lines, by its source path. Every event says which
   * document it is about: a folder build runs its documents on one queue, so their events
   * interleave, and "the last document announced" names the wrong one.
   */
  private readonly labels = new Map<string, string>();

  /**
   * `label` names a document on progress lines; default its slug (a folder build passes the
   * mirrored path, `guide/intro`). File names in messages are shown relative to `folder`, the
   * one the user typed the command in.
   */
  constructor(
    private readonly stream: OutputStream,
    private readonly quiet: boolean,
    private readonly label: (document: LecternDocument) => string = (document) => document.slug,
    private readonly folder: string = process.cwd(),
  ) {
    this.live = stream.isTTY && !quiet && process.env.TERM !== "dumb";
  }

  handle = (event: PipelineEvent): void => {
    switch (event.type) {
      case "document":
        this.labels.set(event.source, this.label(event.document));
        this.log(`${event.document.metadata.title}: ${count(event.document.sections.length, "section")}, ${count(event.document.words, "word")}`);
        break;
      case "stage-start":
        this.state.set(this.key(event), "running");
        this.draw();
        break;
      case "stage-progress": {
        this.state.set(this.key(event), `${event.done}/${event.total}`);
        if (this.live) {
          this.draw();
        } else if (event.done > 0 && event.done < event.total) {
          // Plain logs (CI, pipes): a line every few seconds per stage, not one per section.
          const key = this.key(event);
          const now = performance.now();
          if (now - (this.lastPlainProgress.get(key) ?? 0) >= plainProgressIntervalMs) {
            this.lastPlainProgress.set(key, now);
            this.log(`${this.prefix(event)}${event.stage}: ${event.done}/${event.total}`);
          }
        }
        break;
      }
      case "stage-end":
        this.state.set(this.key(event), event.status === "ok" ? "done" : event.status);
        this.log(
          event.status === "ok"
            ? `${this.prefix(event)}${event.stage}: ${event.fromCache ? "unchanged, copied from the cache" : "done"} in ${event.seconds.toFixed(1)} s`
            : `${this.prefix(event)}${event.stage}: ${event.status}${event.error ? `: ${event.error}` : ""}`,
          event.status !== "ok",
        );
        break;
      case "message": {
        const { message } = event;
        const key = `${message.file ?? ""}:${message.line ?? ""}:${message.rule}`;
        if (message.line !== undefined && this.printed.has(key)) break;
        this.printed.add(key);
        this.log(formatMessage(message, this.folder), message.severity !== "info");
        break;
      }
      default:
        break;
    }
  };

  private key(event: PipelineEvent & { readonly stage: string }): string {
    return `${this.labels.get(event.source) ?? ""} ${event.stage}`;
  }

  private prefix(event: PipelineEvent): string {
    const label = this.labels.get(event.source);
    return label ? `${label} ` : "";
  }

  private draw(): void {
    if (!this.live) return;
    const parts = [...this.state].filter(([, status]) => status !== "done").map(([key, status]) => `${key}: ${status}`);
    // Escaped before it is cut to the width, so a cut never leaves half an escape sequence.
    const line = terminalText(parts.join(" | ")).slice(0, (this.stream.columns ?? 100) - 1);
    this.stream.control("\r\x1b[2K", line);
  }

  log(line: string, important = false): void {
    if (this.quiet && !important) return;
    if (this.live) this.stream.control("\r\x1b[2K");
    this.stream.line(line);
    this.draw();
  }

  /** A stack trace (`--debug`), one terminal-safe line at a time. */
  trace(stack: string): void {
    if (this.live) this.stream.control("\r\x1b[2K");
    this.stream.lines(stack);
    this.draw();
  }

  finish(): void {
    if (this.live) this.stream.control("\r\x1b[2K");
  }
}

/** How long an interrupted build may take to stop before the command quits without it. */
const stopGraceMs = 5000;

/** The command's two streams, each written only through `OutputStream`. */
export interface CliStreams {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

let processStreams: CliStreams | undefined;

/** `process.stdout` and `process.stderr`, wrapped once (one `error` listener each). */
function defaultStreams(): CliStreams {
  return (processStreams ??= { stdout: new OutputStream(process.stdout), stderr: new OutputStream(process.stderr) });
}

/** Where the command's relative paths are read from, and how. */
export interface CommandFolder {
  /** The folder the user typed the command in: `INIT_CWD` under npm when it is a folder, else the working folder. */
  readonly folder: string;
  /** `path` as an absolute path, read from the folder it was written in; a blank one is left blank, for the option's check to refuse. */
  resolve(path: string): string;
}

/**
 * `npm run lectern -- build x.md` runs the command in the package's folder, not in the one the
 * user typed it in; npm passes that one as `INIT_CWD`, and a path the user typed means a file
 * there. A path written in the npm script itself (`npm start`: `build content --out output`)
 * is the script's, and means a file of the package folder npm runs the script in: a word of
 * `npm_lifecycle_script` (the script without the user's arguments) is read from there.
 * INIT_CWD is inherited by every process below npm: one started in another folder (a test, a
 * build tool, a script's `cd sub && lectern …`) is not the command npm started in the package
 * folder (`npm_package_json`'s), and its paths are its own working folder's.
 */
export function commandFolder(env: NodeJS.ProcessEnv = process.env, workingFolder: string = process.cwd()): CommandFolder {
  const initial = env.INIT_CWD;
  const isFolder = (path: string): boolean => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };
  const packageFile = env.npm_package_json;
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  const startedByNpm = !packageFile || real(dirname(packageFile)) === real(workingFolder);
  const folder = initial && startedByNpm && isFolder(initial) ? resolve(workingFolder, initial) : workingFolder;
  const scriptWords = new Set(
    (env.npm_lifecycle_script ?? "")
      .split(/\s+/)
      .map((word) => word.replace(/^--?[\w-]+=/, "").replace(/^["']|["']$/g, ""))
      .filter(Boolean),
  );
  return {
    folder,
    // `--out ""` must stay empty: resolved, it would name the current folder, which the stale-file cleanup then runs over.
    resolve: (path) => (path.trim() === "" ? path : resolve(scriptWords.has(path) ? workingFolder : folder, path)),
  };
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], streams: CliStreams = defaultStreams()): Promise<number> {
  const { stdout, stderr } = streams;
  let options: CliOptions | "help" | "version";
  let debug = argv.includes("--debug");
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    return reportFatal(error, debug, stderr);
  }
  if (options === "help") {
    stdout.lines(usage);
    return 0;
  }
  if (options === "version") {
    stdout.line(`lectern ${version}`);
    return 0;
  }
  debug = options.debug;

  const paths = commandFolder();
  const input = paths.resolve(options.input);
  if (options.command === "script") return printScript(options, input, paths.folder, streams);
  // A folder build names each document by its mirrored path (`guide/intro`): slugs repeat across sub-folders.
  const display = new ProgressDisplay(stderr, options.quiet, (document) => documentFolder(input, document.path, document.slug), paths.folder);
  // LECTERN_CACHE_DIR was typed in the same folder as the command.
  const cacheDir = options.cacheDir ?? (process.env.LECTERN_CACHE_DIR ? process.env.LECTERN_CACHE_DIR : undefined);
  const controller = new AbortController();
  let signalName: NodeJS.Signals | undefined;
  const exitCodeOf = (name: NodeJS.Signals): number => (name === "SIGINT" ? 130 : 143);
  const onSignal = (name: NodeJS.Signals) => {
    if (signalName) quitBySignal(name); // second signal: stop now
    signalName = name;
    display.log(`${name}: stopping; finished files are kept, unfinished ones are discarded (press again to quit now)`, true);
    controller.abort(new LecternError("INTERRUPTED", "interrupted"));
    // The build stops at its next check of the signal; a step that never gets there (a file
    // system call that does not return) must not keep the command alive: quit after a grace
    // period. Unreferenced, so a build that stops in time exits at once.
    setTimeout(() => {
      display.log(`${name}: the build did not stop within ${stopGraceMs / 1000} s; quitting`, true);
      quitBySignal(name);
    }, stopGraceMs).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let results: BuildResult[] = [];
  let failedDocuments = 0;
  try {
    results = await buildAll(input, {
      outDir: paths.resolve(options.outDir),
      ...(options.formats ? { formats: options.formats } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.voice ? { voice: options.voice } : {}),
      ...(options.speechRate !== undefined ? { speechRate: options.speechRate } : {}),
      ...(options.readCode !== undefined ? { readCode: options.readCode } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.ttsTimeoutMs ? { ttsTimeoutMs: options.ttsTimeoutMs } : {}),
      ...(cacheDir !== undefined ? { cacheDir: cacheDir === false ? false : paths.resolve(cacheDir) } : {}),
      ...(options.epubReadingFont ? { epubReadingFont: options.epubReadingFont } : {}),
      ...(options.paperSize ? { paperSize: options.paperSize } : {}),
      ...(options.metadata ? { metadata: options.metadata, metadataOrigin: "command line" as const } : {}),
      ...(options.metadataFile ? { metadataFile: paths.resolve(options.metadataFile) } : {}),
      ...(options.recursive === false ? { recursive: false } : {}),
      ...(options.smartTypography === false ? { smartTypography: false } : {}),
      signal: controller.signal,
      onEvent: display.handle,
      onDocumentError: (_file, error) => {
        failedDocuments++;
        display.log(`error: ${error instanceof LecternError ? error.format(paths.folder) : String(error)}`, true);
        if (debug && error instanceof Error) display.trace(error.stack ?? "");
      },
    });
  } catch (error) {
    display.finish();
    return reportFatal(error, debug, stderr, signalName, paths.folder);
  } finally {
    // A signal from here on still stops the command, as it would any program (exit by signal).
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  display.finish();

  for (const result of results) {
    const written = Object.entries(result.stages)
      .filter(([, report]) => report?.status === "ok")
      .map(([name]) => name);
    display.log(`${relative(paths.folder, result.outDir) || "."}: ${written.length ? written.join(", ") : "nothing"} written; manifest.json`);
  }
  if (signalName) return exitCodeOf(signalName);
  const failedStages = results.flatMap((result) =>
    Object.entries(result.stages)
      .filter(([, report]) => report?.status === "failed")
      .map(([name, report]) => `${result.document.slug}: ${name} stage failed: ${report?.error ?? "unknown error"}`),
  );
  for (const line of failedStages) stderr.line(`error: ${line}`);
  return failedStages.length || failedDocuments ? 1 : 0;
}

/**
 * `lectern script`: the document read as the build reads it, then each section's utterances
 * as the audio stage would hand them to the engine, one per line. Warnings go to stderr.
 */
async function printScript(options: CliOptions, input: string, folder: string, { stdout, stderr }: CliStreams): Promise<number> {
  try {
    const { document, messages } = await readDocument(input, {
      ...(options.metadata ? { metadata: options.metadata, metadataOrigin: "command line" as const } : {}),
      ...(options.metadataFile ? { metadataFile: resolve(folder, options.metadataFile) } : {}),
    });
    for (const message of messages) if (message.severity !== "info") stderr.line(formatMessage(message, folder));
    const printed = new Set<string>();
    const { engine, sections } = await audioScript(
      document,
      {
        engine: options.engine ?? "espeak",
        concurrency: 1,
        ttsTimeoutMs: options.ttsTimeoutMs ?? 30_000,
        ...(options.voice ? { voice: options.voice } : {}),
        ...(options.speechRate !== undefined ? { speechRate: options.speechRate } : {}),
        ...(options.readCode ? { readCode: options.readCode } : {}),
      },
      (message) => {
        const line = formatMessage({ ...message, source: "audio" }, folder);
        if (!printed.has(line)) stderr.line(line);
        printed.add(line);
      },
    );
    const language = document.metadata.language;
    stdout.line(`# ${document.metadata.title}: the text ${engine.engine} (voice ${engine.voice}) is given, in ${language}; [tag] marks a change of language`);
    for (const { section, utterances } of sections) {
      stdout.line("");
      stdout.line(`## ${trackFileBase(section, document.sections.length)}: ${section.title}`);
      for (const utterance of utterances) stdout.line(markedUtteranceText(utterance, language));
    }
    return 0;
  } catch (error) {
    return reportFatal(error, options.debug, stderr, undefined, folder);
  }
}

/** `folder`: where the user typed the command; file names are shown relative to it. */
function reportFatal(error: unknown, debug: boolean, stderr: OutputStream, signalName?: NodeJS.Signals, folder: string = process.cwd()): number {
  if (error instanceof LecternError) {
    stderr.line(`error: ${error.format(folder)}`);
    if (debug && error.stack) stderr.lines(error.stack);
    // Interrupted (whatever the build failed with on its way out): the exit code says by
    // which signal, 130 Ctrl-C or 143 SIGTERM, as a shell reports a program a signal stopped.
    if (signalName) return signalName === "SIGINT" ? 130 : 143;
    return error.exitCode;
  }
  // Not a user error: a bug or an environment fault. Still one line unless --debug.
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  stderr.line(`error: ${message} (run with --debug for details)`);
  if (debug && error instanceof Error && error.stack) stderr.lines(error.stack);
  return 70;
}

/**
 * Whether this module is the program Node was started with (`node dist/cli.js`, `tsx
 * src/cli.ts`, npm's `lectern` link), not a module imported by a test or a library user.
 * Compared as real file-system paths: a file URL escapes `#`, `?`, `%`, spaces and non-ASCII,
 * so reading `argv[1]` as a URL cut an install path such as `/opt/c#/lectern` short and the
 * command did nothing; and npm's bin link is a symbolic link to this file.
 */
export function isMainModule(moduleUrl: string, script: string | undefined): boolean {
  if (!script) return false;
  const realPath = (path: string): string | undefined => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  const self = realPath(fileURLToPath(moduleUrl));
  const invoked = realPath(resolve(script)) ?? realPath(`${resolve(script)}.js`) ?? realPath(`${resolve(script)}.ts`);
  return self !== undefined && self === invoked;
}

/** Once the command is done and has nothing left to print, how long it may take Node to exit by itself. */
const exitBackstopMs = 2000;

/**
 * Ends the command with `code`. Node exits by itself once nothing is pending; a file-system
 * call stuck in a libuv thread (Node's recursive mkdir on `/proc/self/x` never returns) would
 * keep it alive for ever after the build is finished. The backstop timer is unreferenced, so
 * it only fires when something else holds the process, and it waits for unprinted output.
 */
function finish(code: number, streams: CliStreams): void {
  process.exitCode = code;
  const exitWhenPrinted = (): void => {
    if (streams.stdout.pending || streams.stderr.pending) setTimeout(exitWhenPrinted, 200).unref();
    else process.exit(code);
  };
  setTimeout(exitWhenPrinted, exitBackstopMs).unref();
}

if (isMainModule(import.meta.url, process.argv[1])) {
  const streams = defaultStreams();
  main(process.argv.slice(2), streams).then(
    (code) => finish(code, streams),
    (error: unknown) => finish(reportFatal(error, process.argv.includes("--debug"), streams.stderr), streams),
  );
}

/** `1 section`, `12 sections`: English, as every line the command prints. */
function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? "" : "s"}`;
}

/**
 * Ends the process as the signal's default action would (exit status 128 + its number: 130,
 * 143). Not `process.exit`: on the way out Node joins libuv's file-system threads, so a thread
 * stuck in a call that never returns (opening a FIFO with no writer, a hung network mount)
 * keeps the process alive for ever. The kernel's default action for the re-raised signal
 * does not wait for anything.
 */
function quitBySignal(name: NodeJS.Signals): void {
  process.removeAllListeners(name);
  // Where the signal cannot be re-raised (Windows), exit as well as Node can.
  setTimeout(() => process.exit(name === "SIGINT" ? 130 : 143), 1000).unref();
  process.kill(process.pid, name);
}
