// The talking EPUB stage: the EPUB with the section MP3s inside and one SMIL media overlay per
// content document, so a reading system plays the audio and highlights the sentence being
// spoken (`<outDir>/<slug>.talking.epub`). It is the EPUB stage's renderer in narrated mode.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Heading, PhrasingContent, RootContent } from "mdast";
import type { LecternDocument } from "../../document/model.js";
import { LecternError } from "../../messages.js";
import { writeFileAtomic } from "../../output/atomic-write.js";
import { readFrameHeader, scanFrames } from "../../audio/mp3-frames.js";
import type { ExtraFile } from "../epub/container.js";
import { renderEpub, type EpubDetails, type Narration, type StageReporter } from "../epub/index.js";
import type { ManifestItem } from "../epub/package-document.js";
import type { ReadingFont } from "../epub/reading-font.js";
import { readingFontOption } from "../epub/reading-font.js";
import type { Stage, StageContext, StageResult } from "../stage.js";
import { type SentencedSection, sentenceSections } from "../../document/sentences.js";
import type { AudioData, AudioTrackClips } from "../audio/clips.js";
import { mediaOverlay, type PlacedClip } from "./smil.js";

/** The talking EPUB's entry in manifest.json (`outputs["talking-epub"]`). */
export type TalkingEpubManifest = EpubDetails & {
  /** `<slug>.talking.epub`, relative to the output folder. */
  readonly path: string;
};

export interface TalkingEpubOptions {
  readonly now: Date;
  readonly report: StageReporter;
  readonly readingFont?: ReadingFont;
  /** Reads one of the audio stage's MP3s (`audio/NN-slug.mp3`, relative to the output folder). */
  readAudio(path: string): Promise<Uint8Array>;
}

/** `media:active-class`: the class a reading system gives the element being read. */
export const activeClass = "media-overlay-active";

/**
 * The highlight of the element being read. Colours are set here only, on that one element, so
 * the highlight shows whatever the reader's theme; in forced-colours mode (Windows high
 * contrast) the system's own highlight colours are used instead, and kept.
 */
export const activeClassCss = `
.${activeClass} { background-color: #fff0a0; color: #000; }
@media (forced-colors: active) {
  .${activeClass} { background-color: Highlight; color: HighlightText; forced-color-adjust: none; }
}
`;

/** An MP3 of the audio stage: `audio/<name>.mp3`, a plain file name (it becomes a zip entry and a URL). */
const audioPath = /^audio\/[A-Za-z0-9][A-Za-z0-9._-]*\.mp3$/;

/** Renders the talking book and returns the `.epub` bytes and its manifest entry (no file written). */
export async function renderTalkingEpub(
  doc: LecternDocument,
  sentenced: readonly SentencedSection[],
  audio: AudioData,
  options: TalkingEpubOptions,
): Promise<{ readonly bytes: Uint8Array; readonly manifest: EpubDetails }> {
  const clips = new Map<string, PlacedClip>();
  const media: { item: ManifestItem; file: ExtraFile }[] = [];
  for (const track of audio.tracks) {
    const href = await packagedTrack(track, options, media);
    for (const clip of usableClips(track)) clips.set(clip.id, { audio: href, beginMs: clip.beginMs, endMs: clip.endMs });
  }

  const bySection = new Map(sentenced.map((entry) => [entry.section.index, entry]));
  // A unit with nothing to say (a decorative image, `alt=""`) is complete without audio.
  const speakable = sentenced.flatMap((entry) => entry.sentences.filter((sentence) => sentence.text.trim() !== ""));
  const narrated = new Set<string>();
  const narration: Narration = {
    content: (section) => {
      const entry = bySection.get(section.index);
      return entry ? narratedContent(entry) : undefined;
    },
    overlay: ({ file, sections, containerId, body }) => {
      const overlay = mediaOverlay({ file, containerId, containerType: sections.every((section) => section.role === "body") ? "chapter" : undefined, body, clips });
      for (const id of overlay.outOfOrder) options.report("talking-clip-order", `the audio of unit \`${id}\` comes before the text preceding it; it is left out of the overlay`);
      for (const id of overlay.units) narrated.add(id);
      if (overlay.units.length === 0) return undefined;
      return { href: file.replace(/\.xhtml$/, ".smil"), smil: overlay.smil, durationMs: overlay.durationMs };
    },
    media,
    narrator: audio.narrator,
    activeClass,
    css: activeClassCss,
    // Decided from the overlays written: every unit of the text, image descriptions included, has its clip.
    complete: () => speakable.length > 0 && speakable.every((sentence) => narrated.has(sentence.id)),
  };
  const result = await renderEpub(doc, { now: options.now, report: options.report, ...(options.readingFont ? { readingFont: options.readingFont } : {}), narration });
  const silent = speakable.filter((sentence) => !narrated.has(sentence.id));
  if (silent.length) {
    options.report(
      "talking-unit-silent",
      `${silent.length} of the text's ${speakable.length} units have no audio in the talking EPUB (first: \`${silent[0]!.id}\`)`,
      silent[0]!.line,
    );
  }
  return result;
}

/** Adds one section's MP3 to the package, as it is (stored, no second encoding); returns its href. */
async function packagedTrack(track: AudioTrackClips, options: TalkingEpubOptions, media: { item: ManifestItem; file: ExtraFile }[]): Promise<string> {
  if (!audioPath.test(track.path)) {
    throw new LecternError("STAGE", `talking EPUB: the audio track \`${track.path.slice(0, 80)}\` is not an MP3 of the audio folder`, { hint: "expected audio/<name>.mp3" });
  }
  const bytes = await options.readAudio(track.path);
  // The file is read back from disk: untrusted until it is an MP3 long enough for its clips.
  let seconds: number;
  let constant: boolean;
  try {
    const scan = scanFrames(bytes);
    seconds = (scan.frameCount * scan.first.samples) / scan.first.sampleRate;
    constant = constantBitrate(scan.frames, scan.first.bitrate);
  } catch {
    throw new LecternError("STAGE", `talking EPUB: ${track.path} is not an MP3`, { hint: "build the audio again" });
  }
  if (seconds * 1000 < track.durationMs) {
    throw new LecternError("STAGE", `talking EPUB: ${track.path} holds ${Math.round(seconds * 1000)} ms of audio, its timings ${track.durationMs} ms`, {
      hint: "build the audio again",
    });
  }
  // EPUB 3.4 (draft) Media Overlays: VBR audio SHOULD NOT be used, players seek in it inexactly.
  if (!constant) options.report("talking-audio-vbr", `${track.path} has a variable bitrate; reading systems may highlight the wrong sentence when seeking in it`);
  const href = track.path;
  media.push({ item: { id: `audio-${track.section}`, href, mediaType: "audio/mpeg" }, file: { href, data: bytes, stored: true } });
  return href;
}

/** Whether every frame has the first one's bitrate (CBR). */
function constantBitrate(frames: Uint8Array, bitrate: number): boolean {
  for (let offset = 0; offset < frames.length; ) {
    const header = readFrameHeader(frames, offset);
    if (!header) return true; // trailing bytes after the last frame
    if (header.bitrate !== bitrate) return false;
    offset += header.size;
  }
  return true;
}

/** A track's clips that a SMIL may hold: integer ms, of some length, inside the audio. */
function usableClips(track: AudioTrackClips): AudioTrackClips["clips"] {
  return track.clips.filter(
    (clip) => Number.isSafeInteger(clip.beginMs) && Number.isSafeInteger(clip.endMs) && clip.beginMs >= 0 && clip.endMs > clip.beginMs && clip.endMs <= track.durationMs,
  );
}

/**
 * The section's content with its units. The section's own heading is its first unit when the
 * sentences say so: the sentenced heading, or the blocks' first when they open with it, else
 * the section's heading wrapped in its unit here.
 */
function narratedContent(entry: SentencedSection): { heading?: Heading; blocks: readonly RootContent[]; footnotes: SentencedSection["footnotes"] } {
  const { section, footnotes } = entry;
  if (entry.heading) return { heading: entry.heading, blocks: entry.blocks, footnotes };
  let blocks = entry.blocks;
  const first = blocks[0];
  if (section.heading && first?.type === "heading" && blocks.length === section.blocks.length + 1) {
    return { heading: first, blocks: blocks.slice(1), footnotes };
  }
  const unit = entry.sentences[0];
  if (section.role === "lead" || unit?.kind !== "heading" || holdsUnit(blocks, unit.id)) return { blocks, footnotes };
  const sentence = {
    type: "sentence",
    data: { id: unit.id, hName: "span", hProperties: { id: unit.id } },
    children: section.heading?.children ?? [{ type: "text", value: section.title }],
  } as unknown as PhrasingContent;
  blocks = entry.blocks;
  return { heading: { type: "heading", depth: section.heading?.depth ?? 2, children: [sentence] }, blocks, footnotes };
}

/** Whether a unit id is marked anywhere in these nodes. */
function holdsUnit(nodes: readonly unknown[], id: string): boolean {
  return nodes.some((node) => {
    const { data, children } = node as { data?: { id?: unknown; unitId?: unknown }; children?: unknown[] };
    return data?.id === id || data?.unitId === id || (Array.isArray(children) && holdsUnit(children, id));
  });
}

/** What the talking EPUB needs from the stages before it (a type, not an interface: a needs map is indexed by stage name). */
export type TalkingEpubNeeds = {
  readonly audio: AudioData;
};

/** Finds a document's units: `sentenceSections` of src/document/sentences.ts. */
export type SentenceSource = (doc: LecternDocument) => readonly SentencedSection[];

/**
 * The stage, for the stage graph: it needs the audio stage's clips (`needs.audio`), and reads
 * the document's units from `sentences` (`sentenceSections`, the units the speech voiced).
 */
export function talkingEpubStageFrom(sentences: SentenceSource) {
  const write = async (doc: LecternDocument, context: StageContext, needs: TalkingEpubNeeds): Promise<StageResult & { readonly manifest: TalkingEpubManifest }> => {
    const path = join(context.outDir, `${doc.slug}.talking.epub`);
    const { manifest } = await context.run(`talking-epub: ${doc.slug}.talking.epub`, async () => {
      const result = await renderTalkingEpub(doc, sentences(doc), needs.audio, {
        now: context.options.now,
        readingFont: readingFontOption(context.options),
        readAudio: async (file) => new Uint8Array(await readFile(join(context.outDir, file))),
        report: (rule, reason, line, column) =>
          context.report({ severity: "warning", rule, reason, file: doc.path, ...(line ? { line } : {}), ...(line && column ? { column } : {}) }),
      });
      context.signal.throwIfAborted();
      await writeFileAtomic(path, result.bytes);
      return result;
    });
    context.progress(1, 1);
    const entry: TalkingEpubManifest = { path: `${doc.slug}.talking.epub`, ...manifest };
    return { manifest: entry, files: [path] };
  };
  return { name: "talking-epub", needs: ["audio"], write } as const;
}

/** The talking EPUB stage: `<slug>.talking.epub`, the EPUB with its section MP3s and SMIL overlays. */
export const talkingEpubStage: Stage<"talking-epub", TalkingEpubNeeds, TalkingEpubManifest> = talkingEpubStageFrom(sentenceSections);
