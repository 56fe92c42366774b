// Static-site template syntax in Markdown: Hugo shortcodes and Jekyll Liquid, which only the site generator understands.
//
// A page written for Hugo (`{{< figure src="a.png" >}}`, `{{% notice %}}`) or Jekyll
// (`{% include note.html %}`, `{{ "/about" | relative_url }}`) carries template calls that
// a book or a listener should never meet: printed as they are, they read as noise. They are
// taken out of the source before it is parsed (outside code spans, code blocks and front
// matter, which show them as written), keeping every line break so that source lines in
// later messages stay right, and reported once. What has a plain Markdown meaning keeps it:
// a Hugo `figure` becomes an image (the stages package it like any other), the body between
// `{% raw %}` and `{% endraw %}` stays as written, Hugo's escaped form `{{</* x */>}}` is the
// literal text `{{< x >}}`, a `{% comment %}` goes with what it holds, and `highlight`
// (`{% highlight ruby %}`, `{{< highlight go >}}`) on lines of its own is a fenced code block.

/** One template call taken out of the source. */
export interface SiteSyntaxUse {
  readonly kind: "Hugo shortcode" | "Liquid tag" | "Liquid expression";
  /** The shortcode or tag name (`figure`, `include`), or the output expression (`site.baseurl`). */
  readonly name: string;
  /** 1-based line and column in the source. */
  readonly line: number;
  readonly column: number;
}

export interface SiteSyntaxResult {
  /** The source with the template calls removed or replaced; the same number of lines. */
  readonly source: string;
  /** What was removed, in source order (figures and highlights that became Markdown are not counted). */
  readonly removed: readonly SiteSyntaxUse[];
}

/** A half-open range of source offsets that shows text as written (code, front matter). */
export interface ProtectedRange {
  readonly start: number;
  readonly end: number;
}

/** Longest template call recognised: a real one is a line or a few; past this an opener is just text. */
const maxCallLength = 4000;

/** True when the source may hold template syntax: the cheap check before any work. */
export function mayHoldSiteSyntax(source: string): boolean {
  return source.includes("{{") || source.includes("{%");
}

/**
 * Removes Hugo shortcodes (`{{< … >}}`, `{{% … %}}`) and Liquid tags and output (`{% … %}`,
 * `{{ … }}`) outside `protectedRanges` (sorted by start).
 */
export function removeSiteSyntax(source: string, protectedRanges: readonly ProtectedRange[]): SiteSyntaxResult {
  const removed: SiteSyntaxUse[] = [];
  const out: string[] = [];
  const closers = new NextIndex(source);
  const closings = new ClosingTags(source);
  let copiedTo = 0;
  let rangeIndex = 0;
  let position = 0;
  const lineStarts = lineStartOffsets(source);

  const place = (offset: number): { line: number; column: number } => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
  const overlapsProtected = (start: number, end: number): boolean => {
    for (let index = rangeIndex; index < protectedRanges.length && protectedRanges[index]!.start < end; index++) {
      if (protectedRanges[index]!.end > start) return true;
    }
    return false;
  };
  /** Replaces source[start, end) by `replacement` (or by its own line breaks), consuming the spaces after a call that opens its line. */
  const replace = (start: number, end: number, replacement?: string): number => {
    out.push(source.slice(copiedTo, start));
    let stop = end;
    if (replacement === undefined) {
      out.push(source.slice(start, end).replace(/[^\n]/g, ""));
      // A call alone at the start of a line leaves no indentation behind (four spaces would make code).
      const lineStart = source.lastIndexOf("\n", start - 1) + 1;
      if (/^[ \t]*$/.test(source.slice(lineStart, start))) while (source[stop] === " " || source[stop] === "\t") stop++;
    } else {
      out.push(replacement);
    }
    copiedTo = stop;
    return stop;
  };
  const record = (kind: SiteSyntaxUse["kind"], name: string, offset: number): void => {
    removed.push({ kind, name, ...place(offset) });
  };

  while (position < source.length) {
    const next = nextOpener(position, closers);
    if (next === -1) break;
    while (rangeIndex < protectedRanges.length && protectedRanges[rangeIndex]!.end <= next) rangeIndex++;
    const range = protectedRanges[rangeIndex];
    if (range && range.start <= next) {
      position = range.end;
      continue;
    }
    const call = matchCall(source, next, closers);
    if (!call || overlapsProtected(next, call.end) || /\n[ \t]*\n/.test(source.slice(next, call.end))) {
      position = next + 1;
      continue;
    }
    if (call.kind === "escaped shortcode") {
      // Hugo's way to show a shortcode as text: `{{</* figure */>}}` is written `{{< figure >}}`.
      position = replace(next, call.end, `{{${call.delimiter} ${call.inner.trim()} ${call.delimiter === "<" ? ">" : "%"}}}`);
      continue;
    }
    const name = callName(call.inner, call.kind);
    const paired = pairedBody(call, name);
    if (paired) {
      const closing = closings.find(paired.closer, call.end);
      // The body may hold code spans (it is not read as template text); the closing tag may not.
      if (closing && !overlapsProtected(closing.start, closing.end)) {
        if (paired.body === "code" && aloneOnLine(source, next, call.end) && aloneOnLine(source, closing.start, closing.end)) {
          // Jekyll's `{% highlight ruby %}` and Hugo's `{{< highlight go >}}` are code blocks: a
          // fence long enough for the code's own backticks, and the code itself as written.
          const body = source.slice(call.end, closing.start);
          const fence = "`".repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((run) => run[0].length + 1)));
          const language = /^\s*\/?\s*highlight\s+([\w+#.-]+)/.exec(call.inner)?.[1] ?? "";
          replace(next, call.end, `${fence}${language}`);
          position = replace(closing.start, closing.end, fence);
          continue;
        }
        record(call.kind, name, next);
        if (paired.body === "dropped") {
          position = replace(next, closing.end);
        } else {
          // The body is shown as written: nothing in it is a template call.
          replace(next, call.end);
          position = replace(closing.start, closing.end);
        }
        continue;
      }
    }
    if (call.kind === "Hugo shortcode" && name === "figure" && !call.inner.trim().startsWith("/")) {
      const image = figureImage(call.inner);
      if (image !== undefined) {
        position = replace(next, call.end, image);
        continue;
      }
    }
    if (call.kind === "Liquid expression") {
      // MDN's reference macros name an element, property or term the sentence is about: its
      // name is kept where the macro was, or the sentence loses a word ("the  element").
      const reference = kumaScriptReference(call.inner);
      if (reference !== undefined) {
        // Like a figure that became an image, it is kept, not removed: not counted.
        position = replace(next, call.end, reference);
        continue;
      }
    }
    record(call.kind, name, next);
    position = replace(next, call.end);
  }
  out.push(source.slice(copiedTo));
  return { source: out.join(""), removed };
}

/** MDN (KumaScript) macros that link to a reference page, and how their subject is written. */
const kumaScriptReferences: Readonly<Record<string, (name: string) => string>> = {
  htmlelement: (name) => `\`<${name}>\``,
  svgelement: (name) => `\`<${name}>\``,
  mathmlelement: (name) => `\`<${name}>\``,
  cssxref: (name) => `\`${name}\``,
  domxref: (name) => `\`${name}\``,
  jsxref: (name) => `\`${name}\``,
  httpheader: (name) => `\`${name}\``,
  httpmethod: (name) => `\`${name}\``,
  httpstatus: (name) => `\`${name}\``,
  svgattr: (name) => `\`${name}\``,
  htmlattrxref: (name) => `\`${name}\``,
  glossary: (name) => name,
};

/**
 * The text an MDN reference macro stands for — `{{HTMLElement("table")}}` is `<table>` as code,
 * `{{cssxref("text-align")}}` is `text-align`, `{{Glossary("CSS", "feuilles de style")}}` its
 * shown text (the second argument when there is one) — or undefined for any other expression.
 */
function kumaScriptReference(inner: string): string | undefined {
  const call = /^\s*([A-Za-z_]\w*)\s*\(\s*(["'])((?:(?!\2)[^\\`\n])*)\2\s*(?:,\s*(["'])((?:(?!\4)[^\\`\n])*)\4\s*)?(?:,[^)]*)?\)\s*$/.exec(inner);
  if (!call) return undefined;
  const write = kumaScriptReferences[call[1]!.toLowerCase()];
  if (write === undefined || call[3]!.trim() === "") return undefined;
  const shown = call[5]?.trim();
  return shown ? (call[1]!.toLowerCase() === "glossary" ? shown : `\`${shown}\``) : write(call[3]!.trim());
}

/**
 * Calls whose body is not template text: `{% raw %}` (kept as written), `{% comment %}`
 * (dropped with its body) and `highlight` in Liquid or Hugo (code). Undefined for the rest.
 */
function pairedBody(call: Call, name: string): { closer: RegExp; body: "as written" | "dropped" | "code" } | undefined {
  if (call.inner.trim().startsWith("/")) return undefined;
  if (call.kind === "Liquid tag" && (name === "raw" || name === "comment" || name === "highlight")) {
    return { closer: new RegExp(`\\{%-?\\s*end${name}\\s*-?%\\}`, "g"), body: name === "raw" ? "as written" : name === "comment" ? "dropped" : "code" };
  }
  if (call.kind === "Hugo shortcode" && name === "highlight") {
    const delimiter = call.delimiter === "%" ? "%" : "<";
    const close = delimiter === "%" ? "%" : ">";
    return { closer: new RegExp(`\\{\\{${delimiter}\\s*/\\s*highlight\\s*${close}\\}\\}`, "g"), body: "code" };
  }
  return undefined;
}

/** True when source[start, end) has only spaces or tabs around it on its line. */
function aloneOnLine(source: string, start: number, end: number): boolean {
  const lineStart = source.lastIndexOf("\n", start - 1) + 1;
  const lineEnd = source.indexOf("\n", end);
  return /^[ \t]*$/.test(source.slice(lineStart, start)) && /^[ \t]*$/.test(source.slice(end, lineEnd === -1 ? source.length : lineEnd));
}

/**
 * The next closing tag of each kind, remembered like `NextIndex`, so a document of many
 * unclosed `{% raw %}` tags is still read in one pass.
 */
class ClosingTags {
  readonly #source: string;
  readonly #found = new Map<string, { start: number; end: number } | null>();

  constructor(source: string) {
    this.#source = source;
  }

  find(pattern: RegExp, from: number): { start: number; end: number } | undefined {
    const known = this.#found.get(pattern.source);
    if (known === null) return undefined;
    if (known !== undefined && known.start >= from) return known;
    pattern.lastIndex = from;
    const match = pattern.exec(this.#source);
    const found = match ? { start: match.index, end: match.index + match[0].length } : null;
    this.#found.set(pattern.source, found);
    return found ?? undefined;
  }
}

/** One line naming what was removed: `3 Hugo shortcodes (figure, notice) and 1 Liquid tag (include)`. */
export function describeSiteSyntax(removed: readonly SiteSyntaxUse[]): string {
  const kinds = new Map<SiteSyntaxUse["kind"], string[]>();
  for (const use of removed) {
    const names = kinds.get(use.kind) ?? [];
    if (!names.includes(use.name)) names.push(use.name);
    kinds.set(use.kind, names);
  }
  const parts = [...kinds].map(([kind, names]) => {
    const count = removed.filter((use) => use.kind === kind).length;
    const shown =
      names
        .slice(0, 6)
        .map((name) => `\`${name}\``)
        .join(", ") + (names.length > 6 ? `, and ${names.length - 6} more` : "");
    return `${count} ${kind}${count === 1 ? "" : "s"} (${shown})`;
  });
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

interface Call {
  readonly kind: SiteSyntaxUse["kind"] | "escaped shortcode";
  /** What sits between the delimiters. */
  readonly inner: string;
  /** `<` or `%` for Hugo shortcodes. */
  readonly delimiter?: "<" | "%";
  /** Offset just past the call. */
  readonly end: number;
}

function nextOpener(from: number, openers: NextIndex): number {
  const braces = openers.after("{{", from);
  const tag = openers.after("{%", from);
  if (braces === -1) return tag;
  if (tag === -1) return braces;
  return Math.min(braces, tag);
}

/** The template call that opens at `start`, bounded by its closer's next occurrence. */
function matchCall(source: string, start: number, closers: NextIndex): Call | undefined {
  const within = (closer: string, from: number): number | undefined => {
    const at = closers.after(closer, from);
    return at === -1 || at + closer.length - start > maxCallLength ? undefined : at;
  };
  if (source.startsWith("{%", start)) {
    const at = within("%}", start + 2);
    if (at === undefined) return undefined;
    return { kind: "Liquid tag", inner: source.slice(start + 2, at).replace(/^-|-$/g, ""), end: at + 2 };
  }
  const delimiter = source[start + 2];
  if (delimiter === "<" || delimiter === "%") {
    const closer = delimiter === "<" ? ">}}" : "%}}";
    const at = within(closer, start + 3);
    if (at === undefined) return undefined;
    const inner = source.slice(start + 3, at);
    const escaped = /^\s*\/\*([\s\S]*)\*\/\s*$/.exec(inner);
    if (escaped) return { kind: "escaped shortcode", inner: escaped[1]!, delimiter, end: at + 3 };
    return { kind: "Hugo shortcode", inner, delimiter, end: at + 3 };
  }
  const at = within("}}", start + 2);
  if (at === undefined) return undefined;
  const inner = source.slice(start + 2, at).replace(/^-|-$/g, "");
  if (inner.trim() === "") return undefined;
  return { kind: "Liquid expression", inner, end: at + 2 };
}

/** `figure` for `{{< figure src="a" >}}`, `notice` for `{{% /notice %}}`, `site.baseurl` for `{{ site.baseurl }}`. */
function callName(inner: string, kind: Call["kind"]): string {
  const text = inner.trim().replace(/^\//, "").trim();
  if (kind === "Liquid expression") {
    const expression = text.replace(/\s+/g, " ");
    return expression.length > 40 ? `${expression.slice(0, 39)}…` : expression;
  }
  return /^[\w.-]+/u.exec(text)?.[0] ?? (text.slice(0, 20) || "(empty)");
}

/**
 * A Hugo `figure` as a Markdown image. The reader does not look at the disk: the stages treat
 * it as any image — packaged when the file is inside the document's folder, else its
 * description shown with their warning (`image-missing`, `image-outside-folder`,
 * `image-remote-dropped`) — and the EPUB/PDF cache keys stay true to what was read. A
 * site-root path (`/images/a.png`, Hugo's `static/`) is looked for from the document's
 * folder. `alt` describes the image; `caption` (or `title`) becomes the figure's caption when
 * there is an `alt`, else the description, so nothing is read twice. Undefined without a
 * usable `src`.
 */
function figureImage(inner: string): string | undefined {
  const attributes = new Map<string, string>();
  for (const match of inner.matchAll(/([A-Za-z][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attributes.set(match[1]!.toLowerCase(), (match[2] ?? match[3] ?? match[4] ?? "").replace(/\s+/g, " ").trim());
  }
  const src = attributes.get("src");
  if (!src || /[<>\\\n]/.test(src)) return undefined;
  const url = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(src) ? src : src.replace(/^\/+/, "");
  if (url === "") return undefined;
  const alt = attributes.get("alt");
  const caption = attributes.get("caption") || attributes.get("title");
  const description = alt ?? caption ?? "";
  const title = alt !== undefined && caption ? ` "${caption.replace(/["\\]/g, "\\$&")}"` : "";
  return `![${escapeMarkdown(description)}](<${url}>${title})`;
}

/** Backslash before every ASCII punctuation character: the text reads as written, never as markup (CommonMark §2.4). */
function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

function lineStartOffsets(source: string): number[] {
  const starts = [0];
  for (let index = source.indexOf("\n"); index !== -1; index = source.indexOf("\n", index + 1)) starts.push(index + 1);
  return starts;
}

/** `indexOf` with memory, so scanning many openers (and their closers) stays linear. */
class NextIndex {
  readonly #source: string;
  readonly #found = new Map<string, number>();

  constructor(source: string) {
    this.#source = source;
  }

  /** The first index ≥ `from` where `needle` occurs, or -1. */
  after(needle: string, from: number): number {
    const known = this.#found.get(needle);
    if (known !== undefined && (known === -1 || known >= from)) {
      // -1 stays -1 only when it was searched from no later than `from`; searches only move forward.
      return known;
    }
    const at = this.#source.indexOf(needle, from);
    this.#found.set(needle, at);
    return at;
  }
}
