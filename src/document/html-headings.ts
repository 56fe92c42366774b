// Headings written as raw HTML, as GitHub READMEs write them: `<h1 align="center">Name</h1>`,
// `<div align="center"><h1>Name</h1><p>tagline</p>…</div>`, `<h2 align="center">Features</h2>`.
//
// Markdown keeps such a block as raw HTML, so without this a README's title and its sections
// would be invisible to sectioning: no title, one long section. A heading that is a block of
// its own — or the first element of a block whose opening shows no words (a wrapping
// `<div align="center">`, a logo) — becomes an mdast heading of the same level at the same
// place; what surrounds it in the block stays raw HTML before and after it, as written, so
// the logo and the tagline are still shown (the stages sanitise raw HTML as always).
import type { Heading, Html, PhrasingContent, Root, RootContent } from "mdast";
import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { hasVisibleText } from "./display-text.js";

type Parse5Node = DefaultTreeAdapterMap["node"];
type Parse5Element = DefaultTreeAdapterMap["element"];

/** Elements that wrap a README's centred title block. */
const wrappers = new Set(["div", "center", "header", "section"]);
const headingTag = /^h([1-6])$/;

/** Replaces, in place, the whole-block raw HTML headings at the top level of `tree`. */
export function liftHtmlHeadings(tree: Root): void {
  if (!tree.children.some(mayHoldHeading)) return;
  tree.children = tree.children.flatMap((node) => (mayHoldHeading(node) ? liftHeading(node) : [node]));
}

/** A cheap test before parsing: raw HTML that names a heading element at all. */
function mayHoldHeading(node: RootContent): node is Html {
  return node.type === "html" && /<h[1-6][\s>/]/i.test(node.value);
}

function liftHeading(node: Html): RootContent[] {
  const html = node.value;
  const fragment = parseFragment(html, { sourceCodeLocationInfo: true });
  const heading = headingElement(fragment.childNodes);
  const location = heading?.sourceCodeLocation;
  if (!heading || !location) return [node];
  const before = html.slice(0, location.startOffset);
  // A heading below words of the block is part of that HTML's content, not a heading of the document.
  if (before.trim() !== "" && hasVisibleText({ type: "html", value: before })) return [node];
  const after = html.slice(location.endOffset);
  const lifted: Heading = {
    type: "heading",
    depth: Number(headingTag.exec(heading.tagName)![1]) as Heading["depth"],
    children: inlineContent(heading, html),
    ...(node.position ? { position: { start: pointAt(node, location.startOffset), end: pointAt(node, location.endOffset) } } : {}),
  };
  const raw = (value: string): Html[] => (value.trim() === "" ? [] : [{ type: "html", value, ...(node.position ? { position: node.position } : {}) }]);
  return [...raw(before), lifted, ...raw(after)];
}

/** The first heading element among the block's top-level nodes, or directly inside its one wrapper. */
function headingElement(nodes: readonly Parse5Node[]): Parse5Element | undefined {
  for (const child of nodes) {
    if (!isElement(child)) continue;
    if (headingTag.test(child.tagName)) return child;
    if (wrappers.has(child.tagName)) {
      const inner = child.childNodes.find((grandchild): grandchild is Parse5Element => isElement(grandchild) && (headingTag.test(grandchild.tagName) || !isInvisible(grandchild)));
      return inner && headingTag.test(inner.tagName) ? inner : undefined;
    }
    if (!isInvisible(child)) return undefined;
  }
  return undefined;
}

function isElement(node: Parse5Node): node is Parse5Element {
  return "tagName" in node;
}

/** Elements above a title that show no words: a logo, a picture, a line break, an anchor. */
function isInvisible(element: Parse5Element): boolean {
  return ["img", "picture", "br", "a", "p", "source"].includes(element.tagName) && !/\S/.test(textOf(element));
}

function textOf(node: Parse5Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterMap["textNode"]).value;
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

/**
 * The heading's content as mdast, so titles, speech and every stage read it as a Markdown
 * heading's: text as text, `<code>`/`<kbd>` as code, `<em>`/`<i>` and `<strong>`/`<b>` as
 * emphasis, `<a href>` as a link, a `<span>` (and the like) as its content; any other element
 * (an `<img>`, a `<br>`) as the inline raw HTML it was written as, shown as before.
 */
function inlineContent(parent: Parse5Element, html: string): PhrasingContent[] {
  const content: PhrasingContent[] = [];
  for (const child of parent.childNodes) {
    if (child.nodeName === "#text") {
      content.push({ type: "text", value: (child as DefaultTreeAdapterMap["textNode"]).value });
      continue;
    }
    if (!isElement(child) || !child.sourceCodeLocation) continue;
    const tag = child.tagName;
    if (tag === "code" || tag === "kbd" || tag === "samp") content.push({ type: "inlineCode", value: textOf(child) });
    else if (tag === "em" || tag === "i") content.push({ type: "emphasis", children: inlineContent(child, html) });
    else if (tag === "strong" || tag === "b") content.push({ type: "strong", children: inlineContent(child, html) });
    else if (tag === "a" && attribute(child, "href") !== undefined) content.push({ type: "link", url: attribute(child, "href")!, children: inlineContent(child, html) });
    else if (["a", "span", "small", "sup", "sub", "mark", "u", "s", "font"].includes(tag)) content.push(...inlineContent(child, html));
    else content.push({ type: "html", value: html.slice(child.sourceCodeLocation.startOffset, child.sourceCodeLocation.endOffset) });
  }
  return content;
}

function attribute(element: Parse5Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

/** The source point of `offset` within the raw HTML node. */
function pointAt(node: Html, offset: number): { line: number; column: number; offset?: number } {
  const start = node.position!.start;
  const lines = node.value.slice(0, offset).split("\n");
  const line = start.line + lines.length - 1;
  const column = lines.length === 1 ? start.column + offset : lines.at(-1)!.length + 1;
  return { line, column, ...(start.offset !== undefined ? { offset: start.offset + offset } : {}) };
}

/** True when raw HTML holds an image (`<img>`, `<picture>`, `<svg>`): a logo a reader sees. */
export function showsImage(html: string): boolean {
  if (!html.includes("<")) return false;
  const stack: Parse5Node[] = [...parseFragment(html).childNodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    if (node.tagName === "img" || node.tagName === "picture" || node.tagName === "svg") return true;
    stack.push(...node.childNodes);
  }
  return false;
}
