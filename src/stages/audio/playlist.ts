// The extended M3U playlist: every track in order, with its length and title, paths relative to the playlist.
import { oneLineText } from "./metadata-text.js";

export interface PlaylistEntry {
  /** Path relative to the playlist's folder. */
  readonly path: string;
  readonly title: string;
  readonly durationSeconds: number;
}

/**
 * Titles live on one `#EXTINF` line (a line break would end it early and make the rest a
 * path or a directive), so they pass through `oneLineText`. Paths come from `audioFileNames`:
 * never a leading `#`, never a line break.
 *
 * `#EXTM3U`, then `#EXTINF:<seconds>,<title>` and the path for each entry; UTF-8 (hence `.m3u8`). */
export function extendedM3u(title: string, entries: readonly PlaylistEntry[]): string {
  const lines = ["#EXTM3U", `#PLAYLIST:${oneLineText(title)}`];
  for (const entry of entries) {
    lines.push(`#EXTINF:${Math.round(entry.durationSeconds)},${oneLineText(entry.title)}`, entry.path);
  }
  return `${lines.join("\n")}\n`;
}
