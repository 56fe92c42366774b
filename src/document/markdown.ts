// The Markdown reader: CommonMark + GFM + YAML or TOML front matter, parsed by remark into mdast.
import type { Nodes, Root } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { isToml, parseFrontMatter, type FrontMatter } from "./front-matter.js";
import { parseTomlFrontMatter } from "./toml-front-matter.js";
import { removeHeadingAttributes } from "./heading-attributes.js";
import { liftHtmlHeadings } from "./html-headings.js";
import { describeMdxSyntax, markAdmonitions, mayHoldMdxSyntax, rewriteMdxSyntax } from "./mdx-syntax.js";
import { describeSiteSyntax, mayHoldSiteSyntax, removeSiteSyntax, type ProtectedRange } from "./site-syntax.js";
import type { Message } from "../messages.js";

export interface MarkdownParse {
  readonly tree: Root;
  readonly frontMatter: FrontMatter;
  readonly messages: Message[];
}

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ["yaml", "toml"]);

/**
 * Parses Markdown source; front matter errors throw `LecternError` with the line. MDX's
 * imports/exports and `mdx-code-block` fences are taken out and its `:::` admonitions become
 * labelled block quotes (src/document/mdx-syntax.ts), with one warning. Hugo
 * shortcodes and Liquid tags outside code are taken out first (src/document/site-syntax.ts),
 * with one warning naming them. Headings written as raw HTML blocks become headings
 * (src/document/html-headings.ts); heading attribute blocks (`{#id}`) are taken out of them
 * (src/document/heading-attributes.ts).
 */
export function parseMarkdown(written: string, file: string): MarkdownParse {
  let source = written;
  let tree = parser.runSync(parser.parse(source)) as Root;
  const messages: Message[] = [];
  if (mayHoldMdxSyntax(source)) {
    const mdx = rewriteMdxSyntax(source, tree, shownAsWritten(tree));
    if (mdx.source !== source) {
      source = mdx.source;
      tree = parser.runSync(parser.parse(source)) as Root;
      markAdmonitions(tree, mdx.asides);
    }
    if (mdx.firstLine !== undefined) {
      messages.push({ severity: "warning", rule: "mdx-syntax-removed", reason: describeMdxSyntax(mdx), source: "read", file, line: mdx.firstLine });
    }
  }
  if (mayHoldSiteSyntax(source)) {
    const site = removeSiteSyntax(source, shownAsWritten(tree));
    if (site.source !== source) tree = parser.runSync(parser.parse(site.source)) as Root;
    const first = site.removed[0];
    if (first) {
      messages.push({
        severity: "warning",
        rule: "site-syntax-removed",
        reason: `${describeSiteSyntax(site.removed)} removed: static-site template syntax that only the site generator understands would be printed and read aloud as written (a Hugo \`figure\` is kept as an image)`,
        source: "read",
        file,
        line: first.line,
        column: first.column,
      });
    }
  }
  liftHtmlHeadings(tree);
  removeHeadingAttributes(tree);
  const block = frontMatterBlock(tree);
  if (!block) return { tree, frontMatter: {}, messages };
  const parsed = block.toml ? parseTomlFrontMatter(block.value, file, block.line) : parseFrontMatter(block.value, file, block.line);
  return { tree, frontMatter: parsed.metadata, messages: [...parsed.messages, ...messages] };
}

/** The front matter block at the top, YAML or TOML, with the line of its opening fence. */
function frontMatterBlock(tree: Root): { toml: boolean; value: string; line: number } | undefined {
  // Read as plain nodes: mdast's types know `yaml` but not remark-frontmatter's `toml`.
  for (const node of tree.children as readonly { type: string; value?: unknown; position?: Nodes["position"] }[]) {
    if ((node.type === "yaml" || isToml(node)) && typeof node.value === "string") return { toml: node.type === "toml", value: node.value, line: node.position?.start.line ?? 1 };
  }
  return undefined;
}

/** Source ranges that show their text as written: code blocks, code spans and front matter. */
function shownAsWritten(tree: Root): ProtectedRange[] {
  const ranges: ProtectedRange[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "code" || node.type === "inlineCode" || node.type === "yaml" || isToml(node)) {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined) ranges.push({ start, end });
      return;
    }
    if ("children" in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
  return ranges.sort((a, b) => a.start - b.start);
}
