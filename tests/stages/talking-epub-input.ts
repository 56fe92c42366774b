// Hand-made input for the talking EPUB, to test its renderer apart from the speech: every
// paragraph, table cell and code block of a real document is one unit, each section gets a
// real MP3 (a tone encoded by LAME) and clips at known times in it.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FootnoteDefinition, Nodes, RootContent } from "mdast";
import { createMp3Encoder } from "wasm-media-encoders";
import type { LecternDocument } from "../../src/document/model.js";
import type { SentenceInfo, SentencedSection } from "../../src/document/sentences.js";
import type { AudioData, AudioTrackClips } from "../../src/stages/audio/clips.js";

/** Each unit's clip is this long, with a gap of `gapMs` before it. */
export const clipMs = 240;
export const gapMs = 60;

/** Units of a section: its heading, then every paragraph, table cell and code block, footnotes last. */
export function handMadeSentences(doc: LecternDocument): SentencedSection[] {
  return doc.sections.map((section) => {
    const sentences: SentenceInfo[] = [];
    const next = (kind: SentenceInfo["kind"], text: string): string => {
      const id = `${section.slug}-s${sentences.length + 1}`;
      sentences.push({ id, kind, text: text.replace(/\s+/g, " ").trim() });
      return id;
    };
    if (section.role !== "lead") next("heading", section.title);
    const cited: string[] = [];
    const mark = (node: Nodes): Nodes => {
      const copy = structuredClone(node) as Nodes;
      const walk = (current: Nodes): void => {
        if (current.type === "footnoteReference" && !cited.includes(current.identifier)) cited.push(current.identifier);
        if (current.type === "code") {
          current.data = { ...current.data, unitId: next("code", current.value) } as typeof current.data;
          return;
        }
        if ((current.type === "paragraph" || current.type === "tableCell" || current.type === "heading") && current.children.length > 0) {
          for (const child of current.children) walk(child);
          const id = next(current.type === "tableCell" ? "table-cell" : current.type === "heading" ? "heading" : "paragraph", textOf(current));
          current.children = [{ type: "sentence", data: { id, hName: "span", hProperties: { id } }, children: current.children } as never];
          return;
        }
        if ("children" in current) for (const child of current.children) walk(child as Nodes);
      };
      walk(copy);
      return copy;
    };
    const blocks = section.blocks.map((block) => mark(block) as RootContent);
    const footnotes = new Map<string, FootnoteDefinition>();
    for (let index = 0; index < cited.length; index++) {
      const definition = doc.footnotes.get(cited[index]!);
      if (definition) footnotes.set(cited[index]!, mark(definition) as FootnoteDefinition);
    }
    return { section, blocks, footnotes, sentences };
  });
}

function textOf(node: Nodes): string {
  if (node.type === "image") return node.alt ?? "";
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(textOf).join("");
  return "";
}

/**
 * Writes one MP3 per section with units into `outDir/audio/` and returns the clips: unit k
 * from `gapMs + k·(gapMs+clipMs)` for `clipMs`. Units listed in `silent` get no clip.
 */
export async function handMadeAudio(outDir: string, sentenced: readonly SentencedSection[], silent: ReadonlySet<string> = new Set(), variableBitrate = false): Promise<AudioData> {
  await mkdir(join(outDir, "audio"), { recursive: true });
  const tracks: AudioTrackClips[] = [];
  for (const { section, sentences } of sentenced) {
    if (sentences.length === 0) continue;
    const durationMs = gapMs + sentences.length * (gapMs + clipMs);
    const clips = sentences
      .map((sentence, index) => ({ id: sentence.id, beginMs: gapMs + index * (gapMs + clipMs), endMs: gapMs + index * (gapMs + clipMs) + clipMs }))
      .filter((clip) => !silent.has(clip.id));
    const path = `audio/${String(section.index).padStart(2, "0")}-${section.slug.replace(/[^a-z0-9-]/g, "") || "section"}.mp3`;
    await writeFile(join(outDir, path), await tone(durationMs, variableBitrate));
    tracks.push({ section: section.index, path, durationMs, clips });
  }
  return { narrator: "eSpeak NG, synthetic voice (gmw/en-US)", tracks };
}

/** A quiet 440 Hz tone of `durationMs`, CBR 32 kbps (or VBR), 16 kHz mono; the VBR one gets louder and brighter, so its frames differ. */
async function tone(durationMs: number, variableBitrate: boolean): Promise<Uint8Array> {
  const sampleRate = 16000;
  const encoder = await createMp3Encoder();
  encoder.configure(variableBitrate ? { sampleRate, channels: 1, vbrQuality: 2 } : { sampleRate, channels: 1, bitrate: 32 });
  const count = Math.round((durationMs * sampleRate) / 1000);
  const samples = new Float32Array(count).map((_, index) =>
    variableBitrate
      ? (index / count) * 0.5 * Math.sin((2 * Math.PI * (200 + (3000 * index) / count) * index) / sampleRate) + (index % 7 === 0 ? 0.2 * (index / count) : 0)
      : 0.05 * Math.sin((2 * Math.PI * 440 * index) / sampleRate),
  );
  const parts: Uint8Array[] = [];
  for (let start = 0; start < samples.length; start += 16384) parts.push(new Uint8Array(encoder.encode([samples.subarray(start, start + 16384)])));
  parts.push(new Uint8Array(encoder.finalize()));
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
