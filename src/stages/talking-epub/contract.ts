// The two interfaces the talking EPUB consumes from other helpers' work (issue 15 contract,
// items 3 and 4), declared here until those branches are merged: `SentencedSection` and
// `SentenceInfo` move to src/document/sentences.ts, `AudioData` and `AudioTrackClips` to
// src/stages/audio/clips.ts, and these imports are swapped for theirs.
import type { FootnoteDefinition, Heading, RootContent } from "mdast";
import type { Section } from "../../document/model.js";

/** What kind of text a unit is. */
export type SentenceKind = "heading" | "paragraph" | "list-item" | "quote" | "table-cell" | "caption" | "footnote" | "code" | "image";

/** One unit the audio voices: a sentence, a heading, a table cell, a code block, an image description. */
export interface SentenceInfo {
  /** `${section.slug}-s${n}`, n from 1 in document order. */
  readonly id: string;
  /** The written text, on one line. */
  readonly text: string;
  readonly kind: SentenceKind;
  readonly line?: number;
}

/** A section with its units marked in its blocks. */
export interface SentencedSection {
  readonly section: Section;
  /**
   * The section's own heading with its one sentence node (its first unit); absent for a lead
   * section and end matter without a heading. (Not in the contract; the sentences module has it.)
   */
  readonly heading?: Heading;
  /** Copies of section.blocks with sentence nodes inserted (section.blocks are not changed). */
  readonly blocks: readonly RootContent[];
  /** Copies of the footnote definitions this section references, in first-reference order, ids continuing its numbering. */
  readonly footnotes: ReadonlyMap<string, FootnoteDefinition>;
  /** Every unit in document order. */
  readonly sentences: readonly SentenceInfo[];
}

/** The audio stage's typed result: where each unit is in its section's MP3. */
export interface AudioData {
  /** "eSpeak NG, synthetic voice (gmw/en-US)": what the talking EPUB's media:narrator says. */
  readonly narrator: string;
  readonly tracks: readonly AudioTrackClips[];
}

export interface AudioTrackClips {
  /** Section.index. */
  readonly section: number;
  /** The MP3, relative to the output folder (audio/NN-slug.mp3). */
  readonly path: string;
  /** Decoded duration from the encoder's own sample count. */
  readonly durationMs: number;
  /** In document order, strictly increasing, non-overlapping, inside [0, durationMs], none of zero length; integer ms. */
  readonly clips: readonly { readonly id: string; readonly beginMs: number; readonly endMs: number }[];
}
