// Messages and errors: how every part of Lectern reports problems.
//
// Recoverable problems are `Message`s, collected with their place and rule and printed by the
// CLI and recorded in the manifest; the run goes on. Fatal problems are a `LecternError`
// with a code, a one-line message (and hint) and an exit code; only they stop a run.

export type Severity = "info" | "warning" | "error";

export interface Message {
  readonly severity: Severity;
  /** Stable identifier of the rule, e.g. `image-remote-dropped`, `heading-level-skipped`. */
  readonly rule: string;
  /** One sentence for a person. */
  readonly reason: string;
  /** Which part of Lectern said it: `read`, `epub`, `pdf`, `audio`, `pipeline`. */
  readonly source: string;
  /** The file the message is about (usually the source document). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** `file:line:column: warning: reason [rule]`, the compiler-style line editors link to. */
export function formatMessage(message: Message, cwd = process.cwd()): string {
  let place = "";
  if (message.file) {
    place = relativeToCwd(message.file, cwd);
    if (message.line) place += `:${message.line}`;
    if (message.line && message.column) place += `:${message.column}`;
    place += ": ";
  }
  return `${place}${message.severity}: ${message.reason} [${message.source}/${message.rule}]`;
}

function relativeToCwd(file: string, cwd: string): string {
  return file.startsWith(cwd + "/") ? file.slice(cwd.length + 1) : file;
}

/** The closed set of fatal error kinds, each with its exit code. */
export const errorCodes = {
  /** Command-line usage is wrong (unknown flag, bad value). */
  USAGE: 2,
  /** The input cannot be read or is not a document Lectern accepts. */
  INPUT: 65,
  /** Front matter or options hold a value of the wrong kind. */
  CONFIG: 78,
  /** An output could not be written (permissions, disk full). */
  OUTPUT: 73,
  /** One or more stages failed; the others' outputs were written. */
  STAGE: 1,
  /** Interrupted by SIGINT (130) or SIGTERM (143). */
  INTERRUPTED: 130,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** A fatal, user-facing error: printed as one line, never with a stack trace unless --debug. */
export class LecternError extends Error {
  override readonly name = "LecternError";
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, details: { file?: string; line?: number; hint?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.hint !== undefined) this.hint = details.hint;
  }

  get exitCode(): number {
    return errorCodes[this.code];
  }

  /** `file:line: message (hint)`. */
  format(cwd = process.cwd()): string {
    let place = "";
    if (this.file) {
      place = this.file.startsWith(cwd + "/") ? this.file.slice(cwd.length + 1) : this.file;
      if (this.line) place += `:${this.line}`;
      place += ": ";
    }
    return `${place}${this.message}${this.hint ? ` (${this.hint})` : ""}`;
  }
}
