// The Markdown reader: CommonMark + GFM + YAML front matter, parsed by remark into mdast.
import type { Nodes, Root } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { parseFrontMatter, type FrontMatter } from "./front-matter.js";
import { liftHtmlHeadings } from "./html-headings.js";
import { describeSiteSyntax, mayHoldSiteSyntax, removeSiteSyntax, type ProtectedRange } from "./site-syntax.js";
import type { Message } from "../messages.js";

export interface MarkdownParse {
  readonly tree: Root;
  readonly frontMatter: FrontMatter;
  readonly messages: Message[];
}

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ["yaml"]);

/**
 * Parses Markdown source; front matter errors throw `LecternError` with the line. Hugo
 * shortcodes and Liquid tags outside code are taken out first (src/document/site-syntax.ts),
 * with one warning naming them. Headings written as raw HTML blocks become headings
 * (src/document/html-headings.ts).
 */
export function parseMarkdown(source: string, file: string): MarkdownParse {
  let tree = parser.runSync(parser.parse(source)) as Root;
  const messages: Message[] = [];
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
  const yamlNode = tree.children.find((node) => node.type === "yaml");
  if (!yamlNode) return { tree, frontMatter: {}, messages };
  const parsed = parseFrontMatter(yamlNode.value, file, yamlNode.position?.start.line ?? 1);
  return { tree, frontMatter: parsed.metadata, messages: [...parsed.messages, ...messages] };
}

/** Source ranges that show their text as written: code blocks, code spans and front matter. */
function shownAsWritten(tree: Root): ProtectedRange[] {
  const ranges: ProtectedRange[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "code" || node.type === "inlineCode" || node.type === "yaml") {
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
