// Serialises hast as XHTML 5 (the XML syntax EPUB 3 content documents require).
import type { Element, ElementContent, Root, RootContent } from "hast";
import { toXast } from "hast-util-to-xast";
import { serializeXmlTree } from "../shared/xml-text.js";
import { element, text } from "./hast-builders.js";

/**
 * hast → xast (unified's XML tree) → XML text through the one serializer every XML file of
 * the book goes through (`serializeXmlTree`): `<`, `&` and `>` are escaped in text (`]]>` in a
 * code sample cannot end the file's well-formedness), quotes, tabs and newlines in attribute
 * values too, characters XML cannot hold are dropped, void elements close themselves, and
 * namespaces (`xmlns`, `xml:lang`, SVG) come from the tree's spaces.
 */
export function serializeXhtml(tree: Root): string {
  return serializeXmlTree(toXast(tree));
}

/** Serialises a standalone SVG image (its own XML file, e.g. the cover). */
export function serializeSvg(svg: Element): string {
  return serializeXmlTree(toXast(svg, { space: "svg" }));
}

export interface XhtmlDocumentInput {
  /** BCP 47 tag for `lang` and `xml:lang` on the root (EPUB 3.3 §6.1.4; Ace `html-has-lang`). */
  readonly language: string;
  /** Text of `<title>`: what a reading system announces for the file. */
  readonly title: string;
  /** Style sheet href relative to the document. */
  readonly stylesheet: string;
  /** Content of `<body>` (a doctype among it is ignored). */
  readonly body: readonly RootContent[];
  /** Properties of `<body>` (e.g. `epub:type`). */
  readonly bodyProperties?: Element["properties"];
}

/** A complete XHTML content document: doctype, namespaces, language, head and body. */
export function xhtmlDocument(input: XhtmlDocumentInput): Root {
  const direction = textDirection(input.language);
  const html = element(
    "html",
    {
      // The html namespace comes from hast-util-to-xast; the epub one is declared here.
      "xmlns:epub": "http://www.idpf.org/2007/ops",
      lang: input.language,
      xmlLang: input.language,
      ...(direction === "rtl" ? { dir: "rtl" } : {}),
    },
    [
      element("head", {}, [
        element("meta", { charSet: "UTF-8" }),
        element("title", {}, [text(input.title)]),
        element("link", { rel: ["stylesheet"], type: "text/css", href: input.stylesheet }),
      ]),
      element(
        "body",
        input.bodyProperties ?? {},
        input.body.filter((child): child is ElementContent => child.type !== "doctype"),
      ),
    ],
  );
  const children: RootContent[] = [{ type: "doctype" }, html];
  return { type: "root", children };
}

/** Scripts written right to left; their documents get `dir="rtl"` (WCAG 1.3.2 meaningful sequence). */
const rightToLeftLanguages = new Set(["ar", "arc", "ckb", "dv", "fa", "he", "ku", "ps", "sd", "syr", "ug", "ur", "yi"]);

export function textDirection(language: string): "ltr" | "rtl" {
  const primary = language.split("-")[0]?.toLowerCase() ?? "";
  return rightToLeftLanguages.has(primary) ? "rtl" : "ltr";
}
