// Repairs what the HTML parser lets through but EPUB's XHTML content model rejects (EPUBCheck
// RSC-005): list items outside lists, block elements inside headings and paragraphs, captions
// outside figures, ruby text outside ruby, language tags that are not BCP 47.
import type { Element, ElementContent, Parents, Root } from "hast";
import { canonicalLanguage } from "../../document/front-matter.js";
import { element, text } from "./hast-builders.js";

/** Elements whose content is phrasing only (HTML §3.2.5.2.5 and each element's content model). */
const phrasingParents = new Set([
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "em", "strong", "b", "i", "u", "s", "small", "mark",
  "code", "kbd", "samp", "var", "sub", "sup", "abbr", "cite", "dfn", "q", "time", "bdi", "bdo", "ruby", "rt", "rp",
]);

/** Transparent elements: their content model is their parent's. */
const transparent = new Set(["a", "del", "ins"]);

/** Elements that are flow content but not phrasing content: never valid inside `phrasingParents`. */
const flowOnly = new Set([
  "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2",
  "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "ul",
]);

/** Void flow elements: nothing to keep when they stand where they cannot. */
const voidFlow = new Set(["hr"]);

/**
 * Rewrites `tree` in place so every element sits where XHTML allows it, keeping all text:
 * - a block element inside phrasing content (`<hr>` in a heading, `<div>` in a `<span>`,
 *   `<li>` in a paragraph) is unwrapped (its children stay, between spaces) or, if void, removed;
 * - a `li` outside `ul`/`ol`, a `dd`/`dt` outside `dl`, a `figcaption` that is not the first or
 *   last child of a `figure` becomes a `div`; `rt`/`rp` outside `ruby` are unwrapped;
 * - content of `ul`/`ol` that is not a `li` goes into one, content of `dl` that is not a
 *   `dt`, `dd` or `div` into a `dd`.
 * Returns what was repaired, each once, for a warning.
 */
export function repairContentModel(tree: Root | Element): string[] {
  const repairs = new Set<string>();
  const walk = (parent: Parents, phrasing: boolean, grandparent: Parents | undefined): void => {
    const parentName = parent.type === "element" ? parent.tagName : "";
    let index = 0;
    while (index < parent.children.length) {
      const child = parent.children[index]!;
      if (child.type !== "element") {
        index += 1;
        continue;
      }
      const name = child.tagName;
      const where = parentName ? `<${parentName}>` : "the text";
      if (phrasing && flowOnly.has(name)) {
        repairs.add(`\`<${name}>\` inside ${where}`);
        const replacement: ElementContent[] = voidFlow.has(name) ? [text(" ")] : [text(" "), ...child.children, text(" ")];
        parent.children.splice(index, 1, ...replacement);
        continue; // the unwrapped children are looked at in this context
      }
      if ((name === "rt" || name === "rp") && parentName !== "ruby") {
        repairs.add(`\`<${name}>\` outside \`<ruby>\``);
        parent.children.splice(index, 1, ...child.children);
        continue;
      }
      const orphan =
        (name === "li" && parentName !== "ul" && parentName !== "ol") ||
        ((name === "dd" || name === "dt") &&
          parentName !== "dl" &&
          !(parentName === "div" && grandparent?.type === "element" && grandparent.tagName === "dl")) ||
        (name === "figcaption" && !isFigureCaption(parent, child));
      if (orphan) {
        repairs.add(`\`<${name}>\` outside its ${name === "li" ? "list" : name === "figcaption" ? "figure" : "definition list"}`);
        child.tagName = "div";
      }
      if (child.tagName === "ul" || child.tagName === "ol") wrapStrayContent(child, "li", new Set(["li"]), repairs);
      if (child.tagName === "dl") wrapStrayContent(child, "dd", new Set(["dt", "dd", "div"]), repairs);
      const childPhrasing = phrasingParents.has(child.tagName) || (transparent.has(child.tagName) ? phrasing : false);
      walk(child, childPhrasing, parent);
      index += 1;
    }
  };
  walk(tree.type === "root" ? tree : { type: "root", children: [tree] }, false, undefined);
  return [...repairs];
}

function isFigureCaption(parent: Parents, caption: Element): boolean {
  if (parent.type !== "element" || parent.tagName !== "figure") return false;
  const elements = parent.children.filter((child): child is Element => child.type === "element");
  const captions = elements.filter((child) => child.tagName === "figcaption");
  return captions[0] === caption && (elements[0] === caption || elements.at(-1) === caption);
}

/** Puts runs of children a list (or definition list) may not hold into `wrapper` elements. */
function wrapStrayContent(list: Element, wrapper: string, allowed: ReadonlySet<string>, repairs: Set<string>): void {
  const children: ElementContent[] = [];
  let run: ElementContent[] = [];
  const flush = () => {
    if (run.some((child) => child.type !== "text" || child.value.trim() !== "")) {
      repairs.add(`content directly inside \`<${list.tagName}>\``);
      children.push(element(wrapper, {}, run));
    } else {
      children.push(...run);
    }
    run = [];
  };
  for (const child of list.children) {
    if (child.type === "element" && allowed.has(child.tagName)) {
      flush();
      children.push(child);
    } else if (child.type === "text" || child.type === "element") {
      run.push(child);
    }
  }
  flush();
  list.children = children;
}

/**
 * `lang` values as BCP 47 tags (EPUBCheck RSC-005 on `xml:lang`, WCAG 3.1.2): `en_US` becomes
 * `en-US`; a value that is no language tag at all is removed. An empty (or blank) `lang` ("language
 * unknown") is valid and kept. Returns the values removed or rewritten, for a warning.
 */
export function repairLanguageTags(tree: Root | Element): string[] {
  const repairs = new Set<string>();
  const visit = (node: Parents): void => {
    for (const child of node.children) {
      if (child.type !== "element") continue;
      const lang = child.properties.lang;
      if (typeof lang === "string" && lang.trim() === "") child.properties.lang = "";
      else if (typeof lang === "string") {
        const tag = canonicalLanguage(lang);
        if (tag === undefined) {
          repairs.add(`\`lang="${lang}"\` (no language tag: dropped)`);
          delete child.properties.lang;
        } else if (tag !== lang) {
          repairs.add(`\`lang="${lang}"\` (as \`${tag}\`)`);
          child.properties.lang = tag;
        }
      }
      visit(child);
    }
  };
  visit(tree.type === "root" ? tree : { type: "root", children: [tree] });
  return [...repairs];
}

/** The book's language as a BCP 47 tag, whatever the metadata holds: canonical, or `en` when it is none. */
export function bookLanguageTag(language: string): string {
  return canonicalLanguage(language) ?? "en";
}
