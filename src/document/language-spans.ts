// Inline HTML that changes the language or direction of a passage (`<span lang="fr">…</span>`,
// `<i lang="la">`, `<bdi dir="rtl">`) becomes one typed mdast node at read time, so the EPUB,
// the PDF and the speech read the same language from the same node instead of each parsing
// the raw tags (WCAG 3.1.2 Language of Parts, PDF/UA-1 §7.2).
//
// Markdown keeps inline HTML as separate opening and closing `html` nodes around the content;
// an opening tag is parsed with parse5 (quotes, entities, case as a browser reads them) and
// paired with its closing tag among the same siblings. An element left unclosed ends where
// its parent ends, as an HTML parser closes it at the end of its block; a stray closing tag
// stays raw HTML, as it was.
import type { Data, Parent, PhrasingContent, Root } from "mdast";
import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { canonicalLanguage } from "./front-matter.js";

const directions = ["ltr", "rtl", "auto"] as const;
export type TextDirection = (typeof directions)[number];

export interface LanguageSpanData extends Data {
  /** BCP 47 tag, canonical (`en_us` → `en-US`); absent when the element gives only a direction. */
  readonly lang?: string;
  readonly dir?: TextDirection;
  /** The element as written (`span`, `i`, `bdi`…), lower case: `i` and `em` keep their italics. */
  readonly hName: LanguageElement;
  readonly hProperties: { readonly lang?: string; readonly dir?: TextDirection };
}

/** A passage in another language or direction; an ordinary phrasing parent, like emphasis. */
export interface LanguageSpan extends Parent {
  type: "languageSpan";
  children: PhrasingContent[];
  data: LanguageSpanData;
}

declare module "mdast" {
  interface PhrasingContentMap {
    languageSpan: LanguageSpan;
  }
  interface RootContentMap {
    languageSpan: LanguageSpan;
  }
}

/**
 * Phrasing elements that carry nothing but their language, direction and typographic meaning,
 * so the node can stand for them whole. An element with more to say (`<a href lang>`,
 * `<abbr title lang>`, `<code lang>`) stays raw HTML.
 */
const languageElements = ["span", "i", "b", "em", "strong", "cite", "q", "bdi", "bdo", "mark", "small", "u", "s"] as const;
export type LanguageElement = (typeof languageElements)[number];
const isLanguageElement = (name: string): name is LanguageElement => (languageElements as readonly string[]).includes(name);

const openingTag = /^<([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?>$/;
const closingTag = /^<\/([A-Za-z][A-Za-z0-9]*)\s*>$/;
const maxSpanDepth = 16;
/** Opening tags are short; a longer one (hostile input) is left as raw HTML without parsing. */
const maxTagLength = 1000;

type Parse5Element = DefaultTreeAdapterMap["element"];

/** Nodes whose children are phrasing: only there is an `html` node inline HTML (elsewhere it is a block). */
const phrasingParents = new Set(["paragraph", "heading", "tableCell", "emphasis", "strong", "delete", "link", "linkReference"]);

/** Replaces, in place, every paired language element in `tree`'s inline HTML by a `languageSpan` node. */
export function liftLanguageSpans(tree: Root): void {
  const visit = (node: Parent): void => {
    if (phrasingParents.has(node.type) && node.children.some((child) => child.type === "html")) {
      const children = node.children as PhrasingContent[];
      const found = extents(children);
      if ([...found.values()].some((extent) => extent.data)) node.children = liftRange(children, found, 0, children.length, 0) as Parent["children"];
    }
    visitChildren(node);
  };
  // A span's own children were lifted with its parent's: only the parents among them are visited.
  const visitChildren = (node: Parent): void => {
    for (const child of node.children) {
      if (child.type === "languageSpan") visitChildren(child);
      else if ("children" in child) visit(child);
    }
  };
  visit(tree);
}

/** The language span an opening tag starts, or undefined when the tag is not one. */
export function languageSpanData(html: string): LanguageSpanData | undefined {
  const value = html.trim();
  if (value.length > maxTagLength || value.endsWith("/>")) return undefined;
  const match = openingTag.exec(value);
  const name = match?.[1]?.toLowerCase();
  if (name === undefined || !isLanguageElement(name) || !/\b(?:lang|dir)\s*=/i.test(value)) return undefined;
  const element = parseFragment(value).childNodes[0] as Parse5Element | undefined;
  if (!element || element.nodeName !== name) return undefined;
  const attribute = (attr: string): string | undefined => element.attrs.find((candidate) => candidate.name === attr)?.value;
  const written = attribute("lang");
  const lang = written === undefined || written.trim() === "" ? undefined : canonicalLanguage(written);
  const direction = attribute("dir")?.trim().toLowerCase();
  const dir = directions.find((candidate) => candidate === direction);
  if (lang === undefined && dir === undefined) return undefined;
  const marks: { lang?: string; dir?: TextDirection } = { ...(lang === undefined ? {} : { lang }), ...(dir === undefined ? {} : { dir }) };
  return { ...marks, hName: name, hProperties: { ...marks } };
}

/** Where an element opened among siblings ends: the index of its closing tag, or where it is closed implicitly. */
interface ElementExtent {
  /** The language span it starts; undefined for an element of the same names without `lang` or `dir`. */
  readonly data: LanguageSpanData | undefined;
  /** Index of the first sibling after its content. */
  end: number;
  /** True when the node at `end` is the element's own closing tag (it belongs to the element). */
  closed: boolean;
}

/**
 * Pairs opening and closing tags of the language elements among `nodes` in one pass, as an HTML
 * parser does: a closing tag closes the innermost open element of its name and every element
 * opened inside it; elements never closed end with their parent.
 */
function extents(nodes: readonly PhrasingContent[]): Map<number, ElementExtent> {
  const found = new Map<number, ElementExtent>();
  const open: { readonly name: string; readonly extent: ElementExtent }[] = [];
  nodes.forEach((node, index) => {
    if (node.type !== "html") return;
    const value = node.value.trim();
    const closing = closingTag.exec(value)?.[1]?.toLowerCase();
    if (closing !== undefined) {
      const at = open.findLastIndex((element) => element.name === closing);
      if (at === -1) return; // a stray closing tag stays raw HTML
      const [closed, ...inner] = open.splice(at);
      for (const element of [closed!, ...inner]) element.extent.end = index;
      closed!.extent.closed = true;
      return;
    }
    const name = openingTag.exec(value)?.[1]?.toLowerCase();
    if (name === undefined || !isLanguageElement(name) || value.endsWith("/>")) return;
    const extent: ElementExtent = { data: languageSpanData(value), end: nodes.length, closed: false };
    found.set(index, extent);
    open.push({ name, extent });
  });
  return found;
}
/**
 * `nodes[from, to)` with each language element made a `languageSpan`. Spans nest at most
 * `maxSpanDepth` deep; a deeper one (only hostile input has them) stays raw HTML.
 */
function liftRange(nodes: readonly PhrasingContent[], found: ReadonlyMap<number, ElementExtent>, from: number, to: number, depth: number): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let index = from;
  while (index < to) {
    const node = nodes[index]!;
    const extent = found.get(index);
    if (!extent?.data || depth >= maxSpanDepth) {
      out.push(node);
      index++;
      continue;
    }
    const end = Math.min(extent.end, to);
    const span: LanguageSpan = { type: "languageSpan", data: extent.data, children: liftRange(nodes, found, index + 1, end, depth + 1) };
    const owned = extent.closed && end === extent.end;
    const last = owned ? nodes[end] : nodes[end - 1];
    if (node.position && last?.position) span.position = { start: node.position.start, end: last.position.end };
    out.push(span);
    index = owned ? end + 1 : end;
  }
  return out;
}

/** True for a `languageSpan` node. */
export function isLanguageSpan(node: { type: string }): node is LanguageSpan {
  return node.type === "languageSpan";
}
