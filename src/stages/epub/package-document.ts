// The package document (OPF) and the legacy NCX, built as XML trees and serialized with
// escaping (serializeXmlTree in src/stages/shared/xml-text.ts), like every other file of the book: no XML is assembled as text.
//
// epub-gen-memory renders its `contentOPF` and `tocNCX` options as EJS templates; Lectern's
// templates only print the finished documents, passed in the `packageXml` and `ncxXml` options.
import type { Element, ElementContent, Root } from "xast";
import { serializeXmlTree } from "../shared/xml-text.js";
import type { AccessibilityMetadata } from "./accessibility.js";

export interface ManifestItem {
  readonly id: string;
  readonly href: string;
  readonly mediaType: string;
  /** OPF item properties (`cover-image`, `svg`, `nav`). */
  readonly properties?: string;
  /** The manifest id of the SMIL overlay that narrates this content document. */
  readonly mediaOverlay?: string;
}

/** A narrated book's overlay metadata (EPUB 3.3 Media Overlays §3.4). */
export interface MediaOverlayMetadata {
  /** Each overlay's `media:duration`: the sum of its clips. */
  readonly durations: readonly { readonly id: string; readonly durationMs: number }[];
  /** The book's `media:duration`: the sum of the overlays'. */
  readonly totalDurationMs: number;
  readonly activeClass: string;
  readonly narrator: string;
}

export interface NcxPoint {
  readonly id: string;
  readonly label: string;
  readonly src: string;
}

/** Everything the OPF and NCX hold. */
export interface PackageData {
  readonly identifier: string;
  readonly title: string;
  readonly language: string;
  readonly direction: "ltr" | "rtl";
  readonly author?: string;
  readonly date?: string;
  readonly description: string;
  /** Subject keywords: one `dc:subject` each. */
  readonly keywords?: readonly string[];
  readonly source?: string;
  readonly publisher?: string;
  /** `CCYY-MM-DDThh:mm:ssZ`. */
  readonly modified: string;
  readonly accessibility: AccessibilityMetadata;
  /** `xml:lang` of the accessibility summary when it is not the book's language (the summary is English). */
  readonly summaryLanguage?: string;
  /** Items besides the nav, NCX and style sheet, in package order. */
  readonly items: readonly ManifestItem[];
  /** Manifest ids in reading order. */
  readonly spine: readonly string[];
  readonly ncxPoints: readonly NcxPoint[];
  readonly mediaOverlays?: MediaOverlayMetadata;
}

/**
 * A SMIL full clock value (`h:mm:ss.mmm`) from integer milliseconds: the parts are taken
 * from the integer, so no rounding can carry into a 60th second (`0:00:60.000`).
 */
export function clockValue(milliseconds: number): string {
  if (!Number.isSafeInteger(milliseconds) || milliseconds < 0) throw new RangeError(`Expected \`milliseconds\` to be a non-negative integer, got \`${milliseconds}\``);
  const ms = milliseconds % 1000;
  const totalSeconds = (milliseconds - ms) / 1000;
  const seconds = totalSeconds % 60;
  const minutes = ((totalSeconds - seconds) / 60) % 60;
  const hours = (totalSeconds - seconds - minutes * 60) / 3600;
  const two = (value: number) => String(value).padStart(2, "0");
  return `${hours}:${two(minutes)}:${two(seconds)}.${String(ms).padStart(3, "0")}`;
}

function x(name: string, attributes: Record<string, string | undefined> = {}, children: (ElementContent | string)[] = []): Element {
  const defined = Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return {
    type: "element",
    name,
    attributes: defined,
    children: children.map((child) => (typeof child === "string" ? { type: "text", value: child } : child)),
  };
}

/** An XML document: declaration, then the root element, one child element per line. */
function serialize(root: Element): string {
  indent(root, 1);
  const tree: Root = { type: "root", children: [root, { type: "text", value: "\n" }] };
  return serializeXmlTree(tree);
}

/** Puts each child element of an element that holds only elements on its own line. */
function indent(element: Element, depth: number): void {
  if (element.children.length === 0 || element.children.some((child) => child.type !== "element")) return;
  const children: ElementContent[] = [];
  for (const child of element.children) {
    children.push({ type: "text", value: `\n${"  ".repeat(depth)}` }, child);
    if (child.type === "element") indent(child, depth + 1);
  }
  children.push({ type: "text", value: `\n${"  ".repeat(depth - 1)}` });
  element.children = children;
}

/**
 * The package `xml:lang` is the document's language (Ace `epub-lang`; epub-gen-memory
 * hardcodes `en`). The reserved `schema:` and `a11y:` prefixes are not redeclared (EPUB 3.3
 * §D.1: redeclaring a reserved prefix is an error), and no unused prefix is declared.
 */
export function packageDocument(book: PackageData): string {
  const meta = (property: string, value: string, attributes: Record<string, string | undefined> = {}) => x("meta", { property, ...attributes }, [value]);
  const { accessibility } = book;
  const metadata = x("metadata", { "xmlns:dc": "http://purl.org/dc/elements/1.1/" }, [
    x("dc:identifier", { id: "pub-id" }, [book.identifier]),
    x("dc:title", { id: "title" }, [book.title]),
    x("dc:language", {}, [book.language]),
    ...(book.author ? [x("dc:creator", { id: "creator" }, [book.author]), x("meta", { refines: "#creator", property: "role", scheme: "marc:relators" }, ["aut"])] : []),
    ...(book.date ? [x("dc:date", {}, [book.date])] : []),
    x("dc:description", {}, [book.description]),
    ...(book.keywords ?? []).map((keyword) => x("dc:subject", {}, [keyword])),
    ...(book.source ? [x("dc:source", {}, [book.source])] : []),
    ...(book.publisher ? [x("dc:publisher", {}, [book.publisher])] : []),
    meta("dcterms:modified", book.modified),
    ...accessibility.accessModes.map((mode) => meta("schema:accessMode", mode)),
    ...accessibility.accessModesSufficient.map((modes) => meta("schema:accessModeSufficient", modes)),
    ...accessibility.features.map((feature) => meta("schema:accessibilityFeature", feature)),
    ...accessibility.hazards.map((hazard) => meta("schema:accessibilityHazard", hazard)),
    meta("schema:accessibilitySummary", accessibility.summary, { "xml:lang": book.summaryLanguage }),
    meta("dcterms:conformsTo", accessibility.conformsTo),
    ...(accessibility.certifiedBy ? [meta("a11y:certifiedBy", accessibility.certifiedBy)] : []),
    ...(book.mediaOverlays ? mediaOverlayMetadata(book.mediaOverlays, meta) : []),
    x("meta", { name: "cover", content: "cover-image" }),
  ]);
  const manifest = x("manifest", {}, [
    x("item", { id: "nav", href: "toc.xhtml", "media-type": "application/xhtml+xml", properties: "nav" }),
    x("item", { id: "ncx", href: "toc.ncx", "media-type": "application/x-dtbncx+xml" }),
    x("item", { id: "css", href: "style.css", "media-type": "text/css" }),
    ...book.items.map((item) => x("item", { id: item.id, href: item.href, "media-type": item.mediaType, properties: item.properties, "media-overlay": item.mediaOverlay })),
  ]);
  const spine = x(
    "spine",
    { toc: "ncx", "page-progression-direction": book.direction === "rtl" ? "rtl" : undefined },
    book.spine.map((idref) => x("itemref", { idref })),
  );
  return serialize(
    x("package", { xmlns: "http://www.idpf.org/2007/opf", version: "3.0", "unique-identifier": "pub-id", "xml:lang": book.language, dir: book.direction }, [
      metadata,
      manifest,
      spine,
    ]),
  );
}

/** `media:duration` per overlay and in total, the active class and the narrator (the `media:` prefix is reserved: not declared). */
function mediaOverlayMetadata(overlays: MediaOverlayMetadata, meta: (property: string, value: string, attributes?: Record<string, string | undefined>) => Element): Element[] {
  return [
    ...overlays.durations.map((overlay) => meta("media:duration", clockValue(overlay.durationMs), { refines: `#${overlay.id}` })),
    meta("media:duration", clockValue(overlays.totalDurationMs)),
    meta("media:narrator", overlays.narrator),
    meta("media:active-class", overlays.activeClass),
  ];
}

/** EPUB 2 reading systems still look for an NCX; EPUB 3 ones use the nav document. */
export function ncxDocument(book: PackageData): string {
  return serialize(
    x("ncx", { xmlns: "http://www.daisy.org/z3986/2005/ncx/", version: "2005-1", "xml:lang": book.language }, [
      x("head", {}, [
        x("meta", { name: "dtb:uid", content: book.identifier }),
        x("meta", { name: "dtb:depth", content: "1" }),
        x("meta", { name: "dtb:totalPageCount", content: "0" }),
        x("meta", { name: "dtb:maxPageNumber", content: "0" }),
      ]),
      x("docTitle", {}, [x("text", {}, [book.title])]),
      ...(book.author ? [x("docAuthor", {}, [x("text", {}, [book.author])])] : []),
      x(
        "navMap",
        {},
        book.ncxPoints.map((point, index) =>
          x("navPoint", { id: point.id, playOrder: String(index + 1) }, [x("navLabel", {}, [x("text", {}, [point.label])]), x("content", { src: point.src })]),
        ),
      ),
    ]),
  );
}

/** epub-gen-memory's templates: each prints a document Lectern serialized (options `packageXml`, `ncxXml`, `navXhtml`, per chapter `xhtml`). */
export const contentOpfTemplate = "<%- packageXml %>";
export const tocNcxTemplate = "<%- ncxXml %>";
/** Chapters arrive fully serialized (see container.ts): the template prints them verbatim. */
export const chapterXhtmlTemplate = "<%- xhtml %>";
/** The navigation document arrives fully serialized in the `navXhtml` option. */
export const tocXhtmlTemplate = "<%- navXhtml %>";
