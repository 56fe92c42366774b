// XMP metadata for the PDF: Dublin Core, XMP basic, PDF and the PDF/UA identification schema.
//
// PDF/UA-1 §5 requires `pdfuaid:part` in the XMP packet, and §7.1 (Matterhorn 06-003) a
// `dc:title`. The packet is built as an element tree and serialized by the serializer every
// XML file Lectern writes goes through (src/stages/shared/xml-text.ts), so a title holding
// `&`, `<`, `]]>`, quotes or newlines stays well-formed XML (pdfkit interpolates it raw), and
// without the characters XML cannot hold (lone surrogates too), by the EPUB's rule.
import type { Element as XastElement } from "xast";
import { validTimestamp } from "../shared/dates.js";
import { serializeXmlTree } from "../shared/xml-text.js";

export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: readonly (XmlElement | string)[];
}

function toXast(node: XmlElement): XastElement {
  return {
    type: "element",
    name: node.name,
    attributes: { ...node.attributes },
    children: (node.children ?? []).map((child) => (typeof child === "string" ? { type: "text", value: child } : toXast(child))),
  };
}

/** One element of the packet as XML text (no declaration: pdfkit writes the packet around it). */
export function serializeXml(node: XmlElement | string): string {
  const tree = typeof node === "string" ? { type: "root" as const, children: [{ type: "text" as const, value: node }] } : toXast(node);
  return serializeXmlTree(tree, { declaration: false });
}

export interface XmpFields {
  readonly title: string;
  readonly author?: string;
  readonly description?: string;
  /** The Info dictionary's `/Keywords`, as written there: `pdf:Keywords`. */
  readonly keywords?: string;
  /** Where the text comes from (URL or citation): `dc:source`. */
  readonly source?: string;
  readonly publisher?: string;
  readonly language: string;
  readonly created: Date;
  readonly creatorTool: string;
  readonly producer: string;
}

/** XMP dates carry seconds and a zone, matching the Info dictionary's `D:` dates (PDF/A-style consistency checks). */
export function xmpDate(date: Date): string {
  // A year past 9999 has no four-digit form (`+012026-…` is no XMP date): clamped, by the EPUB's rule.
  return validTimestamp(date);
}

function description(namespace: string, uri: string, children: readonly XmlElement[]): XmlElement {
  return { name: "rdf:Description", attributes: { "rdf:about": "", [`xmlns:${namespace}`]: uri }, children };
}

/** A language alternative with the one `x-default` entry the Info dictionary's value matches. */
function languageAlternative(name: string, value: string): XmlElement {
  return { name, children: [{ name: "rdf:Alt", children: [{ name: "rdf:li", attributes: { "xml:lang": "x-default" }, children: [value] }] }] };
}

/** The `rdf:Description` elements of the packet, one per schema. */
export function xmpDescriptions(fields: XmpFields): XmlElement[] {
  const date = xmpDate(fields.created);
  const dublinCore: XmlElement[] = [
    { name: "dc:format", children: ["application/pdf"] },
    languageAlternative("dc:title", fields.title),
    { name: "dc:language", children: [{ name: "rdf:Bag", children: [{ name: "rdf:li", children: [fields.language] }] }] },
  ];
  if (fields.author) {
    dublinCore.push({ name: "dc:creator", children: [{ name: "rdf:Seq", children: [{ name: "rdf:li", children: [fields.author] }] }] });
  }
  if (fields.description) dublinCore.push(languageAlternative("dc:description", fields.description));
  if (fields.source) dublinCore.push({ name: "dc:source", children: [fields.source] });
  if (fields.publisher) dublinCore.push({ name: "dc:publisher", children: [{ name: "rdf:Bag", children: [{ name: "rdf:li", children: [fields.publisher] }] }] });
  return [
    description("xmp", "http://ns.adobe.com/xap/1.0/", [
      { name: "xmp:CreateDate", children: [date] },
      { name: "xmp:ModifyDate", children: [date] },
      { name: "xmp:MetadataDate", children: [date] },
      { name: "xmp:CreatorTool", children: [fields.creatorTool] },
    ]),
    description("dc", "http://purl.org/dc/elements/1.1/", dublinCore),
    description("pdf", "http://ns.adobe.com/pdf/1.3/", [
      ...(fields.keywords ? [{ name: "pdf:Keywords", children: [fields.keywords] }] : []),
      { name: "pdf:Producer", children: [fields.producer] },
    ]),
    description("pdfuaid", "http://www.aiim.org/pdfua/ns/id/", [{ name: "pdfuaid:part", children: ["1"] }]),
  ];
}
