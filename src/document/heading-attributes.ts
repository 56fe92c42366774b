// Heading attribute blocks (`## Prérequis {#requirements}`, kramdown's `{: #id .class}`), as
// Hugo, Pandoc, kramdown and Python-Markdown write them: syntax for the site generator, never
// words of the heading. CommonMark leaves them in the heading's text; they are taken out here,
// so no title, slug, bookmark or spoken heading carries them.
import type { Heading, Root } from "mdast";

/** A trailing `{#id}`, `{.class}`, `{#id .class key=value}` or kramdown `{: …}` block. */
const attributeBlock = /^\{:?\s*(?:[#.][\w:-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))(?:\s+(?:[#.][\w:-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+)))*\s*\}\s*$/u;

/** Removes a heading's trailing attribute block from its last text; a heading of only a block keeps it. */
export function removeHeadingAttributes(tree: Root): void {
  for (const node of tree.children) if (node.type === "heading") trimAttributes(node);
}

function trimAttributes(heading: Heading): void {
  const last = heading.children.at(-1);
  if (last?.type !== "text") return;
  // Only the last `{` can open the block: matching from there alone keeps a heading of a
  // million spaces linear (an unanchored `\s*\{` tried every one of them).
  const open = last.value.lastIndexOf("{");
  if (open < 0 || !attributeBlock.test(last.value.slice(open))) return;
  const kept = last.value.slice(0, open).trimEnd();
  // `## {#id}` alone: the block is all the heading says, so it is left as written.
  if (kept.trim() === "" && heading.children.length === 1) return;
  last.value = kept;
  if (kept === "") heading.children.pop();
}
