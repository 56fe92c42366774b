// Serialises hast as XHTML 5 (the XML syntax EPUB 3 content documents require).
import type { Element, ElementContent, Root, RootContent } from "hast";
import { toXast } from "hast-util-to-xast";
import { toXml } from "xast-util-to-xml";
import { xmlSafeText } from "../shared/xml-text.js";
import { element, text } from "./hast-builders.js";

/** The XML declaration every EPUB XHTML file starts with (EPUB 3.3 §6.1.2: UTF-8 XML). */
const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * hast → xast (unified's XML tree) → XML text. An XML serializer, not an HTML one: `<` and
 * `&` are escaped in attribute values too (hast-util-to-html leaves `<` bare there, which
 * EPUBCheck rejects as HTM-004), void elements close themselves, boolean attributes get a
 * value, and namespaces (`xmlns`, `xml:lang`, SVG) come from the tree's spaces.
 */
export function serializeXhtml(tree: Root): string {
  removeXmlInvalidCharacters(tree);
  return xmlDeclaration + toXml(toXast(tree), { closeEmptyElements: true });
}

/** Serialises a standalone SVG image (its own XML file, e.g. the cover). */
export function serializeSvg(svg: Element): string {
  removeXmlInvalidCharacters(svg);
  return xmlDeclaration + toXml(toXast(svg, { space: "svg" }), { closeEmptyElements: true });
}

function removeXmlInvalidCharacters(node: Root | RootContent): void {
  if (node.type === "text") node.value = xmlSafeText(node.value);
  if (node.type === "element") {
    for (const [name, value] of Object.entries(node.properties)) {
      if (typeof value === "string") node.properties[name] = xmlSafeText(value);
    }
  }
  if ("children" in node) for (const child of node.children) removeXmlInvalidCharacters(child);
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
