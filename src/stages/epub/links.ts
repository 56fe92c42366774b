// Links inside the book: fragment links pointed at the file that holds their target,
// links to files outside the book unwrapped (EPUBCheck RSC-007/RSC-012 would reject them).
import type { Element, ElementContent, Root } from "hast";
import { accessibleText, replaceChild, visitElements } from "./chapters.js";
import { text } from "./hast-builders.js";
import { classifyLink, followableHref } from "../shared/link-safety.js";
import type { Reporter } from "./chapters.js";

export interface LinkedFile {
  /** File name inside the package (`03-tables.xhtml`). */
  readonly file: string;
  /** The file's body content; links are rewritten in place. */
  readonly body: Root;
}

/**
 * `anchors` maps what an author may write after `#` (a GitHub-style heading slug, a section
 * slug) to `file#id`. A fragment that names an id in the same file stays as it is.
 */
export function resolveLinks(
  files: readonly LinkedFile[],
  anchors: ReadonlyMap<string, string>,
  report: Reporter,
  lineOf: (href: string) => number | undefined = () => undefined,
): void {
  for (const { file, body } of files) {
    const ids = new Set<string>();
    visitElements(body, (node) => {
      if (typeof node.properties.id === "string") ids.add(node.properties.id);
    });
    const unwrap: { node: Element; parent: Parameters<typeof replaceChild>[0] }[] = [];
    visitElements(body, (node, ancestors) => {
      if (node.tagName !== "a") return;
      const parent = ancestors.at(-1);
      if (typeof node.properties.href !== "string") {
        // The sanitizer took its URL (`javascript:`…): what is left is text, not a link.
        if (parent) unwrap.push({ node, parent });
        return;
      }
      const href = node.properties.href;
      if (classifyLink(href).kind === "followable") {
        // A link needs a name (WCAG 2.4.4, axe `link-name`): an empty one shows its address.
        if (!accessibleText(node).trim()) node.children.push(text(href.replace(/^mailto:/i, "")));
        // Raw HTML can hold `href="https://a.com/a b"`: percent-encoded, or dropped if no URL at all.
        const valid = followableHref(href);
        if (valid !== undefined) {
          node.properties.href = valid;
          return;
        }
        report("link-invalid", `link to \`${href.slice(0, 60)}\` is not a valid URL; its text is kept without the link`, lineOf(href));
        if (parent) unwrap.push({ node, parent });
        return;
      }
      if (href.startsWith("#")) {
        let fragment = href.slice(1);
        try {
          fragment = decodeURIComponent(fragment);
        } catch {
          // keep as written
        }
        if (ids.has(fragment)) return;
        const target = anchors.get(fragment) ?? anchors.get(fragment.toLowerCase());
        if (target) {
          node.properties.href = target.startsWith(`${file}#`) ? target.slice(file.length) : target;
          return;
        }
        report(
          "link-target-missing",
          fragment
            ? `link to \`${href}\` points at no heading in the document; its text is kept without the link`
            : "a link to `#` has no target; its text is kept without the link",
          lineOf(href),
        );
      } else {
        report("link-relative-dropped", `link to \`${href}\` points at a file that is not part of the book; its text is kept without the link`, lineOf(href));
      }
      if (parent) unwrap.push({ node, parent });
    });
    for (const { node, parent } of unwrap) replaceChild(parent, node, node.children as ElementContent[]);
    // `cite` (blockquote, q, del, ins) is a URL too: the same rule, without a warning (it is never shown).
    visitElements(body, (node) => {
      if (typeof node.properties.cite !== "string") return;
      const valid = followableHref(node.properties.cite);
      if (valid === undefined) delete node.properties.cite;
      else node.properties.cite = valid;
    });
  }
}
