// ID3v2 tags for the tracks and the full-length book: what players show and how they navigate.
import NodeID3 from "node-id3";
import type { LecternDocument } from "../../document/model.js";
import type { EngineDescription } from "../../tts/engine.js";
import { fill, wordsFor } from "../../document/words/index.js";
import { oneLineText } from "./metadata-text.js";

/** ISO 639-2 codes for the ID3 `TLAN` frame (it takes three letters, not BCP 47). */
const iso639Part2: Readonly<Record<string, string>> = {
  en: "eng",
  fr: "fra",
  de: "deu",
  es: "spa",
  it: "ita",
  pt: "por",
  nl: "nld",
  ar: "ara",
  ru: "rus",
  zh: "zho",
  ja: "jpn",
  ko: "kor",
  pl: "pol",
  sv: "swe",
  da: "dan",
  fi: "fin",
  nb: "nob",
  no: "nor",
  tr: "tur",
  el: "ell",
  he: "heb",
  hi: "hin",
  fa: "fas",
  uk: "ukr",
  cs: "ces",
  hu: "hun",
  ro: "ron",
  ku: "kur",
};

export function id3Language(tag: string): string {
  const primary = tag.split("-")[0]!.toLowerCase();
  return iso639Part2[primary] ?? (primary.length === 3 ? primary : "und");
}

export interface TrackTagInput {
  readonly title: string;
  readonly track: number;
  readonly trackCount: number;
}

export interface ChapterInput {
  readonly id: string;
  readonly title: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * An address for the `WOAS` frame, or undefined: ID3 URL frames are ISO-8859-1 and end at a NUL,
 * so only an http(s) URL goes there, in the WHATWG serialisation (ASCII: the host in punycode,
 * the rest percent-encoded). A citation that is not a URL stays in the comment.
 */
function sourceUrl(source: string): string | undefined {
  try {
    const url = new URL(source.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every text frame passes through `oneLineText`: ID3 strings end at a NUL (a NUL in an
 * author's name cut the artist short), and players show each on one line.
 */
function commonTags(doc: LecternDocument, engine: EngineDescription, now: Date, cover: Uint8Array | undefined): NodeID3.Tags {
  const language = id3Language(doc.metadata.language);
  const { words, fallback } = wordsFor(doc.metadata.language);
  const year = doc.metadata.date?.slice(0, 4);
  const comment = [doc.metadata.source ? `${words.source} ${doc.metadata.source}` : undefined, fill(words.readBy, { engine: engine.engine, voice: engine.voice })]
    .filter((part) => part !== undefined)
    .join(" ");
  const source = doc.metadata.source === undefined ? undefined : sourceUrl(doc.metadata.source);
  const tags: NodeID3.Tags = {
    artist: oneLineText(doc.metadata.author ?? "") || words.unknownAuthor,
    album: oneLineText(doc.metadata.title),
    language,
    // "Speech" is ID3v1 genre 101.
    genre: "Speech",
    // The comment is Lectern's words, so it is in their language (English where they fall back).
    comment: { language: fallback ? "eng" : language, text: oneLineText(comment) },
    encodedBy: "Lectern",
    encodingTime: now.toISOString().slice(0, 19),
    userDefinedText: [
      { description: "TTS engine", value: oneLineText(engine.engine) },
      { description: "TTS voice", value: oneLineText(engine.voice) },
      { description: "TTS settings", value: oneLineText(JSON.stringify(engine.settings)) },
    ],
  };
  if (year && /^\d{4}$/.test(year)) tags.year = year;
  // APIC picture type 3 is "Cover (front)".
  if (cover) tags.image = { mime: "image/png", type: { id: 3 }, description: words.cover, imageBuffer: Buffer.from(cover) };
  if (source) tags.audioSourceUrl = source;
  return tags;
}

/** The ID3v2 tag of one section's track, as bytes to put in front of the MPEG stream. */
export function trackTag(doc: LecternDocument, engine: EngineDescription, track: TrackTagInput, now: Date, cover?: Uint8Array): Buffer {
  return NodeID3.create({
    ...commonTags(doc, engine, now, cover),
    title: oneLineText(track.title),
    trackNumber: `${track.track}/${track.trackCount}`,
  });
}

/**
 * The full-length book's tag: a `CTOC` table of contents (top level, ordered) listing one
 * `CHAP` frame per section (ID3v2 Chapter Frame Addendum 1.0), each titled with the section.
 */
export function bookTag(doc: LecternDocument, engine: EngineDescription, chapters: readonly ChapterInput[], now: Date, cover?: Uint8Array): Buffer {
  return NodeID3.create({
    ...commonTags(doc, engine, now, cover),
    title: oneLineText(doc.metadata.title),
    chapter: chapters.map((chapter) => ({
      elementID: chapter.id,
      startTimeMs: Math.round(chapter.startMs),
      endTimeMs: Math.round(chapter.endMs),
      tags: { title: oneLineText(chapter.title) },
    })),
    tableOfContents: [
      {
        elementID: "toc",
        isOrdered: true,
        elements: chapters.map((chapter) => chapter.id),
        tags: { title: oneLineText(doc.metadata.title) },
      },
    ],
  });
}
