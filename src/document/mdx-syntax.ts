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
import type { Nodes, Root } from "mdast";
import type { ProtectedRange } from "./site-syntax.js";

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
  /** 1-based line of the first change, when there is one. */
  readonly firstLine?: number;
}

/** The cheap check before any work: the source may hold MDX syntax. */
export function mayHoldMdxSyntax(source: string): boolean {
  return source.includes(":::") || /^(?:import|export)\s/m.test(source) || source.includes("mdx-code-block");
}

/** An ESM statement as MDX reads it at the top level: `import X from 'y'`, `import 'y'`, `export const …`. */
const esmPattern = /^(?:import\s+(?:['"]|[\w$*{][^\n]*?\s+from\s+['"])|import\s*\{|export\s+(?:default|const|let|var|function|async|class|\{|\*)\b)/;

/** The kinds of admonition Docusaurus and VuePress know, and the label each is shown with when it gives no title. */
const admonitionLabels: Readonly<Record<string, string>> = {
  note: "Note",
  tip: "Tip",
  info: "Info",
  warning: "Warning",
  danger: "Danger",
  caution: "Caution",
  important: "Important",
};

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
      esm += source.slice(start, end).split("\n").filter((line) => /^(?:import|export)\b/.test(line)).length;
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
    const kind = opener?.[2]?.toLowerCase();
    if (!opener || kind === undefined || !(kind in admonitionLabels)) return;
    const title = (opener[3] ?? opener[4] ?? "").trim();
    openers.push({ colons: opener[1]!.length, line: index, label: title || admonitionLabels[kind]!, depth: openers.length });
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
  return { source: rewritten.join("\n"), esm, codeBlocks, admonitions: pairs.length, ...(firstLine === undefined ? {} : { firstLine }) };
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
