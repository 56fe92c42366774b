// The allow-list that raw HTML and rendered Markdown pass through before they reach a book.
import type { Schema } from "hast-util-sanitize";

/**
 * Elements, attributes and URL schemes a chapter may contain. Everything else is removed:
 * `script`, `iframe`, event handlers (`onclick`) and `javascript:` URLs never survive, and
 * the elements in `strip` lose their text too, so a script's source is never shown or read.
 *
 * Left out on purpose:
 * - `id`, `name` and `aria-labelledby`/`aria-describedby`: every id in the book is made by
 *   Lectern (headings, note references), so none can clash (EPUBCheck RSC-005 duplicate id)
 *   and no ARIA reference can point at an id that is gone.
 * - boolean attributes (`checked`, `open`…): XHTML needs `checked="checked"`, which the
 *   serializer cannot write; task-list boxes are turned into text before sanitizing.
 * - `input` and other form controls: a book is not a form (and an unlabeled control fails
 *   axe `label`).
 * - `align` and other presentational attributes, obsolete in HTML 5 (EPUBCheck RSC-005);
 *   table alignment travels as an `align-*` class instead.
 */
export const chapterSchema: Schema = {
  strip: ["script", "style", "noscript", "template", "iframe", "object", "embed", "textarea", "select", "title", "svg", "math"],
  clobber: [],
  clobberPrefix: "",
  allowComments: false,
  allowDoctypes: false,
  tagNames: [
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
  ],
  ancestors: {
    tbody: ["table"],
    td: ["table"],
    th: ["table"],
    thead: ["table"],
    tfoot: ["table"],
    tr: ["table"],
    caption: ["table"],
    colgroup: ["table"],
    col: ["table"],
  },
  attributes: {
    // `lang`/`dir` everywhere: inline text in another language keeps its language
    // (WCAG 3.1.2 Language of Parts), e.g. `<span lang="ar" dir="rtl">`.
    "*": ["lang", "dir", "title", "ariaLabel", "ariaHidden", "role", "epub:type"],
    a: ["href"],
    img: ["src", "alt", "width", "height"],
    blockquote: ["cite"],
    q: ["cite"],
    del: ["cite", "dateTime"],
    ins: ["cite", "dateTime"],
    time: ["dateTime"],
    abbr: [],
    ol: ["start", ["type", "1", "a", "A", "i", "I"]],
    code: [["className", /^language-[\w+#-]+$/]],
    span: [["className", "task-state", "image-omitted"]],
    li: [["className", "task-list-item"]],
    ul: [["className", "contains-task-list"]],
    td: ["colSpan", "rowSpan", ["className", "align-left", "align-center", "align-right"]],
    th: ["colSpan", "rowSpan", "scope", ["className", "align-left", "align-center", "align-right"]],
    sup: [["className", "noteref"]],
  },
  required: {},
  protocols: {
    // Remote image URLs pass here so the image stage can name them in its warning; they are
    // never fetched (see assets.ts).
    href: ["http", "https", "mailto"],
    src: ["http", "https", "lectern-image"],
    cite: ["http", "https"],
  },
};
