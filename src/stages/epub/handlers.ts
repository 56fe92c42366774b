// mdast → hast handlers for book chapters: one small function per node type, plus a fallback.
import type { Element, ElementContent, Properties } from "hast";
import type { Code, FootnoteReference, Html, Image, Link, Nodes as MdastNodes, Paragraph, Parents as MdastParents, PhrasingContent } from "mdast";
import { defaultHandlers, type Handler, type Handlers, type State } from "mdast-util-to-hast";
import { classifyLink, unsafeLinkReason } from "../shared/link-safety.js";
import { element, text } from "./hast-builders.js";
import { removedByAllowList } from "./raw-html-report.js";

/** What the handlers need from the chapter being rendered. */
export interface HandlerContext {
  /** Number of a footnote, assigned on its first reference in reading order; undefined when it has no definition. */
  footnoteNumber(identifier: string): number | undefined;
  /** Reports a recoverable problem at a source node. */
  warn(rule: string, reason: string, node: MdastNodes): void;
  /** Remembers where a link's target was written, for warnings about it after raw HTML is parsed. */
  recordLink(href: string, node: MdastNodes): void;
  /**
   * In a narrated book, the id an element voicing unit `id` is written with (marked to pass
   * the sanitizer, see chapters.ts); absent otherwise: unit ids are then not written.
   */
  unitId?(id: string): string;
}

/**
 * A sentence node (src/document/sentences.ts): one unit the audio voices. Declared here by
 * shape so the EPUB renders it without depending on how the sentences are cut.
 */
interface SentenceNode {
  readonly type: "sentence";
  readonly data?: { readonly id?: string };
  readonly children: PhrasingContent[];
}

/** The unit id a block voiced as a whole carries (`data.unitId`: fenced code, a spoken HTML block). */
function blockUnitId(node: { readonly data?: unknown }): string | undefined {
  const data = node.data as { unitId?: unknown } | undefined;
  return typeof data?.unitId === "string" ? data.unitId : undefined;
}

/**
 * The handler table. Node types not listed use mdast-util-to-hast's defaults (emphasis,
 * lists, block quotes, code, tables, thematic breaks…), which already write semantic HTML;
 * the ones here add what a book needs on top.
 */
export function chapterHandlers(context: HandlerContext): Handlers {
  return {
    paragraph: (state, node: Paragraph) => figureOrParagraph(state, node, context),
    sentence: (state: State, node: SentenceNode) => {
      const id = node.data?.id;
      const span = element("span", id && context.unitId ? { id: context.unitId(id) } : {}, state.all(node as unknown as MdastParents));
      state.patch(node as unknown as MdastNodes, span);
      return span;
    },
    code: (state: State, node: Code) => {
      const pre = defaultHandlers.code(state, node);
      const id = blockUnitId(node);
      if (id && context.unitId) pre.properties.id = context.unitId(id);
      return pre;
    },
    image: (state, node: Image) => imageElement(state, node, true),
    footnoteReference: (state, node: FootnoteReference) => noteReference(state, node, context),
    html: (state, node: Html) => {
      const { removed, repaired } = removedByAllowList(node.value);
      if (removed.length || repaired.length) {
        const changes = [...(removed.length ? [`${removed.join(", ")} removed`] : []), ...(repaired.length ? [`${repaired.join(", ")} repaired`] : [])];
        context.warn(
          "html-sanitized",
          `raw HTML was cleaned: ${changes.join("; ")} (only an allow-list of safe HTML reaches the book; the text stays unless it was a script or frame)`,
          node,
        );
      }
      const rendered = defaultHandlers.html(state, node);
      const id = blockUnitId(node);
      // A spoken HTML block is one unit: its parsed content sits in a `div` carrying the id.
      if (id && context.unitId && rendered) return element("div", { id: context.unitId(id) }, [rendered]);
      return rendered;
    },
    link: (state, node: Link) => {
      // The sanitizer takes the URL of any other scheme (links.ts then keeps only the text);
      // say so here, where the source line is known. Same schemes as the PDF (link-safety.ts).
      if (classifyLink(node.url).kind === "unsafe") context.warn("link-unsafe-dropped", unsafeLinkReason(node.url), node);
      const link = defaultHandlers.link(state, node);
      if (typeof link.properties.href === "string") context.recordLink(link.properties.href, node);
      return link;
    },
    // Definitions are rendered by the chapter as EPUB footnotes, never in the flow.
    footnoteDefinition: () => undefined,
    definition: () => undefined,
    yaml: () => undefined,
  } as Handlers;
}

/**
 * The fallback for node types no handler knows (a plugin's custom node, say): keep what a
 * reader would read (the children, or the text value) and say so, rather than drop it.
 */
export function unknownNodeHandler(context: HandlerContext): Handler {
  return (state, node) => {
    context.warn("node-unsupported", `Lectern has no EPUB rendering for \`${node.type}\` nodes; its text is kept as plain text`, node);
    if ("children" in node) {
      const span = element("span", {}, state.all(node as MdastParents));
      state.patch(node, span);
      return span;
    }
    if ("value" in node && typeof node.value === "string") return text(node.value);
    return undefined;
  };
}

/**
 * A paragraph holding nothing but one image is a figure (HTML `figure`, with the image's
 * Markdown title as `figcaption`); anything else is a paragraph.
 */
function figureOrParagraph(state: State, node: Paragraph, context: HandlerContext): Element | ElementContent[] | undefined {
  const meaningful = (children: readonly PhrasingContent[]) => children.filter((child) => !(child.type === "text" && child.value.trim() === ""));
  let found = meaningful(node.children);
  // In a narrated book an image alone in its paragraph is wrapped in its unit: still a figure,
  // the image carrying the unit's id (the figure stays a structure an overlay can skip).
  let unit: string | undefined;
  const wrapper = found[0] as PhrasingContent | SentenceNode | undefined;
  if (found.length === 1 && wrapper?.type === "sentence") {
    unit = wrapper.data?.id;
    found = meaningful(wrapper.children);
  }
  const only = found[0];
  if (found.length !== 1 || only?.type !== "image") return defaultHandlers.paragraph(state, node);
  const image = imageElement(state, only, false);
  if (unit && context.unitId) image.properties.id = context.unitId(unit);
  const children: ElementContent[] = [image];
  if (only.title) children.push(element("figcaption", {}, [text(only.title)]));
  const figure = element("figure", {}, children);
  state.patch(node, figure);
  return figure;
}

/**
 * `alt` is always written, empty for a decorative image (WCAG 1.1.1: an empty alt tells
 * assistive technology to skip it). The source is resolved and packaged later (assets.ts),
 * the same way for Markdown images and raw HTML `<img>`.
 */
function imageElement(state: State, node: Image, withTitle: boolean): Element {
  const properties: Properties = { src: node.url, alt: node.alt ?? "" };
  if (withTitle && node.title) properties.title = node.title;
  const image = element("img", properties);
  state.patch(node, image);
  return image;
}

/**
 * An EPUB 3 note reference (EPUB 3.3 SSV `noteref`, DPUB-ARIA `doc-noteref`: Ace
 * `epub-type-has-matching-role`). The link target and the reference's own id are set
 * once the chapter knows which notes it holds; a reference without a definition stays
 * visible as written.
 */
function noteReference(state: State, node: FootnoteReference, context: HandlerContext): ElementContent {
  const number = context.footnoteNumber(node.identifier);
  if (number === undefined) {
    context.warn("footnote-undefined", `footnote \`[^${node.label ?? node.identifier}]\` has no definition; it is shown as written`, node);
    return text(`[^${node.label ?? node.identifier}]`);
  }
  const link = element("a", { href: `#fn-${number}`, "epub:type": "noteref", role: "doc-noteref" }, [text(String(number))]);
  const sup = element("sup", { className: ["noteref"] }, [link]);
  state.patch(node, sup);
  return sup;
}
