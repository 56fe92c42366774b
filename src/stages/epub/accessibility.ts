// EPUB Accessibility 1.1 metadata: claims derived from what this book actually contains.
import type { LecternDocument } from "../../document/model.js";
import type { ContentStatistics } from "./chapters.js";

export interface AccessibilityMetadata {
  /** `schema:accessMode`: textual always; visual because the book has a cover image (and any pictures). */
  readonly accessModes: readonly string[];
  /** `schema:accessModeSufficient`: every image has alt text or is decorative, so text alone suffices. */
  readonly accessModesSufficient: readonly string[];
  readonly features: readonly string[];
  readonly hazards: readonly string[];
  readonly summary: string;
  /** `dcterms:conformsTo` (EPUB Accessibility 1.1 §3.1). */
  readonly conformsTo: string;
  /** `a11y:certifiedBy`, only when the front matter names an evaluator (a tool is not one). */
  readonly certifiedBy?: string;
}

/**
 * The language of the summary, when it differs from the book's (`en` in a French book);
 * undefined in an English one. The summary is not in the message catalogues: it is a paragraph
 * of English for EPUB reading systems and catalogues, written from the statistics.
 */
export function summaryLanguage(bookLanguage: string): string | undefined {
  return bookLanguage.split("-")[0]?.toLowerCase() === "en" ? undefined : "en";
}

/** A narrated book's audio, as the claims need it. */
export interface NarrationFacts {
  /** Who reads (`media:narrator`): the engine and voice. */
  readonly narrator: string;
  /** Every unit, image descriptions included, has its audio. */
  readonly complete: boolean;
}

export const conformanceStatement = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/**
 * The claims (EPUB Accessibility 1.1 §5, schema.org accessibility vocabulary). Each is true
 * of every book Lectern writes, or conditioned on the statistics:
 * - structuralNavigation: headings mark every section and sub-heading, in order.
 * - tableOfContents: the navigation document lists them, nested.
 * - readingOrder: the spine follows the source order; notes are asides after the text.
 * - alternativeText: the cover and every packaged picture carry alt text (decorative ones `alt=""`).
 * - displayTransformability: the style sheet sets no fonts, colours or absolute sizes.
 * - ARIA: sections, notes and navigation carry DPUB-ARIA roles.
 * - unlocked: no DRM.
 * Features the book lacks (MathML, page numbers, captions) are never claimed.
 *
 * A narrated book (`narration`) adds the audio: accessMode `auditory`, the feature
 * `synchronizedAudioText` (its media overlays), and `auditory` as sufficient only when every
 * unit, image descriptions included, is spoken (`complete`); text stays sufficient too.
 */
export function accessibilityMetadata(document: LecternDocument, statistics: ContentStatistics, narration?: NarrationFacts): AccessibilityMetadata {
  const features = [
    "structuralNavigation",
    "tableOfContents",
    "readingOrder",
    "alternativeText",
    "displayTransformability",
    "ARIA",
    "unlocked",
    ...(narration ? ["synchronizedAudioText"] : []),
  ];
  return {
    accessModes: narration ? ["textual", "visual", "auditory"] : ["textual", "visual"],
    accessModesSufficient: narration?.complete ? ["textual", "auditory"] : ["textual"],
    features,
    hazards: ["none"],
    summary: accessibilitySummary(document, statistics, narration),
    conformsTo: conformanceStatement,
    ...(document.metadata.certifiedBy ? { certifiedBy: document.metadata.certifiedBy } : {}),
  };
}

/** `ar` → `Arabic (ar)`, `fr-FR` → `French (fr-FR)`: the summary is read by people, the tag by machines. */
function languageName(tag: string): string {
  try {
    // The primary subtag's name: `fr-FR` → "French (fr-FR)", not "French (France) (fr-FR)".
    const primary = tag.split("-")[0] ?? tag;
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(primary);
    return name && name.toLowerCase() !== primary.toLowerCase() ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * A summary a reader can act on, specific to this book (EPUB Accessibility 1.1 §5.2
 * `accessibilitySummary`). It is written in English whatever the book's language; the package
 * document marks it `xml:lang="en"` in other books (`summaryLanguage`).
 */
export function accessibilitySummary(document: LecternDocument, statistics: ContentStatistics, narration?: NarrationFacts): string {
  const sentences: string[] = [];
  const sections = document.sections.length;
  sentences.push(
    `“${document.metadata.title}” is a reflowable EPUB 3 of ${plural(sections, "section", "sections")}, ` +
      `navigable by a nested table of contents and by headings that follow the document's outline without skipping levels.`,
  );
  const pictures: string[] = [];
  if (statistics.describedImages) pictures.push(`${plural(statistics.describedImages, "image has", "images have")} a text alternative`);
  if (statistics.decorativeImages) pictures.push(`${plural(statistics.decorativeImages, "decorative image is", "decorative images are")} marked to be skipped`);
  const described = statistics.droppedDescribedImages;
  if (described) {
    pictures.push(
      `${plural(described, "image that was", "images that were")} not available when the book was made ${described === 1 ? "is" : "are"} replaced by ${described === 1 ? "its" : "their"} description`,
    );
  }
  sentences.push(pictures.length ? `The cover carries the title as text; ${pictures.join("; ")}.` : "The cover carries the title as text, and the book has no other images.");
  const structure: string[] = [];
  if (statistics.tables) structure.push(`${plural(statistics.tables, "table has", "tables have")} header cells with their scope`);
  if (statistics.footnotes)
    structure.push(`${plural(statistics.footnotes, "footnote is", "footnotes are")} linked to and from ${statistics.footnotes === 1 ? "its" : "their"} reference`);
  if (statistics.otherLanguages.size) {
    const names = [...statistics.otherLanguages].sort().map(languageName);
    structure.push(`passages in ${names.join(", ")} are marked with their language`);
  }
  if (structure.length) sentences.push(`${structure.join("; ")}.`.replace(/^./, (first) => first.toUpperCase()));
  if (narration) {
    sentences.push(
      `The book is narrated by a synthetic voice (${narration.narrator}), not a human reader: its media overlays highlight each sentence as it is spoken` +
        (narration.complete ? "; everything, image descriptions included, is read aloud." : "; some parts are not read aloud, so the text remains needed."),
    );
  }
  sentences.push(
    `The text is in ${languageName(document.metadata.language)}; the style sheet leaves fonts, sizes and colours to the reading system, and the book has no known hazards.`,
  );
  return sentences.join(" ");
}
