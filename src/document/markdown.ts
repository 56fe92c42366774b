// The Markdown reader: CommonMark + GFM + YAML front matter, parsed by remark into mdast.
import type { Root } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { parseFrontMatter, type FrontMatter } from "./front-matter.js";
import type { Message } from "../messages.js";

export interface MarkdownParse {
  readonly tree: Root;
  readonly frontMatter: FrontMatter;
  readonly messages: Message[];
}

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ["yaml"]);

/** Parses Markdown source; front matter errors throw `LecternError` with the line. */
export function parseMarkdown(source: string, file: string): MarkdownParse {
  const tree = parser.runSync(parser.parse(source)) as Root;
  const yamlNode = tree.children.find((node) => node.type === "yaml");
  if (!yamlNode) return { tree, frontMatter: {}, messages: [] };
  const { metadata, messages } = parseFrontMatter(yamlNode.value, file, yamlNode.position?.start.line ?? 1);
  return { tree, frontMatter: metadata, messages };
}
