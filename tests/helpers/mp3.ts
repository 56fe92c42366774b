// probeMp3: what a player sees in an MP3 (music-metadata's parse) plus our own frame walk.
import { readFile } from "node:fs/promises";
import { parseBuffer, type IAudioMetadata } from "music-metadata";
import NodeID3 from "node-id3";
import { type FrameScan, scanFrames } from "../../src/audio/mp3-frames.js";

export interface Mp3Probe {
  readonly metadata: IAudioMetadata;
  /** ID3 frames as node-id3 reads them (CHAP/CTOC included). */
  readonly id3: NodeID3.Tags;
  readonly scan: FrameScan;
  readonly bytes: Buffer;
}

export async function probeMp3(path: string): Promise<Mp3Probe> {
  const bytes = await readFile(path);
  const metadata = await parseBuffer(bytes, { mimeType: "audio/mpeg" }, { duration: true, includeChapters: true });
  return { metadata, id3: NodeID3.read(bytes), scan: scanFrames(new Uint8Array(bytes)), bytes };
}

/** The ID3 text frame `id` (e.g. `TRCK`) from music-metadata's native tag list. */
export function id3Frame(metadata: IAudioMetadata, id: string): unknown {
  for (const tags of Object.values(metadata.native)) {
    const found = tags.find((tag) => tag.id === id);
    if (found) return found.value;
  }
  return undefined;
}
