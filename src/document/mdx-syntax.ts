// MDX syntax in Markdown (Docusaurus, Nextra, VuePress pages), which only the site's build understands.
//
// A Docusaurus page opens with ESM lines (`import Tabs from '@theme/Tabs';`) and may hold
// ```` ```mdx-code-block ```` fences whose body is JSX or imports for the site, not code to
// show: printed, they are noise, read aloud worse. Both are taken out of the source before it
// is parsed, keeping every line break so later messages point at the right lines. Admonitions
// (`:::tip` … `:::`, `:::note[Title]`, VuePress's `::: warning Title`) carry meaning: each
// becomes a block quote whose first line is its label — the title it gives, else its kind
// (Tip, Warning…) — so the EPUB shows an aside and the listener hears what kind it is. JSX
// components (`<Tabs>`, `<TabItem value="npm">`) are raw HTML to Markdown and left to the
// stages, which drop unknown elements and keep what is between them.
import type { Blockquote, Nodes, Root, RootContent } from "mdast";
import type { LecternDocument } from "./model.js";
import type { ProtectedRange } from "./site-syntax.js";
import { admonitionKinds, wordsFor, type AdmonitionKind } from "./words/index.js";
import { english } from "./words/en.js";

/** What was taken out or rewritten, for the one warning that says so. */
export interface MdxSyntaxResult {
  /** The source with ESM lines and `mdx-code-block` fences blanked, admonitions as block quotes; the same number of lines. */
  readonly source: string;
  /** Top-level `import`/`export` statements removed. */
  readonly esm: number;
  /** `mdx-code-block` fences removed with their body. */
  readonly codeBlocks: number;
  /** Admonitions made block quotes. */
  readonly admonitions: number;
  /** The admonitions made block quotes: 1-based line of the opener, the kind, and whether a title was given (else the label is the kind's). */
  readonly asides: readonly { line: number; kind: AdmonitionKind; titled: boolean }[];
  /** 1-based line of the first change, when there is one. */
  readonly firstLine?: number;
}

/** The cheap check before any work: the source may hold MDX syntax. */
export function mayHoldMdxSyntax(source: string): boolean {
  return source.includes(":::") || /^(?:import|export)\s/m.test(source) || source.includes("mdx-code-block");
}

/** An ESM statement as MDX reads it at the top level: `import X from 'y'`, `import 'y'`, `export const …`. */
const esmPattern = /^(?:import\s+(?:['"]|[\w$*{][^\n]*?\s+from\s+['"])|import\s*\{|export\s+(?:default|const|let|var|function|async|class|\{|\*)\b)/;

declare module "mdast" {
  interface BlockquoteData {
    /** Set on a block quote made of an untitled admonition: its kind, whose label is put in the document's language. */
    lecternAdmonition?: AdmonitionKind;
  }
}

function isAdmonitionKind(kind: string): kind is AdmonitionKind {
  return (admonitionKinds as readonly string[]).includes(kind);
}

/** `:::tip`, `:::note[Title]`, `:::warning Title`, `::: tip Title` (VuePress), up to three spaces in. */
const openerPattern = /^ {0,3}(:{3,})[ \t]*([A-Za-z]+)(?:\[([^\]\n]*)\]|[ \t]+([^\n]*?))?[ \t]*(?:\{[^}\n]*\})?[ \t]*$/;
const closerPattern = /^ {0,3}(:{3,})[ \t]*$/;

/**
 * Removes top-level ESM statements and `mdx-code-block` fences found in `tree` (the first
 * parse of `source`), and turns admonitions outside `protectedRanges` (code, front matter)
 * into block quotes.
 */
export function rewriteMdxSyntax(source: string, tree: Root, protectedRanges: readonly ProtectedRange[]): MdxSyntaxResult {
  const blanked: { start: number; end: number }[] = [];
  let esm = 0;
  let codeBlocks = 0;
  for (const node of tree.children as Nodes[]) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    if (node.type === "code" && node.lang === "mdx-code-block") {
      codeBlocks++;
      blanked.push({ start, end });
    } else if (node.type === "paragraph" && esmPattern.test(source.slice(start, end))) {
      esm += source
        .slice(start, end)
        .split("\n")
        .filter((line) => /^(?:import|export)\b/.test(line)).length;
      blanked.push({ start, end });
    }
  }
  let text = source;
  for (const range of blanked.reverse()) text = text.slice(0, range.start) + text.slice(range.start, range.end).replace(/[^\n]/g, "") + text.slice(range.end);

  // Blanking keeps every offset's line, so the protected ranges still say which lines are code.
  const lines = text.split("\n");
  const lineProtected = protectedLines(source, protectedRanges);
  const pairs: { opener: number; closer: number; label: string; depth: number }[] = [];
  const openers: { colons: number; line: number; label: string; depth: number }[] = [];
  const asides: { line: number; kind: AdmonitionKind; titled: boolean }[] = [];
  lines.forEach((line, index) => {
    if (lineProtected[index]) return;
    const closer = closerPattern.exec(line);
    if (closer) {
      const top = openers.at(-1);
      if (top && closer[1]!.length === top.colons) {
        openers.pop();
        pairs.push({ opener: top.line, closer: index, label: top.label, depth: top.depth });
      }
      return;
    }
    const opener = openerPattern.exec(line);
    const kind = opener?.[2]?.toLowerCase() ?? "";
    if (!opener || !isAdmonitionKind(kind)) return;
    const title = (opener[3] ?? opener[4] ?? "").trim();
    // Without a title, the kind's English label, put in the document's language once it is known (localizeAdmonitions).
    asides.push({ line: index + 1, kind, titled: title !== "" });
    openers.push({ colons: opener[1]!.length, line: index, label: title || english.admonitions[kind], depth: openers.length });
  });

  // Every line gets one `> ` per admonition holding it (nested ones are quotes in quotes).
  const depthOf = new Array<number>(lines.length).fill(0);
  for (const pair of pairs) for (let index = pair.opener + 1; index < pair.closer; index++) depthOf[index]!++;
  const rewritten = lines.map((line, index) => {
    const pair = pairs.find((candidate) => candidate.opener === index || candidate.closer === index);
    const outer = "> ".repeat(depthOf[index]!);
    if (pair?.closer === index) return outer.trimEnd();
    if (pair?.opener === index) {
      // A hard break after the label when the aside's text follows on the next line, so they stay apart.
      const next = lines[index + 1] ?? "";
      const joined = next.trim() !== "" && !closerPattern.test(next);
      return `${outer}> **${escapeMarkdown(pair.label)}**${joined ? "\\" : ""}`;
    }
    return depthOf[index]! > 0 ? `${outer}${line}` : line;
  });

  const changedLines = [...blanked.map((range) => lineOf(source, range.start)), ...pairs.map((pair) => pair.opener + 1)];
  const firstLine = changedLines.length > 0 ? Math.min(...changedLines) : undefined;
  return {
    source: rewritten.join("\n"),
    esm,
    codeBlocks,
    admonitions: pairs.length,
    asides: asides.filter((aside) => pairs.some((pair) => pair.opener + 1 === aside.line)),
    ...(firstLine === undefined ? {} : { firstLine }),
  };
}

/**
 * Finishes the block quotes that `rewriteMdxSyntax` made of admonitions in `tree` (the parse of
 * its source): the label becomes a paragraph of its own (the hard break that kept it apart from
 * text on the next line goes), so it is shown and heard as a label, not run into the text; an
 * untitled one is marked with its kind, so its label can be put in the document's language.
 */
export function markAdmonitions(tree: Root, asides: MdxSyntaxResult["asides"]): void {
  if (asides.length === 0) return;
  const byLine = new Map(asides.map((aside) => [aside.line, aside]));
  const visit = (node: Nodes): void => {
    if (node.type === "blockquote") {
      const aside = byLine.get(node.position?.start.line ?? -1);
      if (aside !== undefined) {
        if (!aside.titled) node.data = { ...node.data, lecternAdmonition: aside.kind };
        const first = node.children[0];
        if (first?.type === "paragraph" && first.children[0]?.type === "strong" && first.children[1]?.type === "break" && first.children.length > 2) {
          const [label, , ...rest] = first.children;
          const labelEnd = label.position?.end;
          const restStart = rest[0]!.position?.start;
          node.children.splice(
            0,
            1,
            { type: "paragraph", children: [label], ...(first.position && labelEnd ? { position: { start: first.position.start, end: labelEnd } } : {}) },
            { type: "paragraph", children: rest, ...(first.position && restStart ? { position: { start: restStart, end: first.position.end } } : {}) },
          );
        }
      }
    }
    if ("children" in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
}

/**
 * The admonitions' labels in the document's language (English ones were written at parse
 * time). In a language without a catalogue they stay English and are marked so, as a
 * `languageSpan` in `en`, so every writer says and tags them in English, not the document's language.
 */
export function localizeAdmonitions(document: LecternDocument): LecternDocument {
  const { words, fallback, language } = wordsFor(document.metadata.language);
  const englishDocument = !fallback && words.admonitions === english.admonitions;
  if (englishDocument || !document.sections.some((section) => section.blocks.some(holdsAdmonition))) return document;
  const relabel = (node: Nodes): void => {
    const kind = node.type === "blockquote" ? node.data?.lecternAdmonition : undefined;
    if (node.type === "blockquote" && kind !== undefined) {
      const label = node.children[0]?.type === "paragraph" ? node.children[0].children[0] : undefined;
      const strong = label?.type === "strong" ? label : undefined;
      const text = strong?.children[0];
      if (strong && text?.type === "text" && fallback) {
        strong.children = [{ type: "languageSpan", data: { lang: language, hName: "span", hProperties: { lang: language } }, children: [text] }];
      } else if (text?.type === "text") text.value = words.admonitions[kind];
    }
    if ("children" in node) for (const child of node.children as Nodes[]) relabel(child);
  };
  const sections = document.sections.map((section) => {
    if (!section.blocks.some(holdsAdmonition)) return section;
    // The parsed blocks are shared and read-only: the relabelled ones are copies.
    const blocks = section.blocks.map((block) => {
      if (!holdsAdmonition(block)) return block;
      const copy = structuredClone(block);
      relabel(copy);
      return copy;
    });
    return { ...section, blocks };
  });
  return { ...document, sections };
}

function holdsAdmonition(node: RootContent | Blockquote | Nodes): boolean {
  if (node.type === "blockquote" && node.data?.lecternAdmonition !== undefined) return true;
  return "children" in node && (node.children as Nodes[]).some(holdsAdmonition);
}

/** One line saying what was done: `2 import/export lines and 1 mdx-code-block removed; 2 admonitions shown as quoted asides`. */
export function describeMdxSyntax(result: MdxSyntaxResult): string {
  const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const removed = [
    ...(result.esm > 0 ? [plural(result.esm, "import/export statement", "import/export statements")] : []),
    ...(result.codeBlocks > 0 ? [plural(result.codeBlocks, "`mdx-code-block` fence", "`mdx-code-block` fences")] : []),
  ];
  const parts = [
    ...(removed.length > 0 ? [`${removed.join(" and ")} removed: MDX syntax that only the site's build understands would be printed and read aloud as written`] : []),
    ...(result.admonitions > 0 ? [`${plural(result.admonitions, "admonition (`:::`)", "admonitions (`:::`)")} shown as quoted asides with their label`] : []),
  ];
  return parts.join("; ");
}

/** For each line of `source`, whether it starts inside a protected range. */
function protectedLines(source: string, ranges: readonly ProtectedRange[]): boolean[] {
  const flags: boolean[] = [];
  let offset = 0;
  let rangeIndex = 0;
  for (const line of source.split("\n")) {
    while (rangeIndex < ranges.length && ranges[rangeIndex]!.end <= offset) rangeIndex++;
    const range = ranges[rangeIndex];
    flags.push(range !== undefined && range.start <= offset + line.length);
    offset += line.length + 1;
  }
  return flags;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let index = source.indexOf("\n"); index !== -1 && index < offset; index = source.indexOf("\n", index + 1)) line++;
  return line;
}

/** Backslash before every ASCII punctuation character: the label reads as written, never as markup. */
function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, "\\$&");
}
