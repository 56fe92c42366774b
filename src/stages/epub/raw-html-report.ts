// Says what the sanitizer will take out of a piece of raw HTML, so the author learns of it.
import type { Nodes, Root } from "hast";
import { raw } from "hast-util-raw";
import { sanitize } from "hast-util-sanitize";
import { find, html as htmlSchema } from "property-information";
import { repairContentModel, repairLanguageTags } from "./content-model.js";
import { chapterSchema } from "./sanitize-schema.js";

/**
 * Parses one raw HTML node of the source on its own, sanitizes it with the chapter schema and
 * repairs it as chapters.ts does (content-model.ts); returns what disappeared (`<script>`,
 * `onclick`, `javascript: URL`) and what was repaired (`` `<li>` outside its list``), each
 * once, in order; both empty when the HTML passes unchanged. The book itself is sanitized as a whole
 * (chapters.ts); this only names the losses, with the line they came from.
 */
export function removedByAllowList(html: string): { readonly removed: readonly string[]; readonly repaired: readonly string[] } {
  const parsed = raw({ type: "root", children: [{ type: "raw", value: html }] } as Root) as Root;
  const before = inventory(parsed);
  const safe = sanitize(parsed, chapterSchema) as Root;
  // Counted before the repairs: an orphan `<li>` turned `<div>` is repaired, not removed.
  const after = inventory(safe);
  const repaired = [...repairContentModel(safe), ...repairLanguageTags(safe)];
  const removed: string[] = [];
  for (const [item, count] of before) {
    if ((after.get(item) ?? 0) < count && !removed.includes(item)) removed.push(item);
  }
  return { removed, repaired };
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
