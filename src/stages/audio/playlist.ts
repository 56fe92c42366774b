// The extended M3U playlist: every track in order, with its length and title, paths relative to the playlist.

export interface PlaylistEntry {
  /** Path relative to the playlist's folder. */
  readonly path: string;
  readonly title: string;
  readonly durationSeconds: number;
}

/** Titles live on one `#EXTINF` line: line breaks would end it early. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

/** `#EXTM3U`, then `#EXTINF:<seconds>,<title>` and the path for each entry; UTF-8 (hence `.m3u8`). */
export function extendedM3u(title: string, entries: readonly PlaylistEntry[]): string {
  const lines = ["#EXTM3U", `#PLAYLIST:${oneLine(title)}`];
  for (const entry of entries) {
    lines.push(`#EXTINF:${Math.round(entry.durationSeconds)},${oneLine(entry.title)}`, entry.path);
  }
  return `${lines.join("\n")}\n`;
}
