// mdast → hast handlers for book chapters: one small function per node type, plus a fallback.
import type { Element, ElementContent, Properties } from "hast";
import type { FootnoteReference, Html, Image, Link, Nodes as MdastNodes, Paragraph, Parents as MdastParents } from "mdast";
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
}

/**
 * The handler table. Node types not listed use mdast-util-to-hast's defaults (emphasis,
 * lists, block quotes, code, tables, thematic breaks…), which already write semantic HTML;
 * the ones here add what a book needs on top.
 */
export function chapterHandlers(context: HandlerContext): Handlers {
  return {
    paragraph: (state, node: Paragraph) => figureOrParagraph(state, node),
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
      return defaultHandlers.html(state, node);
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
function figureOrParagraph(state: State, node: Paragraph): Element | ElementContent[] | undefined {
  const meaningful = node.children.filter((child) => !(child.type === "text" && child.value.trim() === ""));
  const only = meaningful[0];
  if (meaningful.length !== 1 || only?.type !== "image") return defaultHandlers.paragraph(state, node);
  const children: ElementContent[] = [imageElement(state, only, false)];
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
