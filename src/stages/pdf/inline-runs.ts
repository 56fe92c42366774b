// Inline content → styled text runs: one handler per mdast phrasing node type, plus a fallback.
//
// A run carries the text, its marks (bold, italic, code, superscript) and the inline
// structure element it belongs to (Link, Span with a language, Code, Reference), so the line
// breaker can measure it and the composer can tag it.
import type { Html, Link, Nodes, PhrasingContent } from "mdast";
import { toString } from "mdast-util-to-string";

export interface InlineMarks {
  readonly bold: boolean;
  readonly italic: boolean;
  readonly code: boolean;
  readonly superscript: boolean;
}

/** The inline structure element a run belongs to; runs sharing `id` share one element. */
export type InlineContainer =
  | { readonly kind: "link"; readonly id: number; readonly url: string; readonly description: string }
  | { readonly kind: "span"; readonly id: number; readonly lang: string }
  | { readonly kind: "code"; readonly id: number }
  | { readonly kind: "reference"; readonly id: number; readonly note: number };

export type InlineRun =
  | { readonly kind: "text"; readonly text: string; readonly marks: InlineMarks; readonly container?: InlineContainer }
  | { readonly kind: "break" };

/** What the inline handlers need from the writer. */
export interface InlineContext {
  /** Reports a change made to the content (a dropped link or tag). */
  warn(rule: string, reason: string, node: Nodes): void;
  /** The note number of a footnote identifier, numbering notes in order of first reference. */
  noteNumber(identifier: string): number;
  /** A fresh id for an inline structure element. */
  nextId(): number;
}

interface InlineState {
  readonly marks: InlineMarks;
  readonly link?: InlineContainer & { kind: "link" };
  readonly code?: InlineContainer;
  readonly reference?: InlineContainer;
  /** Open `<span lang>` elements from inline HTML, innermost last. */
  readonly spans: (InlineContainer & { kind: "span" })[];
}

type InlineHandler = (node: never, state: InlineState, context: InlineContext, out: InlineRun[]) => void;

const plainMarks: InlineMarks = { bold: false, italic: false, code: false, superscript: false };

/** Flattens phrasing content into runs, in reading order. */
export function inlineRuns(nodes: readonly PhrasingContent[], context: InlineContext, marks: Partial<InlineMarks> = {}): InlineRun[] {
  const out: InlineRun[] = [];
  const state: InlineState = { marks: { ...plainMarks, ...marks }, spans: [] };
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
  // Precedence of inline elements: a link is the element a reader acts on, so it holds
  // whatever is inside it; a note reference or code inside a language span stay distinct.
  const container = state.link ?? state.reference ?? state.code ?? state.spans.findLast((span) => span.lang !== "");
  out.push(container === undefined ? { kind: "text", text, marks: state.marks } : { kind: "text", text, marks: state.marks, container });
}

/** Schemes a reader can follow safely from a PDF; `javascript:` and `data:` never are. */
const followableScheme = /^(https?|mailto|ftp):/i;
const anyScheme = /^[a-z][a-z0-9+.-]*:/i;

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
    children(node.children, state, context, out);
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
    if (state.link !== undefined || !followableScheme.test(url)) {
      if (state.link === undefined) {
        const unsafe = anyScheme.test(url);
        context.warn(
          unsafe ? "link-unsafe-dropped" : "link-relative-dropped",
          unsafe
            ? `link to \`${url.slice(0, 40)}\` is not a web or mail address; its text is kept without the link`
            : `link to \`${url.slice(0, 40)}\` has no target inside the PDF; its text is kept without the link`,
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
};

const spanOpen = /^<span\b([^>]*)>$/i;
const spanClose = /^<\/span\s*>$/i;

/**
 * Inline HTML is never drawn as markup. A `<span lang>` becomes a Span with /Lang (PDF/UA-1
 * §7.2: changes of natural language are declared); every other tag is dropped and its text kept.
 */
function inlineHtml(node: Html, state: InlineState, context: InlineContext, out: InlineRun[]): void {
  const value = node.value.trim();
  const open = spanOpen.exec(value);
  if (open) {
    const lang = /\blang\s*=\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)/.exec(open[1] ?? "")?.[1];
    // Spans without a language still need a matching entry so `</span>` pops the right one.
    state.spans.push({ kind: "span", id: lang === undefined ? -1 : context.nextId(), lang: lang ?? "" });
    return;
  }
  if (spanClose.test(value)) {
    state.spans.pop();
    return;
  }
  if (/^<!--/.test(value) || /^<\//.test(value)) return;
  if (/^<br\s*\/?>$/i.test(value)) {
    out.push({ kind: "break" });
    return;
  }
  const tag = /^<([A-Za-z][A-Za-z0-9-]*)/.exec(value)?.[1];
  context.warn("html-dropped", `inline HTML ${tag ? `\`<${tag}>\`` : "markup"} is not drawn; the text around it is kept`, node);
}

function unknownInline(node: never, state: InlineState, _context: InlineContext, out: InlineRun[]): void {
  // Fallback for phrasing nodes no handler knows (from plugins): keep their text.
  pushText(toString(node as Nodes), state, out);
}
