// Inline content → styled text runs: one handler per mdast phrasing node type, plus a fallback.
//
// A run carries the text, its marks (bold, italic, code, superscript) and the inline
// structure element it belongs to (Link, Span with a language, Code, Reference), so the line
// breaker can measure it and the composer can tag it.
import type { Html, Link, Nodes, PhrasingContent } from "mdast";
import { toString } from "mdast-util-to-string";
import type { LanguageSpan } from "../../document/language-spans.js";
import { classifyLink, unsafeLinkReason } from "../shared/link-safety.js";

export interface InlineMarks {
  readonly bold: boolean;
  readonly italic: boolean;
  readonly code: boolean;
  readonly superscript: boolean;
  /** GFM strikethrough (`~~old~~`): drawn with a line through it (an Artifact); the text is still read. */
  readonly strike?: boolean;
}

/** The inline structure element a run belongs to; runs sharing `id` share one element. */
export type InlineContainer =
  | {
      readonly kind: "link";
      readonly id: number;
      readonly url: string;
      readonly description: string;
      /** A named destination inside the PDF (a heading) for a `#fragment` link; the link is a GoTo. */
      readonly destination?: string;
    }
  | { readonly kind: "span"; readonly id: number; readonly lang: string }
  | { readonly kind: "code"; readonly id: number }
  | { readonly kind: "reference"; readonly id: number; readonly note: number };

export type InlineRun = { readonly kind: "text"; readonly text: string; readonly marks: InlineMarks; readonly container?: InlineContainer } | { readonly kind: "break" };

/** What the inline handlers need from the writer. */
export interface InlineContext {
  /** Reports a change made to the content (a dropped link or tag). */
  warn(rule: string, reason: string, node: Nodes): void;
  /** The note number of a footnote identifier, numbering notes in order of first reference. */
  noteNumber(identifier: string): number;
  /** A fresh id for an inline structure element. */
  nextId(): number;
  /**
   * The named destination of the heading a `#fragment` link points at (a GitHub-style heading
   * slug or a section slug, as in the EPUB), or undefined when no heading has it. Without this,
   * fragment links are dropped as `link-relative-dropped`.
   */
  headingDestination?(fragment: string): string | undefined;
}

interface InlineState {
  readonly marks: InlineMarks;
  readonly link?: InlineContainer & { kind: "link" };
  readonly code?: InlineContainer;
  readonly reference?: InlineContainer;
  /** The language span (src/document/language-spans.ts) the text is in, innermost; none outside one. */
  readonly span?: InlineContainer & { kind: "span" };
  /**
   * Inline HTML elements open at this point, innermost last. Shared by the whole paragraph:
   * remark gives an opening and its closing tag as separate sibling nodes.
   */
  readonly html: OpenHtmlElement[];
}

/** An inline HTML element between its opening and closing tags. */
interface OpenHtmlElement {
  readonly tag: string;
  /** What the element means typographically (`<em>` → italic). */
  readonly marks: Partial<InlineMarks>;
  /** An element whose content is never rendered (`<script>`, `<style>`…): its text is not drawn. */
  readonly hidden?: boolean;
}

/**
 * Raw HTML elements whose content a browser never renders as text: their text is dropped
 * with them, never drawn or read. The same list as the EPUB sanitizer's `strip`
 * (src/stages/epub/sanitize-schema.ts; a test keeps the two equal).
 */
export const unrenderedElements: ReadonlySet<string> = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "embed",
  "textarea",
  "select",
  "title",
  "svg",
  "math",
]);

type InlineHandler = (node: never, state: InlineState, context: InlineContext, out: InlineRun[]) => void;

const plainMarks: InlineMarks = { bold: false, italic: false, code: false, superscript: false };

/** Flattens phrasing content into runs, in reading order. */
export function inlineRuns(nodes: readonly PhrasingContent[], context: InlineContext, marks: Partial<InlineMarks> = {}): InlineRun[] {
  const out: InlineRun[] = [];
  const state: InlineState = { marks: { ...plainMarks, ...marks }, html: [] };
  for (const node of nodes) handleInline(node, state, context, out);
  return out;
}

function handleInline(node: PhrasingContent, state: InlineState, context: InlineContext, out: InlineRun[]): void {
  const handler = (inlineHandlers as Record<string, InlineHandler | undefined>)[node.type] ?? unknownInline;
  handler(node as never, state, context, out);
}

function children(nodes: readonly PhrasingContent[], state: InlineState, context: InlineContext, out: InlineRun[]): void {
  for (const child of nodes) handleInline(child, state, context, out);
}

function pushText(text: string, state: InlineState, out: InlineRun[]): void {
  if (text === "") return;
  if (state.html.some((element) => element.hidden === true)) return;
  // Precedence of inline elements: a link is the element a reader acts on, so it holds
  // whatever is inside it; a note reference or code inside a language span stay distinct.
  const container = state.link ?? state.reference ?? state.code ?? state.span;
  const marks = state.html.length === 0 ? state.marks : (Object.assign({}, state.marks, ...state.html.map((element) => element.marks)) as InlineMarks);
  out.push(container === undefined ? { kind: "text", text, marks } : { kind: "text", text, marks, container });
}

const inlineHandlers = {
  text(node: { value: string }, state: InlineState, _context: InlineContext, out: InlineRun[]) {
    pushText(node.value, state, out);
  },
  emphasis(node: { children: PhrasingContent[] }, state: InlineState, context: InlineContext, out: InlineRun[]) {
    children(node.children, { ...state, marks: { ...state.marks, italic: true } }, context, out);
  },
  strong(node: { children: PhrasingContent[] }, state: InlineState, context: InlineContext, out: InlineRun[]) {
    children(node.children, { ...state, marks: { ...state.marks, bold: true } }, context, out);
  },
  delete(node: { children: PhrasingContent[] }, state: InlineState, context: InlineContext, out: InlineRun[]) {
    // Struck-out text keeps its meaning on the page ("~~$40~~ $30" is not "$40 $30").
    children(node.children, { ...state, marks: { ...state.marks, strike: true } }, context, out);
  },
  inlineCode(node: { value: string }, state: InlineState, context: InlineContext, out: InlineRun[]) {
    const code = state.code ?? { kind: "code" as const, id: context.nextId() };
    pushText(node.value, { ...state, code, marks: { ...state.marks, code: true } }, out);
  },
  break(_node: unknown, _state: InlineState, _context: InlineContext, out: InlineRun[]) {
    out.push({ kind: "break" });
  },
  link(node: Link, state: InlineState, context: InlineContext, out: InlineRun[]) {
    const url = node.url.trim();
    // The same schemes as the EPUB (src/stages/shared/link-safety.ts); a link inside a link
    // (from raw HTML) keeps the outer one.
    const target = classifyLink(url);
    if (state.link === undefined && target.kind === "fragment" && context.headingDestination !== undefined) {
      let fragment = target.fragment;
      try {
        fragment = decodeURIComponent(fragment);
      } catch {
        // A malformed escape: look the fragment up as written.
      }
      const destination = context.headingDestination(fragment);
      if (destination === undefined) {
        context.warn("link-target-missing", `link to \`${url.slice(0, 40)}\` points at no heading in the document; its text is kept without the link`, node);
        children(node.children, state, context, out);
        return;
      }
      const link = { kind: "link" as const, id: context.nextId(), url, description: toString(node).trim() || url, destination };
      children(node.children, { ...state, link }, context, out);
      return;
    }
    if (state.link !== undefined || target.kind !== "followable") {
      if (state.link === undefined) {
        context.warn(
          target.kind === "unsafe" ? "link-unsafe-dropped" : "link-relative-dropped",
          target.kind === "unsafe" ? unsafeLinkReason(url) : `link to \`${url.slice(0, 40)}\` has no target inside the PDF; its text is kept without the link`,
          node,
        );
      }
      children(node.children, state, context, out);
      return;
    }
    const description = toString(node).trim() || url;
    const link = { kind: "link" as const, id: context.nextId(), url, description };
    children(node.children, { ...state, link }, context, out);
  },
  linkReference(node: { children: PhrasingContent[] }, state: InlineState, context: InlineContext, out: InlineRun[]) {
    children(node.children, state, context, out);
  },
  image(node: { alt?: string | null }, state: InlineState, _context: InlineContext, out: InlineRun[]) {
    // Images inside running text are lifted out as figures by the paragraph handler; one that
    // reaches here (inside a link) is read by its description.
    pushText(node.alt ?? "", state, out);
  },
  imageReference(node: { alt?: string | null }, state: InlineState, _context: InlineContext, out: InlineRun[]) {
    pushText(node.alt ?? "", state, out);
  },
  footnoteReference(node: { identifier: string }, state: InlineState, context: InlineContext, out: InlineRun[]) {
    const note = context.noteNumber(node.identifier);
    const reference = { kind: "reference" as const, id: context.nextId(), note };
    pushText(String(note), { ...state, reference, marks: { ...state.marks, superscript: true } }, out);
  },
  html(node: Html, state: InlineState, context: InlineContext, out: InlineRun[]) {
    inlineHtml(node, state, context, out);
  },
  // A passage in another language: a Span with /Lang (PDF/UA-1 §7.2: changes of natural
  // language are declared); `<i lang>` and `<em lang>` keep their italics.
  languageSpan(node: LanguageSpan, state: InlineState, context: InlineContext, out: InlineRun[]) {
    const { lang, hName } = node.data;
    const span = lang === undefined ? state.span : { kind: "span" as const, id: context.nextId(), lang };
    const marks = { ...state.marks, ...htmlMarks[hName] };
    children(node.children, { ...state, marks, ...(span === undefined ? {} : { span }) }, context, out);
  },
};

/** Inline HTML elements whose meaning survives as a mark; every other tag's text is kept plain. */
const htmlMarks: Readonly<Record<string, Partial<InlineMarks>>> = {
  em: { italic: true },
  i: { italic: true },
  cite: { italic: true },
  strong: { bold: true },
  b: { bold: true },
  sup: { superscript: true },
  code: { code: true },
  kbd: { code: true },
  del: { strike: true },
  s: { strike: true },
  span: {},
};

const openingTag = /^<([A-Za-z][A-Za-z0-9-]*)\b([^>]*?)(\/?)>$/;
const closingTag = /^<\/([A-Za-z][A-Za-z0-9-]*)\s*>$/;

/**
 * Inline HTML is never drawn as markup (an element with `lang` or `dir` arrives as a
 * `languageSpan` node instead); `<em>`, `<strong>`, `<sup>`,
 * `<code>`, `<del>` keep their meaning as marks, `<br>` breaks the line; other tags are dropped with a
 * warning and their text kept.
 */
function inlineHtml(node: Html, state: InlineState, context: InlineContext, out: InlineRun[]): void {
  const value = node.value.trim();
  if (/^<!--/.test(value)) return;
  const closing = closingTag.exec(value);
  if (closing) {
    const tag = closing[1]!.toLowerCase();
    const index = state.html.findLastIndex((element) => element.tag === tag);
    if (index >= 0) state.html.splice(index);
    return;
  }
  const opening = openingTag.exec(value);
  const tag = opening?.[1]?.toLowerCase();
  if (opening === null || tag === undefined) {
    context.warn("html-dropped", "inline HTML markup is not drawn; the text around it is kept", node);
    return;
  }
  if (tag === "br") {
    out.push({ kind: "break" });
    return;
  }
  if (unrenderedElements.has(tag)) {
    context.warn("html-dropped", `inline HTML \`<${tag}>\` is not drawn, nor the text inside it`, node);
    if (opening[3] !== "/") state.html.push({ tag, marks: {}, hidden: true });
    return;
  }
  const marks = htmlMarks[tag];
  if (marks === undefined) {
    // Nothing to carry (and void elements like <img> never close): nothing to track.
    context.warn("html-dropped", `inline HTML \`<${tag}>\` is not drawn; the text inside it is kept`, node);
    return;
  }
  if (opening[3] === "/") return;
  state.html.push({ tag, marks });
}

function unknownInline(node: never, state: InlineState, _context: InlineContext, out: InlineRun[]): void {
  // Fallback for phrasing nodes no handler knows (from plugins): keep their text.
  pushText(toString(node as Nodes), state, out);
}
