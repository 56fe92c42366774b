// The document model: what every reader produces and every stage consumes, typed once.
//
// Content blocks are mdast (the unified collective's Markdown syntax tree), so a reader for
// plain text and the Markdown reader hand the stages the same kind of tree, and each node
// keeps its source `position` for messages that point back at a line.
import type { FootnoteDefinition, Heading, PhrasingContent, RootContent } from "mdast";

/** Metadata of the whole document, from front matter or inferred from the text. */
export interface DocumentMetadata {
  /** Display title. Never empty: readers fall back to the file name. */
  readonly title: string;
  /** Author's name, as it should be displayed and read. */
  readonly author?: string;
  /** BCP 47 language tag (`en-US`); when the source says nothing, the language its prose reads as, else `en`. */
  readonly language: string;
  /** Publication date as written in the source, normalised to ISO 8601 (`2026-02-13`). */
  readonly date?: string;
  /** One-paragraph description; readers derive one from the opening text when absent. */
  readonly description?: string;
  /**
   * Subject keywords (front matter `keywords`, `tags`, `categories`), in order, each clean
   * plain text, no two alike: EPUB `dc:subject`, PDF `/Keywords` and XMP `pdf:Keywords`.
   */
  readonly keywords?: readonly string[];
  /** Where the text comes from (URL or citation), recorded in every output. */
  readonly source?: string;
  /** Publisher, when the front matter names one. */
  readonly publisher?: string;
  /** The accessibility evaluator, when the front matter names one (never invented). */
  readonly certifiedBy?: string;
  /**
   * Pronunciations for the speech engines, written form → spoken form (front matter
   * `pronunciations:`); they win over a lexicon file next to the document.
   */
  readonly pronunciations?: Readonly<Record<string, string>>;
}

/**
 * Where a metadata field's value came from: `command line`, `options` (a library caller),
 * `front matter`, a metadata file's name (`meta.yaml`), `inferred` (from the text or the
 * file name; for the language, a Gutenberg `Language:` header), `detected` (the language,
 * read from the prose: src/document/language.ts) or `default` (the language `en`, when the
 * prose was too short to tell). Fields the document has no value for are absent.
 */
export type MetadataSources = Readonly<Partial<Record<Exclude<keyof DocumentMetadata, "pronunciations">, string>>>;

/**
 * What a section is for. `lead` is the text before the first heading, `body` a section
 * opened by a heading, `end-matter` the author bio / copyright lines at the end.
 */
export type SectionRole = "lead" | "body" | "end-matter";

/** A 1-based source position, for messages and for mapping outputs back to the text. */
export interface SourcePoint {
  readonly line: number;
  readonly column: number;
}

export interface Section {
  /** 1-based position in reading order; also the track number of its audio. */
  readonly index: number;
  readonly role: SectionRole;
  /** Plain-text title (the heading's text; the document title for a lead section). */
  readonly title: string;
  /** The heading as written, with its inline markup; absent for lead and end-matter sections. */
  readonly heading?: Heading;
  /** URL- and file-name-safe identifier, unique within the document. */
  readonly slug: string;
  /**
   * Heading level in the source (1–6), or 0 for a section without a heading. Headings deeper
   * than the sectioning level stay inside `blocks` as sub-headings.
   */
  readonly depth: number;
  /** The section's content after its heading, in source order. */
  readonly blocks: readonly RootContent[];
  /** Words a reader would read: heading and blocks, without code. */
  readonly words: number;
  /** Where the section starts in the source. */
  readonly start?: SourcePoint;
}

export type SourceFormat = "markdown" | "text";

export interface LecternDocument {
  /** Absolute path of the source file. */
  readonly path: string;
  /** Folder that relative image paths are resolved against (and confined to). */
  readonly directory: string;
  readonly format: SourceFormat;
  /**
   * SHA-256 of the format, the text this document was parsed from, whether its typography was
   * made smart (`ReadOptions.smartTypography`) and its metadata. The EPUB and PDF cache
   * keys on it (src/stages/stage-output-cache.ts); a document without one is never cached.
   */
  readonly sourceDigest?: string;
  /** File-name-safe base name for outputs (`<slug>.epub`, `<slug>.pdf`), from the source file's name. */
  readonly slug: string;
  readonly metadata: DocumentMetadata;
  /**
   * Set when neither the metadata nor the text gave a title and `metadata.title` is the file
   * name's (`metadataSources.title` says `inferred` for a title heading and the file name alike).
   */
  readonly titleFromFileName?: true;
  /** Where each metadata field came from (src/document/metadata-sources.ts); the manifest records it. */
  readonly metadataSources?: MetadataSources;
  readonly sections: readonly Section[];
  /**
   * Footnote definitions by identifier (mdast `footnoteReference.identifier`), taken out of
   * the blocks so every stage renders them where its format wants them.
   */
  readonly footnotes: ReadonlyMap<string, FootnoteDefinition>;
  /** Total words over all sections. */
  readonly words: number;
}

/** Inline content that titles carry; re-exported so stages need not import mdast for it. */
export type { PhrasingContent };
