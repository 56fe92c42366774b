// Says what the sanitizer will take out of a piece of raw HTML, so the author learns of it.
import type { Nodes, Root } from "hast";
import { raw } from "hast-util-raw";
import { sanitize } from "hast-util-sanitize";
import { find, html as htmlSchema } from "property-information";
import { chapterSchema } from "./sanitize-schema.js";

/**
 * Parses one raw HTML node of the source on its own and sanitizes it with the chapter
 * schema; returns what disappeared (`<script>`, `onclick`, `javascript: URL`), each once, in
 * order. Empty when the HTML passes unchanged. The book itself is sanitized as a whole
 * (chapters.ts); this only names the losses, with the line they came from.
 */
export function removedByAllowList(html: string): string[] {
  const parsed = raw({ type: "root", children: [{ type: "raw", value: html }] } as Root) as Root;
  const before = inventory(parsed);
  const after = inventory(sanitize(parsed, chapterSchema) as Root);
  const removed: string[] = [];
  for (const [item, count] of before) {
    if ((after.get(item) ?? 0) < count && !removed.includes(item)) removed.push(item);
  }
  return removed;
}

function inventory(tree: Root): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (item: string) => counts.set(item, (counts.get(item) ?? 0) + 1);
  const walk = (node: Nodes): void => {
    if (node.type === "element") {
      add(`<${node.tagName}>`);
      for (const [name, value] of Object.entries(node.properties)) {
        if (value === undefined || value === null || value === false) continue;
        if (typeof value === "string" && /^\s*javascript:/i.test(value)) add("`javascript:` URL");
        else add(`\`${find(htmlSchema, name).attribute}\` attribute`);
      }
    }
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return counts;
}
