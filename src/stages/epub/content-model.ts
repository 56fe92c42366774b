// Repairs what the HTML parser lets through but EPUB's XHTML content model rejects (EPUBCheck
// RSC-005): list items outside lists, block elements inside headings and paragraphs, captions
// outside figures, ruby text outside ruby, language tags that are not BCP 47.
import type { Element, ElementContent, Parents, Root } from "hast";
import { canonicalLanguage } from "../../document/front-matter.js";
import { element, text } from "./hast-builders.js";

/** Elements whose content is phrasing only (HTML §3.2.5.2.5 and each element's content model). */
const phrasingParents = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "pre",
  "span",
  "em",
  "strong",
  "b",
  "i",
  "u",
  "s",
  "small",
  "mark",
  "code",
  "kbd",
  "samp",
  "var",
  "sub",
  "sup",
  "abbr",
  "cite",
  "dfn",
  "q",
  "time",
  "bdi",
  "bdo",
  "ruby",
  "rt",
  "rp",
]);

/** Transparent elements: their content model is their parent's. */
const transparent = new Set(["a", "del", "ins"]);

/** Elements that are flow content but not phrasing content: never valid inside `phrasingParents`. */
const flowOnly = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "ul",
]);

/** Void flow elements: nothing to keep when they stand where they cannot. */
const voidFlow = new Set(["hr"]);

/** Where each table part may stand: its parent. Elsewhere (left by an unwrapped table) it is unwrapped. */
const tablePartParents: ReadonlyMap<string, readonly string[]> = new Map([
  ["caption", ["table"]],
  ["colgroup", ["table"]],
  ["thead", ["table"]],
  ["tbody", ["table"]],
  ["tfoot", ["table"]],
  ["tr", ["table", "thead", "tbody", "tfoot"]],
  ["td", ["tr"]],
  ["th", ["tr"]],
  ["col", ["colgroup"]],
]);

const headings = ["h1", "h2", "h3", "h4", "h5", "h6"];
/**
 * Elements that may not stand anywhere inside the key (HTML's content models, which EPUBCheck's
 * XHTML schema and Schematron enforce): `<dfn>` in `<dfn>`, interactive content in `<a>`, `<time>`
 * in `<time>`, a table in its own caption, a heading in a term or a header cell. Only elements of
 * the sanitizer's allow-list are listed; the rest (`header`, `label`, `button`…) never get here.
 */
const forbiddenDescendants: ReadonlyMap<string, readonly string[]> = new Map([
  ["dfn", ["dfn"]],
  ["a", ["a"]],
  ["time", ["time"]],
  ["caption", ["table"]],
  ["dt", headings],
  ["th", headings],
]);

/**
 * Rewrites `tree` in place so every element sits where XHTML allows it, keeping all text:
 * - a block element inside phrasing content (`<hr>` in a heading, `<div>` in a `<span>`,
 *   `<li>` in a paragraph) is unwrapped (its children stay, between spaces) or, if void, removed;
 * - a `li` outside `ul`/`ol`, a `dd`/`dt` outside `dl`, a `figcaption` that is not the first or
 *   last child of a `figure` becomes a `div`; `rt`/`rp` outside `ruby` are unwrapped;
 * - content of `ul`/`ol` that is not a `li` goes into one, content of `dl` that is not a
 *   `dt`, `dd` or `div` into a `dd`;
 * - a table part whose parent cannot hold it (`tr` in a `caption`, once a table inside the
 *   caption is unwrapped) is unwrapped too, its cells' text between spaces;
 * - an element inside an ancestor that may not hold it (`forbiddenDescendants`: `<dfn>` in
 *   `<dfn>`, `<a>` in `<a>`, `<time>` in `<time>`, `<table>` in `<caption>`) is unwrapped;
 * - a `bdo` without `dir="ltr"`/`"rtl"` (required; the sanitizer drops other values) becomes a
 *   `span`: the direction it should force is unknown, and forcing one could reorder the text;
 * - a `datetime` that is no real date or time (`2026-02-30`, `24:61`; for `ins`/`del` a date
 *   with optional time only) is removed;
 * - `rp` inside `ruby` is removed: EPUB discourages it (EPUBCheck HTM-055), and what it holds
 *   is only the parentheses a reader without ruby support would show; a `ruby` is held to
 *   base-then-annotation (`(phrasing+, rt+)+`): an `rt` with no base before it becomes base text,
 *   text after the last `rt` moves out after the `ruby`, and a `ruby` left with no `rt` is unwrapped;
 * - a `dl` is held to `(dt+, dd+)*` or to `div`s each holding `(dt+, dd+)`: a mix is flattened,
 *   definitions before any term move out before the list as `div`s, a last term with no
 *   definition gets an empty `dd`;
 * - a table's parts are put in HTML's order: one caption first (further ones joined into it),
 *   column groups, one `thead`, the bodies, one `tfoot` (further heads and feet become bodies);
 * - a cell's `colspan` above 1000 or `rowspan` above 65534 (HTML's limits) is lowered to them.
 * Returns what was repaired, each once, for a warning.
 */
export function repairContentModel(tree: Root | Element): string[] {
  const repairs = new Set<string>();
  const walk = (parent: Parents, phrasing: boolean, grandparent: Parents | undefined, forbidden: ReadonlyMap<string, string>): void => {
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
      const partParents = tablePartParents.get(name);
      if (partParents !== undefined && !partParents.includes(parentName)) {
        repairs.add(`\`<${name}>\` outside its table`);
        const replacement: ElementContent[] = name === "col" ? [] : [text(" "), ...child.children, text(" ")];
        parent.children.splice(index, 1, ...replacement);
        continue;
      }
      const ancestor = forbidden.get(name);
      if (ancestor !== undefined) {
        repairs.add(`\`<${name}>\` inside \`<${ancestor}>\``);
        parent.children.splice(index, 1, ...child.children);
        continue;
      }
      if ((name === "rt" || name === "rp") && parentName !== "ruby") {
        // An empty one is a lone `<rt>` tag of an inline ruby, as raw-html-report.ts sees it: no repair.
        if (child.children.some(hasContent)) repairs.add(`\`<${name}>\` outside \`<ruby>\``);
        parent.children.splice(index, 1, ...child.children);
        continue;
      }
      const orphan =
        (name === "li" && parentName !== "ul" && parentName !== "ol") ||
        ((name === "dd" || name === "dt") && parentName !== "dl" && !(parentName === "div" && grandparent?.type === "element" && grandparent.tagName === "dl")) ||
        (name === "figcaption" && !isFigureCaption(parent, child));
      if (orphan) {
        repairs.add(`\`<${name}>\` outside its ${name === "li" ? "list" : name === "figcaption" ? "figure" : "definition list"}`);
        child.tagName = "div";
      }
      if (child.tagName === "ul" || child.tagName === "ol") wrapStrayContent(child, "li", new Set(["li"]), repairs);
      if (child.tagName === "dl") {
        wrapStrayContent(child, "dd", new Set(["dt", "dd", "div"]), repairs);
        const termless = groupDefinitionList(child, repairs);
        if (termless.length > 0) {
          // Looked at from here in this context, the list again after them (nothing left to move).
          if (child.children.length === 0)
            parent.children.splice(index, 1, ...termless); // nothing but definitions: no list is left
          else parent.children.splice(index, 0, ...termless);
          continue;
        }
      }
      if (child.tagName === "table") orderTableParts(child, repairs);
      if (typeof child.properties.dir === "string") child.properties.dir = child.properties.dir.toLowerCase(); // XHTML's values are lowercase
      if (child.tagName === "bdo" && child.properties.dir !== "ltr" && child.properties.dir !== "rtl") {
        repairs.add("`<bdo>` without a direction (as `<span>`)");
        child.tagName = "span";
      }
      repairDateTime(child, repairs);
      if (child.tagName === "td" || child.tagName === "th") limitSpans(child, repairs);
      const childPhrasing = phrasingParents.has(child.tagName) || (transparent.has(child.tagName) ? phrasing : false);
      const below = new Map(forbidden);
      for (const descendant of forbiddenDescendants.get(child.tagName) ?? []) if (!below.has(descendant)) below.set(descendant, child.tagName);
      walk(child, childPhrasing, parent, below);
      if (child.tagName === "ruby") {
        // After its content is repaired: an unwrapped block inside may leave an `rt` first.
        const trailing = repairRuby(child, repairs);
        if (trailing === undefined) {
          parent.children.splice(index, 1, ...child.children);
          continue; // looked at again in this context, where an `rt` is outside its ruby
        }
        parent.children.splice(index + 1, 0, ...trailing);
      }
      index += 1;
    }
  };
  walk(tree.type === "root" ? tree : { type: "root", children: [tree] }, false, undefined, new Map());
  return [...repairs];
}

function isFigureCaption(parent: Parents, caption: Element): boolean {
  if (parent.type !== "element" || parent.tagName !== "figure") return false;
  const elements = parent.children.filter((child): child is Element => child.type === "element");
  const captions = elements.filter((child) => child.tagName === "figcaption");
  return captions[0] === caption && (elements[0] === caption || elements.at(-1) === caption);
}

/** HTML's valid date and time strings (no durations or weeks: the sanitizer lets none through). */
const dateForm = /^(\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const timeForm = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;
const zoneForm = /(?:Z|[+-](\d{2}):?(\d{2}))$/;

function isRealDate(value: string, full: boolean): boolean {
  const match = dateForm.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return !full && Number(year) > 0;
  if (Number(year) === 0 || Number(month) < 1 || Number(month) > 12) return false;
  if (day === undefined) return !full;
  const y = Number(year);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(month) - 1]!;
  return Number(day) >= 1 && Number(day) <= last;
}

function isRealTime(value: string): boolean {
  const match = timeForm.exec(value);
  return match !== null && Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3] ?? 0) < 60;
}

/**
 * Whether `value` is a date or time HTML accepts in a `datetime`: for `time` a year, month, date,
 * time or date-time; for `ins`/`del` (`fullDate`) a date, optionally with a time.
 */
export function isValidDateTime(value: string, fullDate: boolean): boolean {
  const [date, rest] = value.split(/[T ]/, 2) as [string, string | undefined];
  if (rest === undefined) return isRealDate(date, fullDate) || (!fullDate && isRealTime(date));
  if (!isRealDate(date, true)) return false;
  const zone = zoneForm.exec(rest);
  if (zone && (Number(zone[1] ?? 0) > 23 || Number(zone[2] ?? 0) > 59)) return false;
  return isRealTime(zone ? rest.slice(0, zone.index) : rest);
}

function repairDateTime(node: Element, repairs: Set<string>): void {
  const value = node.properties.dateTime;
  if (value === undefined || !["time", "ins", "del"].includes(node.tagName)) return;
  if (typeof value === "string" && isValidDateTime(value, node.tagName !== "time")) return;
  repairs.add(`\`datetime="${String(value)}"\` on \`<${node.tagName}>\` (no real date: dropped)`);
  delete node.properties.dateTime;
}

/**
 * Holds `ruby` to base-then-annotation and drops its `rp`s. Returns what must follow the `ruby`
 * outside it (text after the last `rt`), or `undefined` when no annotation is left and the
 * `ruby` is to be unwrapped.
 */
function repairRuby(ruby: Element, repairs: Set<string>): ElementContent[] | undefined {
  const kept: ElementContent[] = [];
  let base = false;
  let lastAnnotation = -1;
  for (const child of ruby.children) {
    if (child.type === "element" && child.tagName === "rp") {
      repairs.add("`<rp>` (discouraged in EPUB: removed)");
      continue;
    }
    if (child.type === "element" && child.tagName === "rt") {
      if (!base) {
        repairs.add("`<rt>` with no base text before it (as base text)");
        kept.push(...child.children);
        base = child.children.some(hasContent);
        continue;
      }
      kept.push(child);
      lastAnnotation = kept.length - 1;
      base = false;
      continue;
    }
    if (hasContent(child)) base = true;
    kept.push(child);
  }
  if (lastAnnotation < 0) {
    // An empty `ruby` (a lone `<ruby>` tag, as raw-html-report.ts sees inline HTML) loses nothing.
    if (kept.some(hasContent)) repairs.add("`<ruby>` with no annotation (unwrapped)");
    ruby.children = kept;
    return undefined;
  }
  const trailing = kept.slice(lastAnnotation + 1);
  ruby.children = kept.slice(0, lastAnnotation + 1);
  if (trailing.some(hasContent)) repairs.add("text after the last `<rt>` of a `<ruby>` (moved after it)");
  return trailing;
}

function hasContent(node: ElementContent): boolean {
  return node.type === "element" || (node.type === "text" && node.value.trim() !== "");
}

const isElement = (node: ElementContent, name: string): node is Element => node.type === "element" && node.tagName === name;

/** Whether `items` (elements only) form `(dt+, dd+)+`. */
function isTermGroups(items: readonly Element[]): boolean {
  return items.length > 0 && items.every((item, index) => item.tagName === "dt" || (item.tagName === "dd" && index > 0)) && items.at(-1)!.tagName === "dd";
}

/**
 * Holds a `dl` (its stray content already in `dd`s) to `(dt+, dd+)*` or to `div`s each holding
 * one `(dt+, dd+)` run. Returns the definitions that had no term before them, as `div`s, for the
 * caller to put before the list.
 */
function groupDefinitionList(list: Element, repairs: Set<string>): Element[] {
  const items = list.children.filter((child): child is Element => child.type === "element");
  const divs = items.filter((item) => item.tagName === "div");
  if (divs.length > 0 && divs.length === items.length) {
    const groups = divs.map((div) => div.children.filter((child): child is Element => child.type === "element"));
    const loose = divs.some((div) => div.children.some((child) => child.type === "text" && child.value.trim() !== ""));
    if (!loose && groups.every((group) => group.every((item) => item.tagName === "dt" || item.tagName === "dd") && isTermGroups(group))) return [];
  }
  // Flattened: each `div`'s terms and definitions stand in the list, anything else in a `dd`.
  const flat: Element[] = [];
  for (const item of items) {
    if (item.tagName !== "div") {
      flat.push(item);
      continue;
    }
    let run: ElementContent[] = [];
    const flush = () => {
      if (run.some(hasContent)) flat.push(element("dd", {}, run));
      run = [];
    };
    for (const child of item.children) {
      if (isElement(child, "dt") || isElement(child, "dd")) {
        flush();
        flat.push(child);
      } else run.push(child);
    }
    flush();
  }
  const termless: Element[] = [];
  while (flat[0]?.tagName === "dd") {
    const definition = flat.shift()!;
    definition.tagName = "div";
    termless.push(definition);
  }
  if (flat.at(-1)?.tagName === "dt") flat.push(element("dd"));
  const before = items.map((item) => item.tagName).join();
  if (divs.length > 0 || termless.length > 0 || flat.map((item) => item.tagName).join() !== before) {
    repairs.add("`<dl>` not made of terms each followed by definitions");
  }
  list.children = flat;
  return termless;
}

/** HTML's largest `colspan` and `rowspan`. */
const spanLimits = { colSpan: 1000, rowSpan: 65534 } as const;

function limitSpans(cell: Element, repairs: Set<string>): void {
  for (const [property, limit] of Object.entries(spanLimits)) {
    const value = Number(cell.properties[property]);
    if (Number.isFinite(value) && value > limit) {
      repairs.add(`\`${property.toLowerCase()}\` above ${limit} (lowered to it)`);
      cell.properties[property] = limit;
    }
  }
}

/** Rank of a table part in HTML's order: caption, column groups, head, bodies (and rows), foot. */
const tablePartRank: Readonly<Record<string, number>> = { caption: 0, colgroup: 1, thead: 2, tbody: 3, tr: 3, tfoot: 4 };

/** Puts a table's parts in HTML's order, one caption, head and foot at most; no part or text is lost. */
function orderTableParts(table: Element, repairs: Set<string>): void {
  const parts = table.children.filter((child): child is Element => child.type === "element");
  const ordered: Element[] = [];
  let caption: Element | undefined;
  let head: Element | undefined;
  let foot: Element | undefined;
  for (const part of parts) {
    if (part.tagName === "caption") {
      if (caption) caption.children.push(text(" "), ...part.children);
      else ordered.push((caption = part));
    } else if (part.tagName === "thead" && !head) ordered.push((head = part));
    else if (part.tagName === "tfoot" && !foot) ordered.push((foot = part));
    else {
      if (part.tagName === "thead" || part.tagName === "tfoot") part.tagName = "tbody";
      ordered.push(part);
    }
  }
  const rank = (part: Element) => tablePartRank[part.tagName] ?? 3;
  ordered.sort((a, b) => rank(a) - rank(b)); // stable: bodies keep their order
  const before = parts.map((part) => part.tagName).join();
  if (ordered.length !== parts.length || ordered.some((part, index) => part !== parts[index]) || ordered.map((part) => part.tagName).join() !== before) {
    repairs.add("table parts out of order (caption, column groups, head, bodies, foot)");
  }
  table.children = ordered;
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
