// Writes a LecternDocument as a tagged PDF (PDF/UA-1) in memory: structure, bookmarks,
// page furniture as Artifacts, and metadata.
import PDFDocument from "pdfkit";
import type { FootnoteDefinition, Nodes, PhrasingContent } from "mdast";
import type { DocumentMetadata, LecternDocument, Section } from "../../document/model.js";
import { version } from "../../version.js";
import { longDate } from "../shared/dates.js";
import { HeadingLevels, sectioningDepth } from "../shared/heading-levels.js";
import { headingAnchors, titleDestination } from "./heading-anchors.js";
import { interfaceLanguageMark } from "../shared/interface-language.js";
import { wordsFor } from "../../document/words/index.js";
import { drawHeading, drawTextBlock, renderBlocks, type BlockContext, type WriterServices } from "./block-handlers.js";
import { paragraphDirection } from "./bidi.js";
import { noteDestination, PageComposer } from "./composer.js";
import { graphemes, longestFittingPrefix } from "./graphemes.js";
import { breakLines, type Line } from "./line-breaking.js";
import { dejavuFontPath, FontBook } from "./fonts.js";
import { loadImages } from "./images.js";
import { inlineRuns, type InlineContext, type InlineMarks, type InlineRun } from "./inline-runs.js";
import { addRootStructure, createStruct, outlineRoot, replaceXmpWriter, structTreeRoot, type OutlineItem, type StructElement } from "./pdfkit-internals.js";
import { colors, pageGeometry, paperSizeForLanguage, spacing, textStyles, type PageGeometry, type PaperSize } from "./typography.js";
import { serializeXml, xmpDescriptions } from "./xmp.js";

export interface RenderOptions {
  /** Written as the creation and modification date (reproducible output). */
  readonly now: Date;
  /** Paper size; default from the document language's region (Letter for the US, A4 elsewhere). */
  readonly paperSize?: PaperSize;
  /** Called for each change made to the content, with the source node for its line. */
  readonly warn: (rule: string, reason: string, line?: number, column?: number) => void;
  /** Checked between sections; a long render stops soon after it is aborted. */
  readonly signal?: AbortSignal;
  /** Told after each section is laid out: `done` of `total` sections. */
  readonly progress?: (done: number, total: number) => void;
}

export interface RenderedPdf {
  readonly bytes: Uint8Array;
  readonly pages: number;
  readonly paperSize: PaperSize;
  /** Structure elements' note IDs, bookmarks and other counts for the manifest. */
  readonly bookmarks: number;
  readonly notes: number;
}

const plainMarks: InlineMarks = { bold: false, italic: false, code: false, superscript: false };

function plainRuns(text: string, marks: InlineMarks = plainMarks): InlineRun[] {
  return [{ kind: "text", text, marks }];
}

/** Numbers footnotes in order of first reference and hands out the ones a section has to draw. */
class NoteBook {
  readonly #numbers = new Map<string, number>();
  #pending: string[] = [];

  number(identifier: string): number {
    let number = this.#numbers.get(identifier);
    if (number === undefined) {
      number = this.#numbers.size + 1;
      this.#numbers.set(identifier, number);
      this.#pending.push(identifier);
    }
    return number;
  }

  has(identifier: string): boolean {
    return this.#numbers.has(identifier);
  }

  takePending(): string[] {
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }
}

/** Words from which a document with three or more sections is set as a book. */
const bookWords = 15_000;

export async function renderPdf(document: LecternDocument, options: RenderOptions): Promise<RenderedPdf> {
  const images = await loadImages(document);
  const paperSize = options.paperSize ?? paperSizeForLanguage(document.metadata.language);
  const geometry = pageGeometry(paperSize);
  const info = documentInfo(document.metadata, options.now);
  const { doc, bytes } = openPdf(document.metadata.language, paperSize, geometry, info);
  const writer = createWriter(doc, document, options, geometry, images);

  drawTitleBlock(writer);
  // A book's chapters each start on a new page, as printed books do; an article's sections run on.
  const readsLikeABook = document.words >= bookWords && document.sections.filter((section) => section.role === "body").length >= 3;
  for (const section of document.sections) {
    // Layout is synchronous; yielding between sections lets the progress display and the
    // other stages' I/O run while a long book is laid out.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
    drawSection(writer, section, readsLikeABook);
    options.progress?.(section.index, document.sections.length);
  }
  writer.base.parent.end();

  drawPageFurniture(doc, writer.composer, geometry, document.metadata.title, writer.chapterOpenings);
  addNoteIdTree(doc, writer.noteIds);
  warnMissingGlyphs(writer.fonts, options.warn);
  writeXmp(doc, document.metadata, info, options.now);
  const pages = doc.bufferedPageRange().count;
  doc.end();
  return { bytes: await bytes, pages, paperSize, bookmarks: writer.outline.count, notes: writer.noteIds.length };
}

/** The document information dictionary (the XMP packet repeats it). */
function documentInfo(metadata: DocumentMetadata, now: Date): PDFKit.DocumentInfo & { Creator: string; Producer: string } {
  return {
    Title: metadata.title,
    Creator: `Lectern ${version}`,
    Producer: `Lectern ${version} with PDFKit`,
    CreationDate: now,
    ModDate: now,
    ...(metadata.author ? { Author: metadata.author } : {}),
    ...(metadata.description ? { Subject: metadata.description } : {}),
    ...(metadata.keywords?.length ? { Keywords: metadata.keywords.join(", ") } : {}),
  };
}

/** A tagged PDF 1.7 document in memory, and its bytes once it has ended. */
function openPdf(language: string, paperSize: PaperSize, geometry: PageGeometry, info: PDFKit.DocumentInfo): { doc: PDFKit.PDFDocument; bytes: Promise<Uint8Array> } {
  const doc = new PDFDocument({
    size: paperSize,
    margins: { top: geometry.top, left: geometry.left, right: geometry.width - geometry.left - geometry.measure, bottom: geometry.height - geometry.bottom },
    // PDF 1.7: pdfkit writes no XMP packet for its default 1.3, and PDF/UA-1 builds on 1.7.
    pdfVersion: "1.7",
    // Pages stay in memory so page numbers and quote bars can be drawn after the text.
    bufferPages: true,
    tagged: true,
    lang: language,
    displayTitle: true,
    // An embedded default font: pdfkit would otherwise load Helvetica, a standard-14 font
    // that is never embedded (PDF/UA-1 §7.21.4.1).
    font: dejavuFontPath("DejaVuSerif.ttf"),
    info,
  });
  const chunks: Uint8Array[] = [];
  doc.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const bytes = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, bytes };
}

/** The bookmarks: one top-level entry per section; headings inside a section nest under it. */
class Outline {
  readonly #doc: PDFKit.PDFDocument;
  readonly #composer: PageComposer;
  #stack: { level: number; item: OutlineItem }[] = [];
  #count = 0;

  constructor(doc: PDFKit.PDFDocument, composer: PageComposer) {
    this.#doc = doc;
    this.#composer = composer;
  }

  /** Bookmarks written so far. */
  get count(): number {
    return this.#count;
  }

  /** A section's entry; the lead's (level 1) stands for the H1, so an H2 inside the lead still nests under it. */
  section(title: string, level = 2): void {
    this.#stack = [{ level, item: this.#composer.bookmark(outlineRoot(this.#doc), title) }];
    this.#count++;
  }

  subheading(level: number, title: string): void {
    while (this.#stack.length > 0 && this.#stack.at(-1)!.level >= level) this.#stack.pop();
    const parent = this.#stack.at(-1)?.item ?? outlineRoot(this.#doc);
    this.#stack.push({ level, item: this.#composer.bookmark(parent, title) });
    this.#count++;
  }
}

/** What the steps of one render share: the document, the page composer and the writer's state. */
interface PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly document: LecternDocument;
  readonly geometry: PageGeometry;
  readonly fonts: FontBook;
  readonly composer: PageComposer;
  readonly notes: NoteBook;
  readonly anchors: ReturnType<typeof headingAnchors>;
  readonly inline: InlineContext;
  readonly services: WriterServices;
  readonly outline: Outline;
  /** The context of a block at the top of the Document structure element. */
  readonly base: BlockContext;
  readonly warnAt: (rule: string, reason: string, node?: Nodes) => void;
  /** Every Note structure element with its ID, for the ID tree. */
  readonly noteIds: { id: string; element: StructElement }[];
  /** Pages a book's chapter opens: they carry no running title, as in a printed book. */
  readonly chapterOpenings: Set<number>;
}

function createWriter(doc: PDFKit.PDFDocument, document: LecternDocument, options: RenderOptions, geometry: PageGeometry, images: WriterServices["images"]): PdfWriter {
  const { language } = document.metadata;
  const warnAt = (rule: string, reason: string, node?: Nodes): void => {
    options.warn(rule, reason, node?.position?.start.line, node?.position?.start.column);
  };
  const fonts = new FontBook(doc);
  const composer = new PageComposer(doc, fonts, geometry);
  const notes = new NoteBook();
  let nextId = 1;
  const anchors = headingAnchors(document);
  const inline: InlineContext = {
    warn: warnAt,
    noteNumber: (identifier) => notes.number(identifier),
    nextId: () => nextId++,
    headingDestination: (fragment) => anchors.fragments.get(fragment) ?? anchors.fragments.get(fragment.toLowerCase()),
  };
  const outline = new Outline(doc, composer);
  const interfaceLanguage = interfaceLanguageMark(language);
  const interfaceRuns = (text: string, marks: Partial<InlineMarks> = {}): InlineRun[] => [
    interfaceLanguage === undefined
      ? { kind: "text", text, marks: { ...plainMarks, ...marks } }
      : { kind: "text", text, marks: { ...plainMarks, ...marks }, container: { kind: "span", id: nextId++, lang: interfaceLanguage } },
  ];
  const services: WriterServices = {
    warn: warnAt,
    words: wordsFor(language).words,
    interfaceRuns,
    interfaceLanguage,
    inline,
    images,
    headings: new HeadingLevels(sectioningDepth(document.sections)),
    markHeading(node) {
      const destination = anchors.destinations.get(node);
      if (destination !== undefined) composer.destination(destination);
    },
    subheadingBookmark: (level, title) => outline.subheading(level, title),
  };
  const root = createStruct(doc, "Document");
  addRootStructure(doc, root);
  const base: BlockContext = { composer, services, parent: root, indent: 0, style: textStyles.body, paragraphGap: spacing.paragraph, listDepth: 0 };
  return { doc, document, geometry, fonts, composer, notes, anchors, inline, services, outline, base, warnAt, noteIds: [], chapterOpenings: new Set() };
}

/** The title (the one H1, PDF/UA-1 §7.4.2), the byline and the source. */
function drawTitleBlock(writer: PdfWriter): void {
  const { document, base, composer, services, inline } = writer;
  const { metadata } = document;
  // A lead section's bookmark points at the title.
  const hasLead = document.sections[0]?.role === "lead";
  services.headings.title();
  drawHeading(1, plainRuns(metadata.title), base, () => {
    composer.destination(titleDestination);
    if (hasLead) writer.outline.section(document.sections[0]!.title, 1);
  });
  const byline = [metadata.author, metadata.date ? longDate(metadata.date, metadata.language) : undefined].filter(Boolean).join(" · ");
  // The source is recorded in every output (document model), here under the byline.
  const source = metadata.source?.trim();
  const bylineGap = spacing.beforeHeading;
  if (byline !== "") drawTextBlock(plainRuns(byline), { ...base, paragraphGap: source ? spacing.listItem : bylineGap }, "P", textStyles.byline);
  if (source) {
    const sourceNodes: PhrasingContent[] = /^https?:\/\//i.test(source)
      ? [{ type: "link", url: source, children: [{ type: "text", value: source }] }]
      : [{ type: "text", value: source }];
    drawTextBlock(
      [...services.interfaceRuns(services.words.source), ...plainRuns(" "), ...inlineRuns(sourceNodes, inline)],
      { ...base, paragraphGap: bylineGap },
      "P",
      textStyles.byline,
    );
  }
}

/** One section as a Sect: a new page for a book's chapter, its heading and bookmark, its blocks, then its notes. */
function drawSection(writer: PdfWriter, section: Section, readsLikeABook: boolean): void {
  const { doc, document, composer, notes, services, inline, anchors } = writer;
  const sect = createStruct(doc, "Sect");
  writer.base.parent.add(sect);
  const context: BlockContext = { ...writer.base, parent: sect };
  if (section.role === "lead") services.headings.lead();
  else {
    services.headings.section(section.depth);
    if (readsLikeABook && section.role === "body") {
      if (!composer.atPageTop) composer.newPage();
      const range = doc.bufferedPageRange();
      writer.chapterOpenings.add(range.start + range.count - 1);
    }
    const runs = section.heading ? inlineRuns(section.heading.children, inline) : plainRuns(section.title);
    // A character no font has in the heading is reported at the heading's line.
    const outerLine = composer.fonts.atLine(section.heading?.position?.start.line);
    drawHeading(
      2,
      runs,
      context,
      () => {
        const destination = anchors.destinations.get(section);
        if (destination !== undefined) composer.destination(destination);
        writer.outline.section(section.title);
      },
      section.blocks[0],
    );
    composer.fonts.atLine(outerLine);
  }
  renderBlocks(section.blocks, context);
  // Notes follow the section that first cites them, so a reader meets them nearby.
  for (let pending = notes.takePending(); pending.length > 0; pending = notes.takePending()) drawNotes(writer, sect, pending);
  if (section === document.sections.at(-1)) {
    const unreferenced = [...document.footnotes.keys()].filter((identifier) => !notes.has(identifier));
    for (const identifier of unreferenced) {
      const definition = document.footnotes.get(identifier);
      writer.warnAt("footnote-unreferenced", `footnote \`[^${identifier}]\` is never referenced; it is drawn after the last section`, definition);
      notes.number(identifier);
    }
    drawNotes(writer, sect, notes.takePending());
  }
  sect.end();
}

/** Footnotes under a short rule, each a Note structure element with its ID (Matterhorn 19-003). */
function drawNotes(writer: PdfWriter, parent: StructElement, identifiers: readonly string[]): void {
  if (identifiers.length === 0) return;
  const { doc, composer, geometry, notes, services } = writer;
  composer.space(spacing.block);
  composer.ensureSpace(3 * textStyles.note.lineHeight);
  composer.rule(geometry.left, composer.y, 100);
  composer.y += spacing.paragraph;
  for (const identifier of identifiers) {
    const number = notes.number(identifier);
    const definition: FootnoteDefinition | undefined = writer.document.footnotes.get(identifier);
    composer.ensureSpace(2 * textStyles.note.lineHeight);
    doc.addNamedDestination(noteDestination(number), "XYZ", geometry.left, composer.y, null);
    const note = createStruct(doc, "Note");
    parent.add(note);
    // Matterhorn 19-003: every Note has an ID (listed in the IDTree, addNoteIdTree).
    const id = noteDestination(number);
    note.dictionary.data.ID = new String(id);
    writer.noteIds.push({ id, element: note });
    const label = plainRuns(`${number}. `, { ...plainMarks, bold: true });
    const context: BlockContext = { ...writer.base, parent: note, style: textStyles.note, paragraphGap: spacing.listItem, prefix: { runs: label } };
    if (definition === undefined) {
      writer.warnAt("footnote-undefined", `footnote \`[^${identifier}]\` is referenced but never defined; its note says so`);
      drawTextBlock(services.interfaceRuns(services.words.missingNote), context);
    } else {
      renderBlocks(definition.children, context);
    }
    note.end();
  }
  composer.space(spacing.paragraph);
}

/** A name tree of element IDs lets tools resolve Note IDs (ISO 32000-1 §14.7.2). */
function addNoteIdTree(doc: PDFKit.PDFDocument, noteIds: readonly { id: string; element: StructElement }[]): void {
  if (noteIds.length === 0) return;
  const sorted = [...noteIds].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  structTreeRoot(doc).data.IDTree = { Names: sorted.flatMap(({ id, element }) => [new String(id), element.dictionary]) };
}

/** One warning, at the line of the first character no font has, naming each (up to ten) with its line. */
function warnMissingGlyphs(fonts: FontBook, warn: RenderOptions["warn"]): void {
  const missing = fonts.uncoveredAt;
  if (missing.length === 0) return;
  const named = missing.slice(0, 10).map(({ character, line }) => {
    const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    // A lone combining mark is shown after a dotted circle, as character charts do.
    const shown = /^\p{M}$/u.test(character) ? `\u25CC${character}` : character;
    return `\`${shown}\` (${codePoint}${line === undefined ? "" : `, line ${line}`})`;
  });
  const more = missing.length > 10 ? ` and ${missing.length - 10} more` : "";
  warn("glyph-missing", `no embedded font has a glyph for ${named.join(", ")}${more}; the rest of the text is drawn`, missing[0]!.line);
}

/** The XMP metadata packet (xmp.ts): title, language, creator, the PDF/UA identification. */
function writeXmp(doc: PDFKit.PDFDocument, metadata: DocumentMetadata, info: ReturnType<typeof documentInfo>, now: Date): void {
  replaceXmpWriter(doc, (append) => {
    const fields = {
      title: metadata.title,
      language: metadata.language,
      created: now,
      creatorTool: info.Creator,
      producer: info.Producer,
      ...(metadata.author ? { author: metadata.author } : {}),
      ...(metadata.description ? { description: metadata.description } : {}),
      ...(info.Keywords ? { keywords: String(info.Keywords) } : {}),
      ...(metadata.source ? { source: metadata.source } : {}),
      ...(metadata.publisher ? { publisher: metadata.publisher } : {}),
    };
    for (const description of xmpDescriptions(fields)) append(serializeXml(description));
  });
}

/**
 * Page numbers in the footer and the title in the header, as pagination Artifacts (PDF/UA-1
 * §7.8). The first page and the pages a chapter opens have no header: the heading is there.
 */
function drawPageFurniture(doc: PDFKit.PDFDocument, composer: PageComposer, geometry: PageGeometry, title: string, withoutHeader: ReadonlySet<number>): void {
  const range = doc.bufferedPageRange();
  const style = textStyles.footer;
  const header = runningHeader(title, composer);
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    doc.markContent("Artifact", { type: "Pagination" });
    const number = String(index + 1);
    composer.fonts.use(style);
    doc.fontSize(style.size);
    const width = doc.widthOfString(number);
    doc.fillColor(colors.muted).text(number, geometry.left + (geometry.measure - width) / 2, geometry.footerBaseline, { lineBreak: false, baseline: "alphabetic" });
    doc.endMarkedContent();
    if (index > 0 && !withoutHeader.has(range.start + index) && header !== undefined) {
      // Laid out like body text: fallback faces for a non-Latin title, bidi order for an Arabic one.
      composer.y = geometry.headerBaseline - header.height * 0.72;
      composer.drawLinesAsArtifact([header], { x: geometry.left, color: colors.muted, ...(header.rtl ? { align: "right" as const, width: geometry.measure } : {}) });
    }
  }
}

/**
 * The title as one header line no wider than the text column: cut between grapheme clusters
 * with an ellipsis, the cut point found by binary search (a 22 KB title is a few dozen
 * measurements, not one per character).
 */
function runningHeader(title: string, composer: PageComposer): (Line & { rtl: boolean }) | undefined {
  const style = textStyles.footer;
  const oneLine = (text: string): Line | undefined =>
    breakLines([{ kind: "text", text, marks: plainMarks }], { width: Number.POSITIVE_INFINITY, style, fonts: composer.fonts, measure: composer.measure })[0];
  const fits = (text: string): boolean => (oneLine(text)?.width ?? 0) <= composer.geometry.measure;
  const flat = title.replace(/\s+/g, " ").trim();
  let text = flat;
  if (!fits(flat)) {
    const clusters = graphemes(flat);
    const cut = longestFittingPrefix(clusters, (prefix) => fits(`${prefix.trimEnd()}…`), 1);
    text = `${clusters.slice(0, cut).join("").trimEnd()}…`;
  }
  const line = oneLine(text);
  return line === undefined ? undefined : { ...line, rtl: paragraphDirection(text) === "rtl" };
}
