// The allow-list that raw HTML and rendered Markdown pass through before they reach a book.
import type { Schema } from "hast-util-sanitize";
import { followableSchemes } from "../shared/link-safety.js";

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
const positiveInteger = /^[1-9]\d*$/;
const nonNegativeInteger = /^\d+$/;
/** HTML's date, month, year, time and global date-time forms (the usual ones, not durations). */
const dateOrTime = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$|^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

export const chapterSchema: Schema = {
  strip: ["script", "style", "noscript", "template", "iframe", "object", "embed", "textarea", "select", "title", "svg", "math"],
  clobber: [],
  clobberPrefix: "",
  allowComments: false,
  allowDoctypes: false,
  tagNames: [
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
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
    // Roles and `epub:type` only where Lectern's handlers put them: a role from raw HTML
    // (`role="button"` on a span) would make promises the book cannot keep (axe `aria-*`).
    // `dir` is matched in any case, as HTML reads it (`dir="RTL"`); content-model.ts lowercases it for XHTML.
    "*": ["lang", ["dir", /^(?:ltr|rtl|auto)$/i], "title", "ariaLabel"],
    a: ["href", ["role", "doc-noteref"], ["epub:type", "noteref"]],
    // Values are held to what HTML allows (EPUBCheck validates them: RSC-005), so a
    // `width="100%"` or `datetime="soon"` from raw HTML is dropped rather than shipped.
    img: ["src", "alt", ["width", positiveInteger], ["height", positiveInteger]],
    blockquote: ["cite"],
    q: ["cite"],
    del: ["cite", ["dateTime", dateOrTime]],
    ins: ["cite", ["dateTime", dateOrTime]],
    time: [["dateTime", dateOrTime]],
    ol: [
      ["start", /^-?\d+$/],
      ["type", "1", "a", "A", "i", "I"],
    ],
    code: [["className", /^language-[\w+#-]+$/]],
    span: [
      ["className", "task-state", "image-omitted"],
      ["role", "img"],
    ],
    li: [["className", "task-list-item"]],
    ul: [["className", "contains-task-list"]],
    td: [
      ["colSpan", positiveInteger],
      ["rowSpan", nonNegativeInteger],
      ["className", "align-left", "align-center", "align-right"],
    ],
    th: [
      ["colSpan", positiveInteger],
      ["rowSpan", nonNegativeInteger],
      ["scope", "row", "col", "rowgroup", "colgroup"],
      ["className", "align-left", "align-center", "align-right"],
    ],
    sup: [["className", "noteref"]],
  },
  required: {},
  protocols: {
    // Remote image URLs pass here so the image stage can name them in its warning; they are
    // never fetched (see assets.ts).
    href: [...followableSchemes],
    src: ["http", "https", "lectern-image"],
    cite: ["http", "https"],
  },
};
