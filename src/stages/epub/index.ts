// The EPUB stage: one LecternDocument → one accessible EPUB 3 (`<outDir>/<slug>.epub`).
import { join } from "node:path";
import type { ElementContent, Root } from "hast";
import { element } from "./hast-builders.js";
import type { DocumentMetadata, LecternDocument, Section } from "../../document/model.js";
import { fill, wordsFor } from "../../document/words/index.js";
import { writeFileAtomic } from "../../output/atomic-write.js";
import type { NoNeeds, Stage, StageContext, StageResult } from "../stage.js";
import { accessibilityMetadata, summaryLanguage, type AccessibilityMetadata } from "./accessibility.js";
import { ImageAssets } from "./assets.js";
import { SectionRenderer, type NarratedSectionContent, type RenderedSection } from "./chapters.js";
import { buildContainer, zipDate, type ContainerInput, type ExtraFile } from "./container.js";
import { coverAltText, coverBody, coverSvg, titlePageBody } from "./front-matter-pages.js";
import { bookIdentifier, formatModified } from "./identifier.js";
import { resolveLinks } from "./links.js";
import { navigationDocument, type Landmark, type TocEntry } from "./navigation.js";
import {
  chapterXhtmlTemplate,
  contentOpfTemplate,
  ncxDocument,
  packageDocument,
  tocNcxTemplate,
  tocXhtmlTemplate,
  type ManifestItem,
  type PackageData,
} from "./package-document.js";
import { embeddedFont, readingFontOption, type EmbeddedFont, type ReadingFont } from "./reading-font.js";
import { stylesheet } from "./stylesheet.js";
import { xmlSafeText } from "../shared/xml-text.js";
import { packageDate } from "../shared/dates.js";
import { canonicalLanguage } from "../../document/front-matter.js";
import { bookLanguageTag } from "./content-model.js";
import { serializeSvg, serializeXhtml, textDirection, xhtmlDocument } from "./xhtml.js";

/** The stage's entry in manifest.json (`outputs.epub`). */
export type EpubManifest = EpubDetails & {
  /** `<slug>.epub`, relative to the output folder. */
  readonly path: string;
};

/** What the EPUB stage records about the book it wrote. */
export type EpubDetails = {
  /** `dc:identifier` (`urn:uuid:…`), stable for the same front matter. */
  readonly identifier: string;
  /** `dcterms:modified`. */
  readonly modified: string;
  /** Content documents inside the package (not in the output folder), in reading order: cover, title page, contents, sections. */
  readonly contentDocuments: readonly string[];
  readonly images: { readonly packaged: number; readonly dropped: number };
  readonly accessibility: AccessibilityMetadata;
  /** In a narrated book: its media overlays and their total duration. */
  readonly narration?: { readonly overlays: number; readonly durationMs: number; readonly narrator: string };
};

/**
 * What makes the book a narrated one (EPUB 3.3 Media Overlays): the sections' content with
 * their units, one SMIL overlay per narrated content document, the audio it plays. Provided
 * by the talking EPUB stage (src/stages/talking-epub/); without it the book is the plain EPUB.
 */
export interface Narration {
  /** A section's content with its units; undefined renders the section as the plain EPUB does. */
  content(section: Section): NarratedSectionContent | undefined;
  /**
   * The overlay of one content document, its ids placed and links resolved; undefined when
   * nothing in it is narrated. It may give ids to the elements its SMIL names (lists, tables).
   */
  overlay(document: NarratedDocumentInput): MediaOverlay | undefined;
  /** Files the overlays play (MP3s, stored in the zip as they are) and their manifest items. */
  readonly media: readonly { readonly item: ManifestItem; readonly file: ExtraFile }[];
  /** `media:narrator`. */
  readonly narrator: string;
  /** `media:active-class`: the class a reading system puts on the element being read. */
  readonly activeClass: string;
  /** Style rules for the active class, appended to the style sheet every content document links. */
  readonly css: string;
  /** Asked after every overlay is made: true when every unit of the book, image descriptions included, has its audio (the book can be followed by ear alone). */
  complete(): boolean;
}

export interface NarratedDocumentInput {
  /** The content document's file name (`03-rules.xhtml`). */
  readonly file: string;
  /** The sections it holds. */
  readonly sections: readonly Section[];
  /** The id of the element holding them: the overlay's `epub:textref` target. */
  readonly containerId: string;
  readonly body: Root;
}

export interface MediaOverlay {
  /** The SMIL file, relative to the package document. */
  readonly href: string;
  readonly smil: string;
  /** Sum of its clips, in ms (`media:duration`). */
  readonly durationMs: number;
}

/** Chapter file names stay ASCII: OCF file names are URLs, and epub-gen-memory strips the rest. */
function chapterFileName(section: Section): string {
  const ascii = section.slug
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  // Short enough for every file system and zip tool; cut between words where possible.
  const short = ascii.length <= 40 ? ascii : ascii.slice(0, 41).replace(/-[^-]*$/, "") || ascii.slice(0, 40);
  return `${String(section.index).padStart(2, "0")}-${short || "section"}.xhtml`;
}

const coverImageHref = "images/cover.svg";

interface ContentFile {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly body: Root;
  /** Before the nav in the spine (cover, title page). */
  readonly beforeToc: boolean;
  /** The sections it holds and the id of the element around them (for a narrated book's overlays). */
  readonly sections?: readonly Section[];
  readonly containerId?: string;
}

/** The content documents in reading order and what points into them. */
interface BookLayout {
  readonly files: readonly ContentFile[];
  readonly tocEntries: readonly TocEntry[];
  /** Section slugs and heading ids (without `h-`) → `file` or `file#id`: the targets internal links resolve to. */
  readonly anchors: ReadonlyMap<string, string>;
  /** Where the body matter starts (the `bodymatter` landmark). */
  readonly bodyMatterHref: string;
}

/** A narrated book's overlays, keyed by content document id, and the narration they come from; only a book with at least one overlay is one. */
interface NarratedBook {
  readonly narration: Narration;
  readonly overlays: ReadonlyMap<string, MediaOverlay>;
}

/** Renders the whole book and returns the `.epub` bytes and its manifest entry (no file written). */
export async function renderEpub(
  doc: LecternDocument,
  options: {
    readonly now: Date;
    readonly report: StageReporter;
    /** Embed a reading font (default `none`: the reading system's typeface). */
    readonly readingFont?: ReadingFont;
    /** Makes a narrated (talking) book; absent, the plain EPUB. */
    readonly narration?: Narration;
  },
): Promise<{ readonly bytes: Uint8Array; readonly manifest: EpubDetails }> {
  // Every file is serialized with escaping (serializeXmlTree); what is settled here is what a
  // field may say: a blank one is absent (a whitespace-only `dc:creator` fails the OPF schema,
  // EPUBCheck RSC-005), the language a BCP 47 tag, the date one EPUBCheck accepts.
  const metadata = packageMetadata(doc, options.report);
  const { narration } = options;
  const assets = new ImageAssets(doc.directory);
  const renderer = new SectionRenderer(doc, assets, options.report, narration !== undefined);
  const rendered = await renderSections(doc.sections, renderer, narration);
  const layout = layOutContentFiles(metadata, rendered, narration !== undefined);
  resolveLinks(layout.files, layout.anchors, options.report, (href) => renderer.linkLine(href));
  const narrated = narration ? narrateContentFiles(layout.files, narration) : undefined;
  // Asked only now: `complete()` answers once every overlay is made.
  const accessibility = accessibilityMetadata(
    { ...doc, metadata },
    renderer.statistics,
    narrated ? { narrator: narrated.narration.narrator, complete: narrated.narration.complete() } : undefined,
  );
  const font = await embeddedFont(options.readingFont ?? "none");
  const modified = zipDate(options.now);
  const book = packageData({
    metadata,
    modified,
    accessibility,
    items: manifestItems(layout.files, assets, font, narrated),
    spine: spineOf(layout.files),
    tocEntries: layout.tocEntries,
    narrated,
  });
  const bytes = await buildContainer({
    identifier: book.identifier,
    modified,
    files: packagedFiles(metadata, assets, font, narrated),
    options: containerOptions(book, modified, bookStylesheet(font, narrated), navigationXhtml(metadata, layout)),
    chapters: chapterDocuments(layout.files, metadata.language),
  });
  return { bytes, manifest: epubDetails(book, layout.files, assets.images.length, renderer.statistics.droppedImages, narrated) };
}

/** Renders the sections in reading order, then reports the footnotes nothing refers to (known only once every section is rendered). */
async function renderSections(sections: readonly Section[], renderer: SectionRenderer, narration: Narration | undefined): Promise<RenderedSection[]> {
  const rendered: RenderedSection[] = [];
  for (const section of sections) rendered.push(await renderer.render(section, narration?.content(section)));
  renderer.reportUnreferencedFootnotes();
  return rendered;
}

/**
 * The content documents: cover, title page (holding the lead section, if any), then one file
 * per other section; with the contents entries and the anchors internal links resolve to.
 */
function layOutContentFiles(metadata: DocumentMetadata, rendered: readonly RenderedSection[], narrated: boolean): BookLayout {
  const lead = rendered.find((entry) => entry.section.role === "lead");
  const files: ContentFile[] = [
    { id: "cover", file: "cover.xhtml", title: coverAltText(metadata), body: mainOf(coverBody(metadata, coverImageHref)), beforeToc: true },
    {
      id: "titlepage",
      file: "titlepage.xhtml",
      title: metadata.title,
      body: mainOf(titlePageBody(metadata, lead?.content ?? [])),
      beforeToc: true,
      ...(lead ? { sections: [lead.section], containerId: "lead" } : {}),
    },
  ];
  const tocEntries: TocEntry[] = [];
  const anchors = new Map<string, string>();
  for (const entry of rendered) {
    const { section } = entry;
    if (section.role === "lead") {
      tocEntries.push({ label: section.title, href: "titlepage.xhtml#lead", outline: entry.outline, file: "titlepage.xhtml" });
      anchors.set(section.slug, "titlepage.xhtml#lead");
      for (const heading of entry.outline) anchors.set(heading.id.replace(/^h-/, ""), `titlepage.xhtml#${heading.id}`);
      continue;
    }
    const file = chapterFileName(section);
    // Body sections are chapters (EPUB SSV `chapter`, DPUB-ARIA `doc-chapter`); end matter
    // (bio, copyright) is a plain section labelled by its heading.
    const sectionProperties =
      section.role === "body"
        ? { "epub:type": "chapter", role: "doc-chapter", ariaLabelledBy: entry.headingId ? [entry.headingId] : [] }
        : { ariaLabelledBy: entry.headingId ? [entry.headingId] : [] };
    // A narrated book's overlay names the section element (`epub:textref`), so it has an id.
    const containerId = `section-${section.index}`;
    files.push({
      id: `section-${section.index}`,
      file,
      title: section.title,
      body: mainOf([element("section", narrated ? { id: containerId, ...sectionProperties } : sectionProperties, entry.content)]),
      beforeToc: false,
      sections: [section],
      containerId,
    });
    tocEntries.push({ label: section.title, href: file, outline: entry.outline, file });
    anchors.set(section.slug, file);
    if (entry.headingId) anchors.set(entry.headingId.replace(/^h-/, ""), `${file}#${entry.headingId}`);
    for (const heading of entry.outline) anchors.set(heading.id.replace(/^h-/, ""), `${file}#${heading.id}`);
  }
  const firstBody = files.find((file) => file.id.startsWith("section-"));
  const bodyMatterHref = lead ? "titlepage.xhtml#lead" : (firstBody?.file ?? "titlepage.xhtml");
  return { files, tocEntries, anchors, bodyMatterHref };
}

/** One overlay per content document that holds narrated sections; undefined when none is narrated. */
function narrateContentFiles(files: readonly ContentFile[], narration: Narration): NarratedBook | undefined {
  const overlays = new Map<string, MediaOverlay>();
  for (const file of files) {
    if (!file.sections || !file.containerId) continue;
    const overlay = narration.overlay({ file: file.file, sections: file.sections, containerId: file.containerId, body: file.body });
    if (overlay) overlays.set(file.id, overlay);
  }
  return overlays.size > 0 ? { narration, overlays } : undefined;
}

/** The navigation document (`toc.xhtml`): the contents and the landmarks. */
function navigationXhtml(metadata: DocumentMetadata, layout: BookLayout): string {
  const { words } = wordsFor(metadata.language);
  const landmarks: Landmark[] = [
    { type: "cover", label: words.cover, href: "cover.xhtml" },
    { type: "titlepage", label: words.titlePage, href: "titlepage.xhtml" },
    { type: "toc", label: words.contents, href: "toc.xhtml#toc" },
    { type: "bodymatter", label: words.startOfContent, href: layout.bodyMatterHref },
  ];
  return serializeXhtml(navigationDocument({ language: metadata.language, bookTitle: metadata.title, entries: layout.tocEntries, landmarks }));
}

/** The OPF manifest items besides the nav, NCX and style sheet, in package order. */
function manifestItems(files: readonly ContentFile[], assets: ImageAssets, font: EmbeddedFont | undefined, narrated: NarratedBook | undefined): ManifestItem[] {
  const overlays = narrated?.overlays;
  return [
    { id: "cover-image", href: coverImageHref, mediaType: "image/svg+xml", properties: "cover-image" },
    ...files.map((file) => ({
      id: file.id,
      href: file.file,
      mediaType: "application/xhtml+xml",
      ...(overlays?.has(file.id) ? { mediaOverlay: overlayId(file.id) } : {}),
    })),
    ...assets.images.map((image, index) => ({ id: `image-${index + 1}`, href: image.href, mediaType: image.mediaType })),
    ...(font?.items ?? []),
    ...[...(overlays ?? [])].map(([id, overlay]) => ({ id: overlayId(id), href: overlay.href, mediaType: "application/smil+xml" })),
    ...(narrated?.narration.media ?? []).map((media) => media.item),
  ];
}

/** Reading order: cover and title page, the nav, then the sections. */
function spineOf(files: readonly ContentFile[]): string[] {
  return [...files.filter((file) => file.beforeToc).map((file) => file.id), "nav", ...files.filter((file) => !file.beforeToc).map((file) => file.id)];
}

/** Everything the OPF and NCX hold. */
function packageData(input: {
  readonly metadata: DocumentMetadata;
  readonly modified: Date;
  readonly accessibility: AccessibilityMetadata;
  readonly items: readonly ManifestItem[];
  readonly spine: readonly string[];
  readonly tocEntries: readonly TocEntry[];
  readonly narrated: NarratedBook | undefined;
}): PackageData {
  const { metadata, narrated } = input;
  const { language } = metadata;
  const { words } = wordsFor(language);
  return {
    identifier: bookIdentifier(metadata),
    title: metadata.title,
    language,
    direction: textDirection(language),
    ...(metadata.author ? { author: metadata.author } : {}),
    ...(metadata.date ? { date: metadata.date } : {}),
    // An empty dc:description fails EPUBCheck; readers derive one, this is the last resort.
    description: metadata.description?.trim() || (metadata.author ? fill(words.titleByAuthor, { title: metadata.title, author: metadata.author }) : metadata.title),
    ...(metadata.keywords?.length ? { keywords: metadata.keywords } : {}),
    ...(metadata.source ? { source: metadata.source } : {}),
    ...(metadata.publisher ? { publisher: metadata.publisher } : {}),
    modified: formatModified(input.modified),
    accessibility: input.accessibility,
    ...(summaryLanguage(language) ? { summaryLanguage: summaryLanguage(language) } : {}),
    items: input.items,
    spine: input.spine,
    ncxPoints: input.tocEntries.map((entry, index) => ({ id: `nav-point-${index + 1}`, label: xmlSafeText(entry.label), src: entry.href })),
    ...(narrated
      ? {
          mediaOverlays: {
            durations: [...narrated.overlays].map(([id, overlay]) => ({ id: overlayId(id), durationMs: overlay.durationMs })),
            totalDurationMs: totalDurationMs(narrated),
            activeClass: narrated.narration.activeClass,
            narrator: narrated.narration.narrator,
          },
        }
      : {}),
  };
}

/** The files Lectern adds to the package itself (paths relative to `OEBPS/`): cover image, images, font, overlays and their audio. */
function packagedFiles(metadata: DocumentMetadata, assets: ImageAssets, font: EmbeddedFont | undefined, narrated: NarratedBook | undefined): ExtraFile[] {
  return [
    { href: coverImageHref, data: serializeSvg(coverSvg(metadata)) },
    ...assets.images.map((image) => ({ href: image.href, data: image.data })),
    ...(font?.files ?? []),
    ...[...(narrated?.overlays.values() ?? [])].map((overlay) => ({ href: overlay.href, data: overlay.smil })),
    ...(narrated?.narration.media ?? []).map((media) => media.file),
  ];
}

/** The style sheet every content document links: Lectern's, then the embedded font's rules, then the narration's active class. */
function bookStylesheet(font: EmbeddedFont | undefined, narrated: NarratedBook | undefined): string {
  return stylesheet + (font?.css ?? "") + (narrated?.narration.css ?? "");
}

/** The content documents as epub-gen-memory chapters: each the finished XHTML, its `content` empty (container.ts says why). */
function chapterDocuments(files: readonly ContentFile[], language: string): ContainerInput["chapters"] {
  return files.map((file) => ({
    title: file.title,
    filename: file.file,
    content: "",
    beforeToc: file.beforeToc,
    xhtml: serializeXhtml(xhtmlDocument({ language, title: file.title, stylesheet: "style.css", body: file.body.children })),
  }));
}

/** epub-gen-memory's options: Lectern's templates, which print the documents passed with them. */
function containerOptions(book: PackageData, modified: Date, css: string, navXhtml: string): ContainerInput["options"] {
  return {
    title: book.title,
    author: book.author ? [book.author] : [],
    lang: book.language,
    description: book.description,
    version: 3,
    css,
    contentOPF: contentOpfTemplate,
    tocNCX: tocNcxTemplate,
    tocXHTML: tocXhtmlTemplate,
    chapterXHTML: chapterXhtmlTemplate,
    prependChapterTitles: false,
    fonts: [],
    verbose: false,
    date: modified.toISOString(),
    packageXml: packageDocument(book),
    ncxXml: ncxDocument(book),
    navXhtml,
  };
}

/** What manifest.json records about the book. */
function epubDetails(book: PackageData, files: readonly ContentFile[], packagedImages: number, droppedImages: number, narrated: NarratedBook | undefined): EpubDetails {
  return {
    identifier: book.identifier,
    modified: book.modified,
    contentDocuments: ["cover.xhtml", "titlepage.xhtml", "toc.xhtml", ...files.filter((file) => !file.beforeToc).map((file) => file.file)],
    images: { packaged: packagedImages, dropped: droppedImages },
    accessibility: book.accessibility,
    ...(narrated ? { narration: { overlays: narrated.overlays.size, durationMs: totalDurationMs(narrated), narrator: narrated.narration.narrator } } : {}),
  };
}

/** The book's `media:duration`: the sum of its overlays'. */
function totalDurationMs(narrated: NarratedBook): number {
  return [...narrated.overlays.values()].reduce((sum, overlay) => sum + overlay.durationMs, 0);
}

/** The manifest id of a content document's overlay. */
function overlayId(documentId: string): string {
  return `${documentId}-overlay`;
}

export type StageReporter = (rule: string, reason: string, line?: number, column?: number) => void;

/**
 * The document's metadata as the package can hold it: characters XML cannot hold removed, a
 * blank field treated as absent (a whitespace-only `dc:creator` fails the OPF schema,
 * EPUBCheck RSC-005), a title that is never empty, a language that is a BCP 47 tag
 * (`en_US` → `en-US`; `en` when it is none: `xml:lang` and `dc:language` must be valid,
 * RSC-005/OPF-092), and a date EPUBCheck accepts (`YYYY[-MM[-DD]]`, no year after 9999:
 * OPF-053) or none.
 */
function packageMetadata(doc: LecternDocument, report: StageReporter): DocumentMetadata {
  const clean = (value: string | undefined): string | undefined => {
    const cleaned = value === undefined ? "" : xmlSafeText(value).trim();
    return cleaned === "" ? undefined : cleaned;
  };
  const { title, author, language, date, description, source, publisher, certifiedBy } = doc.metadata;
  const optional = { author, date, description, source, publisher, certifiedBy };
  const keywords = (doc.metadata.keywords ?? []).flatMap((keyword) => clean(keyword) ?? []);
  const written = clean(language) ?? "en";
  const tag = bookLanguageTag(written);
  if (canonicalLanguage(written) === undefined) report("language-invalid", `language \`${written.slice(0, 40)}\` is not a BCP 47 language tag; the EPUB is marked \`${tag}\``);
  const cleanDate = clean(date);
  if (cleanDate !== undefined && packageDate(cleanDate) === undefined) {
    report("date-invalid", `date \`${cleanDate.slice(0, 40)}\` is not a date an EPUB can record (YYYY-MM-DD, years up to 9999); it is left out of the EPUB`);
  }
  return {
    title: clean(title) ?? doc.slug,
    language: tag,
    ...Object.fromEntries(Object.entries(optional).flatMap(([key, value]) => (clean(value) === undefined ? [] : [[key, clean(value)!]]))),
    ...(cleanDate !== undefined && packageDate(cleanDate) !== undefined ? { date: packageDate(cleanDate) } : { date: undefined }),
    ...(keywords.length > 0 ? { keywords } : {}),
  };
}

/** A content document's body: its content inside `main` (axe `landmark-one-main`: one main landmark per page). */
function mainOf(children: ElementContent[]): Root {
  return { type: "root", children: [element("main", {}, children)] };
}

async function write(doc: LecternDocument, context: StageContext): Promise<StageResult<undefined, EpubManifest>> {
  const path = join(context.outDir, `${doc.slug}.epub`);
  const { manifest } = await context.run(`epub: ${doc.slug}.epub`, async () => {
    const result = await renderEpub(doc, {
      now: context.options.now,
      readingFont: readingFontOption(context.options),
      report: (rule, reason, line, column) =>
        context.report({ severity: "warning", rule, reason, file: doc.path, ...(line ? { line } : {}), ...(line && column ? { column } : {}) }),
    });
    context.signal.throwIfAborted();
    await writeFileAtomic(path, result.bytes);
    return result;
  });
  context.progress(1, 1);
  const entry: EpubManifest = { path: `${doc.slug}.epub`, ...manifest };
  return { manifest: entry, files: [path] };
}

export const epubStage: Stage<"epub", NoNeeds, EpubManifest, undefined> = { name: "epub", write };
