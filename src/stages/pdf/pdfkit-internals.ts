// Typed access to the few pdfkit 0.20 internals Lectern relies on, kept in one place.
//
// @types/pdfkit 0.17 lags pdfkit 0.20 (no structure-element dictionaries, no outline
// destinations, no `structParent` on annotations). Each field below was read in
// node_modules/pdfkit/js/pdfkit.js; a pdfkit upgrade needs only this file checked.
import type PDFDocument from "pdfkit";

/** A PDF object reference; `data` is the dictionary written when the object ends. */
export interface PdfReference {
  readonly data: Record<string, unknown>;
}

/** pdfkit's structure element, with the dictionary we add attributes (`/A`, `/ID`) to. */
export interface StructElement {
  readonly dictionary: PdfReference;
  add(child: StructElement | StructContent): StructElement;
  end(): void;
}

/** A marked-content sequence (page + MCID) that belongs to a structure element. */
export type StructContent = PDFKit.PDFStructureContent;

/** The glyph coverage query of fontkit, the font engine pdfkit embeds. */
export interface GlyphCoverage {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** An outline (bookmark) item; its `outlineData.Dest` is written when the document ends. */
export interface OutlineItem {
  readonly outlineData: Record<string, unknown>;
  addItem(title: string, options?: { expanded?: boolean }): OutlineItem;
}

interface DocumentInternals {
  _font: { font?: GlyphCoverage } | null;
  page: { dictionary: PdfReference; height: number; width: number };
  outline: OutlineItem;
  info: Record<string, unknown>;
  _addInfo(): void;
  appendXML(xml: string, newline?: boolean): void;
  getStructTreeRoot(): PdfReference;
}

function internals(doc: PDFKit.PDFDocument): DocumentInternals {
  return doc as unknown as DocumentInternals;
}

/** Entries pdfkit writes into a structure element's dictionary. */
export interface StructOptions {
  title?: string;
  lang?: string;
  alt?: string;
  /** /ActualText: what the element's content stands for, read instead of it. */
  actual?: string;
}

export function createStruct(doc: PDFKit.PDFDocument, role: string, options: StructOptions = {}): StructElement {
  return doc.struct(role, options) as unknown as StructElement;
}

/** Adds `element` as a top-level child of the StructTreeRoot. */
export function addRootStructure(doc: PDFKit.PDFDocument, element: StructElement): void {
  doc.addStructure(element as unknown as PDFKit.PDFStructureElement);
}

/** The fontkit font behind the current font, for coverage checks. */
export function currentGlyphCoverage(doc: PDFKit.PDFDocument): GlyphCoverage | undefined {
  return internals(doc)._font?.font;
}

export function currentPage(doc: PDFKit.PDFDocument): { dictionary: PdfReference; height: number; width: number } {
  return internals(doc).page;
}

export function outlineRoot(doc: PDFKit.PDFDocument): OutlineItem {
  return internals(doc).outline;
}

export function structTreeRoot(doc: PDFKit.PDFDocument): PdfReference {
  return internals(doc).getStructTreeRoot();
}

/**
 * Replaces pdfkit's XMP writer, which interpolates the title unescaped (a `&` makes the
 * packet malformed), with `write`, which receives `appendXML`.
 */
export function replaceXmpWriter(doc: PDFKit.PDFDocument, write: (append: (xml: string) => void) => void): void {
  const target = internals(doc);
  target._addInfo = () => write((xml) => target.appendXML(xml));
}

/** Options of `doc.link` that the types miss: the Link structure element that holds the annotation (OBJR). */
export interface LinkAnnotationOptions {
  structParent: StructElement;
  Contents: string;
}

export function linkAnnotation(doc: PDFKit.PDFDocument, rect: { x: number; y: number; width: number; height: number }, url: string, options: LinkAnnotationOptions): void {
  // pdfkit converts `new String(…)` values to PDF text strings (UTF-16 when needed); a plain
  // string would be written as a name.
  const annotationOptions = { structParent: options.structParent, Contents: new String(options.Contents) };
  doc.link(rect.x, rect.y, rect.width, rect.height, url, annotationOptions as unknown as PDFKit.Mixins.AnnotationOption);
}

export type { PDFDocument };

/** A link to a named destination inside the document (a note, a heading), held by a Link element. */
export function goToAnnotation(doc: PDFKit.PDFDocument, rect: { x: number; y: number; width: number; height: number }, destination: string, options: LinkAnnotationOptions): void {
  const annotationOptions = { structParent: options.structParent, Contents: new String(options.Contents) };
  doc.goTo(rect.x, rect.y, rect.width, rect.height, destination, annotationOptions as unknown as PDFKit.Mixins.AnnotationOption);
}

/** A decoded PNG or JPEG, opened once and drawn with `drawImage`. */
export interface OpenedImage {
  readonly width: number;
  readonly height: number;
}

export function openImage(doc: PDFKit.PDFDocument, data: Buffer): OpenedImage {
  return (doc as unknown as { openImage(source: Buffer): OpenedImage }).openImage(data);
}

/** Writes an opened image's XObject now (pdfkit would on first draw), so decoding errors surface here. */
export function embedImage(doc: PDFKit.PDFDocument, image: OpenedImage): void {
  (image as unknown as { embed(document: PDFKit.PDFDocument): void }).embed(doc);
}

/** Draws an opened image (pdfkit's `image()` accepts the opened object; the types only know paths and buffers). */
export function drawImage(doc: PDFKit.PDFDocument, image: OpenedImage, x: number, y: number, width: number, height: number): void {
  doc.image(image as unknown as Buffer, x, y, { width, height });
}
