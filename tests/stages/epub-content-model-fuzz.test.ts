// Random raw HTML built from the allow-list's elements, nested any way, parsed, sanitized and
// repaired as chapters.ts does: the result keeps every word and obeys the content-model rules
// EPUBCheck's XHTML schema and Schematron hold those elements to (content-model.ts).
import type { Element, Root, RootContent } from "hast";
import { raw } from "hast-util-raw";
import { sanitize } from "hast-util-sanitize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { repairContentModel, repairLanguageTags } from "../../src/stages/epub/content-model.js";
import { chapterSchema } from "../../src/stages/epub/sanitize-schema.js";

const tags = [
  "a",
  "abbr",
  "b",
  "bdi",
  "bdo",
  "blockquote",
  "caption",
  "cite",
  "code",
  "dd",
  "del",
  "dfn",
  "div",
  "dl",
  "dt",
  "em",
  "figcaption",
  "figure",
  "h2",
  "h3",
  "i",
  "ins",
  "li",
  "ol",
  "p",
  "pre",
  "q",
  "rt",
  "ruby",
  "span",
  "strong",
  "sub",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "time",
  "tr",
  "ul",
  "hr",
  "br",
  "colgroup",
  "col",
  "mark",
  "small",
  "kbd",
  "sup",
];
const attributes: Record<string, string[]> = {
  a: ["", ' href="https://example.org/"'],
  bdo: ["", ' dir="rtl"', ' dir="auto"', ' dir="LTR"', ' dir="up"'],
  time: ["", ' datetime="2026-01-05"', ' datetime="2026-02-30"', ' datetime="25:00"'],
  del: ["", ' datetime="10:00"', ' datetime="2026-01-05T10:00Z"'],
};

type Piece = string | { tag: string; attribute: number; children: Piece[] };
const piece: fc.Arbitrary<Piece> = fc.letrec<{ piece: Piece }>((tie) => ({
  piece: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("alpha", "beta", "gamma", "delta"),
    fc.record({ tag: fc.constantFrom(...tags), attribute: fc.nat(4), children: fc.array(tie("piece"), { maxLength: 4 }) }),
  ),
})).piece;

let word = 0;
function render(node: Piece): string {
  if (typeof node === "string") return ` w${(word += 1)}${node} `;
  const options = attributes[node.tag] ?? [""];
  return `<${node.tag}${options[node.attribute % options.length]}>${node.children.map(render).join("")}</${node.tag}>`;
}

const words = (text: string) => text.match(/w\d+[a-z]+/g) ?? [];
const phrasingParents = new Set([
  "p",
  "h2",
  "h3",
  "pre",
  "span",
  "em",
  "strong",
  "b",
  "i",
  "code",
  "sub",
  "mark",
  "small",
  "kbd",
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
]);
const flowOnly = new Set(["blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "h2", "h3", "hr", "li", "ol", "p", "pre", "table", "ul"]);
const forbidden: Record<string, string[]> = { dfn: ["dfn"], a: ["a"], time: ["time"], caption: ["table"], dt: ["h2", "h3"], th: ["h2", "h3"] };
const partParents: Record<string, string[]> = {
  caption: ["table"],
  colgroup: ["table"],
  col: ["colgroup"],
  thead: ["table"],
  tbody: ["table"],
  tfoot: ["table"],
  tr: ["table", "thead", "tbody", "tfoot"],
  td: ["tr"],
  th: ["tr"],
};

function textOf(node: Root | RootContent): string {
  if (node.type === "text") return node.value;
  return "children" in node ? node.children.map(textOf).join("") : "";
}

/** Every rule broken in `tree`, as readable strings. */
function violations(tree: Root): string[] {
  const found: string[] = [];
  const elementsOf = (node: Element) => node.children.filter((child): child is Element => child.type === "element");
  const walk = (node: Root | Element, ancestors: string[], phrasing: boolean): void => {
    const name = node.type === "element" ? node.tagName : "";
    for (const child of node.children) {
      if (child.type !== "element") continue;
      const tag = child.tagName;
      if (phrasing && flowOnly.has(tag)) found.push(`<${tag}> in phrasing <${name}>`);
      for (const ancestor of ancestors) if (forbidden[ancestor]?.includes(tag)) found.push(`<${tag}> inside <${ancestor}>`);
      if (partParents[tag] && !partParents[tag].includes(name)) found.push(`<${tag}> in <${name}>`);
      if (tag === "li" && name !== "ul" && name !== "ol") found.push(`<li> in <${name}>`);
      if ((tag === "dt" || tag === "dd") && name !== "dl" && !(name === "div" && ancestors.at(-1) === "dl")) found.push(`<${tag}> in <${name}>`);
      if (tag === "bdo" && child.properties.dir !== "ltr" && child.properties.dir !== "rtl") found.push(`<bdo dir=${String(child.properties.dir)}>`);
      if (tag === "ruby") {
        const parts = child.children.filter((part) => part.type === "element" || part.value.trim() !== "");
        const first = parts[0];
        if (parts.at(-1)?.type !== "element" || (parts.at(-1) as Element).tagName !== "rt") found.push("<ruby> not ending in <rt>");
        if (first?.type === "element" && first.tagName === "rt") found.push("<ruby> starting with <rt>");
      }
      if (tag === "dl") {
        const items = elementsOf(child);
        const groups =
          items.length > 0 && items.every((item) => item.tagName === "div")
            ? items.map((div) =>
                elementsOf(div)
                  .map((item) => item.tagName)
                  .join(" "),
              )
            : [items.map((item) => item.tagName).join(" ")];
        for (const group of groups) if (!/^(?:dt (?:dt )*dd(?: dd)*(?: |$))*$/.test(group)) found.push(`<dl> of ${group}`);
      }
      const allowedChildren: Record<string, string[]> = {
        ul: ["li"],
        ol: ["li"],
        table: ["caption", "colgroup", "thead", "tbody", "tr", "tfoot"],
        thead: ["tr"],
        tbody: ["tr"],
        tfoot: ["tr"],
        tr: ["td", "th"],
        colgroup: ["col"],
      };
      const allowed = allowedChildren[tag];
      if (allowed && child.children.some((part) => (part.type === "element" && !allowed.includes(part.tagName)) || (part.type === "text" && part.value.trim() !== ""))) {
        found.push(`<${tag}> holding what it may not`);
      }
      if (tag === "figure") {
        const parts = elementsOf(child);
        const captions = parts.filter((part) => part.tagName === "figcaption");
        if (captions.length > 1 || (captions.length === 1 && parts[0] !== captions[0] && parts.at(-1) !== captions[0])) found.push("<figcaption> not first or last");
      }
      if (tag === "table") {
        const order = elementsOf(child).map((part) => ({ caption: 0, colgroup: 1, thead: 2, tbody: 3, tr: 3, tfoot: 4 })[part.tagName] ?? 9);
        if (order.some((rank, index) => index > 0 && rank < order[index - 1]!)) found.push("table parts out of order");
      }
      const childPhrasing = phrasingParents.has(tag) || (["a", "del", "ins"].includes(tag) ? phrasing : false);
      walk(child, [...ancestors, tag], childPhrasing);
    }
  };
  walk(tree, [], false);
  return found;
}

describe("content-model repair of random raw HTML", () => {
  it("keeps every word and leaves no element where EPUB's XHTML does not allow it", () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), (pieces) => {
        word = 0;
        const html = pieces.map(render).join("");
        const parsed = raw({ type: "root", children: [{ type: "raw", value: html }] } as unknown as Root) as Root;
        const safe = sanitize(parsed, chapterSchema) as Root;
        repairContentModel(safe);
        repairLanguageTags(safe);
        // Sorted: a table's caption moves first, text after a ruby's last annotation after the ruby.
        expect(words(textOf(safe)).sort(), html).toEqual(words(textOf(parsed)).sort());
        expect(violations(safe), html).toEqual([]);
      }),
      { numRuns: Number(process.env.LECTERN_FUZZ_RUNS ?? 400), seed: Number(process.env.LECTERN_FUZZ_SEED ?? 5005) },
    );
  });
});
