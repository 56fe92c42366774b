// The nesting guard: refuses documents nested deeper than any stage can safely walk, naming the line.
//
// Every stage walks the tree recursively (mdast → hast → XHTML, PDF blocks, speech), and the
// EPUB parses raw HTML into elements (hast-util-raw), so 5,000 nested `<div>`s or an
// alternation of `> - > - …` become a tree thousands of levels deep and end in "Maximum call
// stack size exceeded". The depth is measured over the real tree — mdast containers, and raw
// HTML as an HTML parser nests it (parse5, the parser hast-util-raw uses) — and a document
// deeper than `maxNestingDepth` is refused with an INPUT error and its line.
import type { Nodes, Root, RootContent } from "mdast";
import { defaultTreeAdapter, parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { LecternError } from "../messages.js";

/**
 * Deepest nesting accepted: lists, block quotes, footnotes, emphasis and links, and raw HTML
 * elements, counted together along one path. No real document nests past a dozen; the stages
 * are tested at this depth of each kind (tests/document/nesting.test.ts).
 */
export const maxNestingDepth = 100;

/**
 * Before parsing: remark's parsing time grows with the square of the depth (1,000 levels took
 * 29 s), so lines whose container prefix (`>`, list markers, indentation) could open far more
 * than `maxNestingDepth` levels are refused without parsing. The count is an upper bound (each
 * level takes a `>` or at least two columns), so it never refuses what the tree check accepts
 * at 2.5 × the limit; the exact check runs on the tree.
 */
export function checkSourceNesting(text: string, file: string): void {
  let lineStart = 0;
  for (let line = 1; lineStart <= text.length; line++) {
    let end = text.indexOf("\n", lineStart);
    if (end < 0) end = text.length;
    let columns = 0;
    let quotes = 0;
    for (let index = lineStart; index < end; index++) {
      const character = text[index]!;
      if (character === ">") quotes++;
      else if (character === " ") columns++;
      else if (character === "\t") columns += 4;
      else {
        // A list marker (`-`, `*`, `+`, `1.`, `1)`) followed by white space or the line's end.
        const marker = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(text.slice(index, Math.min(end, index + 11)));
        if (!marker) break;
        columns += marker[0].length;
        index += marker[0].length - 1;
      }
    }
    if (quotes + Math.ceil(columns / 2) > maxNestingDepth * 2.5) refuse(file, line, "lists or block quotes");
    lineStart = end + 1;
  }
  // A run of emphasis delimiters opens up to half its length of levels (and micromark's time
  // grows with its square: 5,000 `*` took 3 s); a rule line of them (`*****`) opens none.
  for (const run of text.matchAll(new RegExp(`([*_~])\\1{${maxNestingDepth * 5},}`, "g"))) {
    const start = text.lastIndexOf("\n", run.index) + 1;
    const end = text.indexOf("\n", run.index);
    if (/^[ \t]*([*_-])(?:[ \t]*\1)*[ \t]*$/.test(text.slice(start, end < 0 ? text.length : end))) continue;
    refuse(file, countNewlines(text, run.index) + 1, "emphasis or links");
  }
}

/** Node types that open a level of nesting in every stage's walk (listItem goes with its list). */
const nestingTypes = new Set(["blockquote", "list", "footnoteDefinition", "emphasis", "strong", "delete", "link", "linkReference"]);
const inlineTypes = new Set(["emphasis", "strong", "delete", "link", "linkReference"]);

/**
 * After parsing: the depth of every top-level block, walked without recursion. Raw HTML in a
 * block is parsed as the EPUB parses it (the block's HTML in order, as one fragment) and also
 * node by node (as the raw-HTML report does); its element depth adds to the depth of the
 * containers it sits in.
 */
export function checkTreeNesting(tree: Root, file: string): void {
  for (const block of tree.children) checkBlock(block, file);
}

function checkBlock(block: RootContent, file: string): void {
  interface Visit {
    readonly node: Nodes;
    readonly depth: number;
    readonly inline: boolean;
  }
  const stack: Visit[] = [{ node: block, depth: 0, inline: false }];
  const html: { value: string; line: number | undefined; depth: number }[] = [];
  while (stack.length > 0) {
    const { node, depth: outer, inline } = stack.pop()!;
    const opens = nestingTypes.has(node.type);
    const depth = outer + (opens ? 1 : 0);
    const isInline = inline || inlineTypes.has(node.type);
    if (depth > maxNestingDepth) refuse(file, node.position?.start.line, isInline ? "emphasis or links" : "lists or block quotes");
    if (node.type === "html") html.push({ value: node.value, line: node.position?.start.line, depth });
    if ("children" in node) {
      const children = node.children as Nodes[];
      for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index]!, depth, inline: isInline });
    }
  }
  if (html.length === 0) return;
  const containerDepth = Math.max(...html.map((item) => item.depth));
  const room = maxNestingDepth - containerDepth;
  // The block's HTML as one fragment (separated as text separates them in the block).
  const joined = htmlDepth(html.map((item) => item.value).join(" "), room);
  if (joined !== undefined) refuse(file, lineAt(html, joined), "HTML elements");
  // Each node alone: earlier HTML (an open `<textarea>`) can hide tags the node has on its own.
  for (const item of html) {
    if (item.value.split("<", 26).length <= 25) continue; // too few tags to nest 100 levels deep
    const alone = htmlDepth(item.value, room);
    if (alone !== undefined) refuse(file, (item.line ?? 1) + countNewlines(item.value, alone), "HTML elements");
  }
}

/** The line of `offset` in the joined HTML of `items`. */
function lineAt(items: readonly { value: string; line: number | undefined }[], offset: number): number | undefined {
  let start = 0;
  for (const item of items) {
    if (offset < start + item.value.length + 1) return item.line === undefined ? undefined : item.line + countNewlines(item.value, offset - start);
    start += item.value.length + 1;
  }
  return items.at(-1)?.line;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index >= 0 && index < end; index = text.indexOf("\n", index + 1)) count++;
  return count;
}

type Parse5Node = DefaultTreeAdapterMap["node"];

class TooDeep extends Error {
  constructor(readonly offset: number) {
    super("nested too deeply");
  }
}

/**
 * Parses `html` as a fragment with parse5 and returns the source offset of the first element
 * deeper than `room`, or undefined. Parsing stops at that element, so a 20 MB tower of
 * `<div>`s costs no more than 100 of them.
 */
function htmlDepth(html: string, room: number): number | undefined {
  if (!html.includes("<")) return undefined;
  // A template's content is a fragment of its own; its elements are as deep as the template.
  const templateOf = new WeakMap<Parse5Node, Parse5Node>();
  const parentOf = (node: Parse5Node): Parse5Node | undefined => (node as { parentNode?: Parse5Node | null }).parentNode ?? templateOf.get(node) ?? undefined;
  /** Levels of the element: itself and its element ancestors, not the `<html>` (under a `documentmock`) parse5 parses a fragment in. */
  const depthOf = (node: Parse5Node): number => {
    let depth = 1;
    for (let current = parentOf(node); current; current = parentOf(current)) {
      if (!current.nodeName.startsWith("#") && current.nodeName !== "html" && current.nodeName !== "documentmock") depth++;
      if (depth > room) break;
    }
    return depth;
  };
  const check = (node: Parse5Node): void => {
    if (node.nodeName.startsWith("#")) return;
    if (depthOf(node) > room) throw new TooDeep((node as { sourceCodeLocation?: { startOffset: number } | null }).sourceCodeLocation?.startOffset ?? 0);
  };
  const adapter: typeof defaultTreeAdapter = {
    ...defaultTreeAdapter,
    appendChild(parent, child) {
      defaultTreeAdapter.appendChild(parent, child);
      check(child);
    },
    setTemplateContent(template, content) {
      defaultTreeAdapter.setTemplateContent(template, content);
      templateOf.set(content as Parse5Node, template as Parse5Node);
    },
    insertBefore(parent, child, reference) {
      defaultTreeAdapter.insertBefore(parent, child, reference);
      check(child);
    },
  };
  try {
    const fragment = parseFragment(html, { treeAdapter: adapter, sourceCodeLocationInfo: true });
    // Elements the adoption agency moved under another parent: walk the finished tree once.
    const stack: { node: Parse5Node; depth: number }[] = [{ node: fragment as Parse5Node, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (depth > room) return (node as { sourceCodeLocation?: { startOffset: number } | null }).sourceCodeLocation?.startOffset ?? 0;
      const children = (node as { childNodes?: Parse5Node[] }).childNodes ?? [];
      for (const child of children) if (!child.nodeName.startsWith("#")) stack.push({ node: child, depth: depth + 1 });
      const content = (node as { content?: Parse5Node }).content; // <template> contents
      if (content) stack.push({ node: content, depth });
    }
    return undefined;
  } catch (error) {
    if (error instanceof TooDeep) return error.offset;
    throw error;
  }
}

function refuse(file: string, line: number | undefined, what: string): never {
  throw new LecternError("INPUT", `${what} are nested more than ${maxNestingDepth} levels deep`, {
    file,
    ...(line ? { line } : {}),
    hint: "flatten the nesting",
  });
}
