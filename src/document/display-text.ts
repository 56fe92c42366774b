// Titles, author and description as clean, bounded plain text: computed once here, shown by every stage.
//
// Every output puts these strings somewhere markup is not expected — the EPUB's navigation
// and `<title>`, the OPF's `dc:description`, PDF bookmarks and the Info dictionary, XMP, ID3
// frames, M3U and WebVTT headers, file names. So they are derived from the document tree the
// way a browser shows it (raw HTML parsed by a real HTML parser, its text kept, its tags,
// scripts, styles and comments gone), and stripped of characters that can make a string
// display as something else (bidi overrides — "Trojan Source", CVE-2021-42574 —, invisible
// format characters, line separators, control characters).
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from "hast";
import { raw } from "hast-util-raw";
import type { Nodes } from "mdast";
import { toHast } from "mdast-util-to-hast";
import { isBadge } from "./badges.js";

/** Longest document or section title kept (a title is a line in a table of contents, not a paragraph). */
export const maxTitleLength = 300;
/** Longest single author name kept; a list of names is bounded by `maxAuthorsLength` as a whole. */
export const maxAuthorLength = 200;
/** Longest author line kept, all names together. */
export const maxAuthorsLength = 1000;
/** Longest description kept (EPUB `dc:description`, PDF Subject, XMP). */
export const maxDescriptionLength = 1000;
/** Longest other metadata line kept (publisher, source, evaluator). */
export const maxMetadataLineLength = 1000;
/** Longest keyword kept: a keyword is a word or a short phrase. */
export const maxKeywordLength = 100;
/** Most keywords kept: a site's tag cloud is not a subject list. */
export const maxKeywords = 50;

/**
 * Plain text of mdast content as a reader sees it: text and inline code kept; raw HTML
 * parsed as HTML (the text of `<kbd>`, `<em>`, `<span>`… kept; `<script>`, `<style>`,
 * `<template>`, comments and tags dropped); images and footnote references contribute nothing
 * (an image's description glued to the words beside it would read as one word). When that
 * leaves nothing, the images' descriptions (Markdown `![alt]`, HTML `<img alt>`) stand in —
 * except badges (src/document/badges.ts), which never name anything. Cleaned by
 * `cleanDisplayText`, not bounded.
 */
export function plainTextOf(node: Nodes): string {
  if (!containsHtml(node)) return cleanDisplayText(mdastText(node)) || cleanDisplayText(imageDescriptions(node).join(" "));
  const tree = htmlTree(node);
  // Markdown images become a space in the tree; their descriptions are taken from the mdast.
  return cleanDisplayText(hastText(tree)) || cleanDisplayText([...imageDescriptions(node), ...htmlImageDescriptions(tree)].join(" "));
}

/**
 * True when `node` shows a reader words (text, inline code, the text of raw HTML), not only
 * images, comments or markup: a logo block or a row of badges above a title shows none.
 */
export function hasVisibleText(node: Nodes): boolean {
  if (!containsHtml(node)) return cleanDisplayText(mdastText(node)) !== "";
  return cleanDisplayText(hastText(htmlTree(node))) !== "";
}

/**
 * Removes what can make a string display as something other than its words: C0/C1 control
 * characters (line breaks, tabs and U+2028/U+2029 become spaces), bidi embeddings, overrides
 * and isolates (U+202A–U+202E, U+2066–U+2069) and every other invisible format character
 * (Unicode Cf: marks, soft hyphens, zero-width spaces, U+FEFF, tag characters) except the
 * zero-width joiner and non-joiner that Persian, Indic scripts and emoji need, and emoji tag
 * sequences (subdivision flags). Hangul fillers (invisible letters) go; runs of combining
 * marks are capped at 8 ("Zalgo" text). Lone surrogates become U+FFFD. White space collapses.
 */
export function cleanDisplayText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, " ")
    .replace(/(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\p{Cc}\u115F\u1160\u3164\uFFA0]|(?![\u200C\u200D])\p{Cf}/gu, (match, flag: string | undefined) =>
      flag === undefined ? "" : match,
    )
    .replace(/(\p{M}{8})\p{M}+/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

export interface BoundedText {
  readonly text: string;
  /** True when the text was longer than the limit and was cut. */
  readonly cut: boolean;
  /** Length of the text before cutting, in UTF-16 code units (what `String.length` counts). */
  readonly length: number;
}

/**
 * Cuts `text` to at most `max` characters (UTF-16 code units, ellipsis included): at the last
 * space when one falls in the last 40 %, else at a grapheme boundary, so no letter loses its
 * accent and no emoji is split; then `…`.
 */
export function boundDisplayText(text: string, max: number): BoundedText {
  if (text.length <= max) return { text, cut: false, length: text.length };
  const room = max - 1;
  let end = 0;
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  if (end === 0) {
    // One grapheme longer than the limit (a chain of joined emoji): cut between code points.
    for (const character of text) {
      if (end + character.length > room) break;
      end += character.length;
    }
  }
  let head = text.slice(0, end);
  const space = head.lastIndexOf(" ");
  if (space > room * 0.6) head = head.slice(0, space);
  return { text: `${head.replace(/[\s,;:]+$/u, "")}…`, cut: true, length: text.length };
}

/**
 * A value quoted in a message: cleaned and cut to `max` characters, so a hostile value can
 * neither rewrite the terminal (escape sequences, bidi overrides) nor fill it.
 */
export function quotedValue(value: string, max = 80): string {
  return boundDisplayText(cleanDisplayText(value), max).text;
}

function containsHtml(node: Nodes): boolean {
  if (node.type === "html") return true;
  return "children" in node && (node.children as Nodes[]).some(containsHtml);
}

/** The `alt` of every Markdown image in `node`, in order. */
function imageDescriptions(node: Nodes): string[] {
  if (node.type === "image") return node.alt && !isBadge(node) ? [node.alt] : [];
  return "children" in node ? (node.children as Nodes[]).flatMap(imageDescriptions) : [];
}

/** mdast text of content without raw HTML: text and inline code; images (inline or by reference) are a word break. */
function mdastText(node: Nodes): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
      return node.value;
    case "image":
    case "imageReference":
    case "html":
    case "footnoteReference":
    case "footnoteDefinition":
    case "yaml":
      return " ";
    case "break":
      return " ";
    default:
      return "children" in node ? (node.children as Nodes[]).map(mdastText).join("") : "";
  }
}

/**
 * The content as an HTML tree: mdast → hast with raw HTML kept, then parsed with parse5 (via
 * hast-util-raw, as the EPUB parses it), so the HTML means what a browser makes of it.
 */
function htmlTree(node: Nodes): HastRoot {
  const children = node.type === "root" ? node.children : [node];
  const hast = toHast(
    { type: "root", children: children as never },
    {
      allowDangerousHtml: true,
      handlers: {
        footnoteReference: () => undefined,
        image: () => ({ type: "text", value: " " }),
      },
    },
  ) as HastRoot;
  // hast-util-raw maps positions onto parse5 and insists on offsets; titles need no positions.
  dropPositions(hast);
  return raw(hast) as HastRoot;
}

function dropPositions(node: HastRoot | HastContent): void {
  delete node.position;
  if ("children" in node) for (const child of node.children) dropPositions(child);
}

/** Elements whose content a reader never sees as text: scripts, styles, templates, embedded and form content. */
const hiddenElements = new Set([
  "script",
  "style",
  "template",
  "noscript",
  "title",
  "head",
  "meta",
  "link",
  "base",
  "textarea",
  "select",
  "option",
  "optgroup",
  "datalist",
  "iframe",
  "object",
  "embed",
  "frame",
  "frameset",
  "noframes",
  "noembed",
  "svg",
  "math",
  "canvas",
  "video",
  "audio",
  "picture",
  "source",
  "track",
  "img",
  "input",
  "button",
  "area",
  "map",
  "param",
  "rp",
]);

/** Elements that separate words (block boxes, line breaks): a space, so `a<br>b` is not `ab`. */
const separatingElements = new Set([
  "br",
  "hr",
  "p",
  "div",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "pre",
  "table",
  "tr",
  "td",
  "th",
  "caption",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "section",
  "article",
  "aside",
  "header",
  "footer",
  "nav",
  "figure",
  "figcaption",
  "address",
  "details",
  "summary",
]);

function hastText(tree: HastRoot): string {
  const parts: string[] = [];
  const visit = (node: HastRoot | ElementContent): void => {
    if (node.type === "text") {
      parts.push(node.value);
      return;
    }
    if (node.type === "element") {
      if (hiddenElements.has(node.tagName) || isHidden(node)) return;
      if (node.tagName === "sup" || node.tagName === "sub") {
        parts.push(scriptText(node, parts.join("")));
        return;
      }
      const separates = separatingElements.has(node.tagName);
      if (separates) parts.push(" ");
      for (const child of node.tagName === "template" ? [] : node.children) visit(child);
      if (separates) parts.push(" ");
      return;
    }
    if (node.type === "root") for (const child of node.children) visit(child as ElementContent);
    // Comments, doctypes and raw leftovers contribute nothing.
  };
  visit(tree);
  return parts.join("");
}

const superscripts: Readonly<Record<string, string>> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  "+": "⁺",
  "-": "⁻",
  "−": "⁻",
  "=": "⁼",
  "(": "⁽",
  ")": "⁾",
  n: "ⁿ",
  i: "ⁱ",
};
const subscripts: Readonly<Record<string, string>> = {
  "0": "₀",
  "1": "₁",
  "2": "₂",
  "3": "₃",
  "4": "₄",
  "5": "₅",
  "6": "₆",
  "7": "₇",
  "8": "₈",
  "9": "₉",
  "+": "₊",
  "-": "₋",
  "−": "₋",
  "=": "₌",
  "(": "₍",
  ")": "₎",
};

/**
 * A `<sup>` or `<sub>` in a plain title, as the page shows it: a power or an index in
 * Unicode's superscript and subscript characters (`m<sup>3</sup>` → `m³`, `H<sub>2</sub>O` →
 * `H₂O`, `2<sup>53</sup>` → `2⁵³`); a note call after a word (`FLOPS<sup>a</sup>`, `<sup>[1]</sup>`)
 * is no word of the title and is left out; anything else is kept as plain text.
 */
function scriptText(node: Element, before: string): string {
  const text = hastText({ type: "root", children: node.children }).trim();
  const table = node.tagName === "sup" ? superscripts : subscripts;
  const characters = [...text];
  if (characters.length > 0 && characters.every((character) => table[character] !== undefined)) {
    return characters.map((character) => table[character]).join("");
  }
  if (node.tagName === "sup" && /\S$/.test(before) && /^(?:\[?[\p{L}\d*†‡§]{1,3}\]?)$/u.test(text)) return "";
  return text;
}

/** The `alt` of every raw HTML `<img>` a reader would see (not inside hidden elements). */
function htmlImageDescriptions(tree: HastRoot): string[] {
  const found: string[] = [];
  const visit = (node: HastRoot | ElementContent): void => {
    if (node.type === "element") {
      if (node.tagName === "img" && typeof node.properties.alt === "string" && !isHidden(node)) found.push(node.properties.alt);
      if (hiddenElements.has(node.tagName) || isHidden(node)) return;
    }
    if ("children" in node) for (const child of node.children) visit(child as ElementContent);
  };
  visit(tree);
  return found;
}

/**
 * Whether a reader never sees an element's content as text (scripts, styles, embedded and form
 * content, images, `hidden`): the one rule for titles here and for spoken block HTML.
 */
export function isHiddenHtmlElement(node: Element): boolean {
  return hiddenElements.has(node.tagName) || isHidden(node);
}

/** Whether an element is a block box or a line break, so the words before and after it are apart. */
export function separatesHtmlWords(tagName: string): boolean {
  return separatingElements.has(tagName);
}

function isHidden(node: Element): boolean {
  const hidden = node.properties.hidden;
  return hidden !== undefined && hidden !== null && hidden !== false;
}
