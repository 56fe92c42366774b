// The names of every file the audio stage writes, chosen in one place so that no two are the
// same file: not on Linux, and not on the case-insensitive, normalisation-insensitive file
// systems of macOS (APFS, HFS+) and Windows (NTFS), where `Intro.mp3` and `intro.mp3`, or a
// precomposed `é` and `e` + U+0301, are one file.

/** Folder under the output folder that holds every audio file. */
export const audioFolder = "audio";

/** One section's files, relative to the output folder. */
export interface TrackFileNames {
  /** `NN-<slug>`, without folder or extension: the queue task's label. */
  readonly base: string;
  readonly mp3: string;
  readonly captions: string;
}

export interface AudioFileNames {
  /** By section index. */
  readonly tracks: ReadonlyMap<number, TrackFileNames>;
  /** The whole document in one file: `audio/<document>.mp3`, or `audio/<document>-book.mp3` when a track has that name. */
  readonly book: string;
  readonly playlist: string;
}

/**
 * Longest name part in UTF-8 bytes. File systems allow 255 bytes for a whole name; a section
 * slug of 60 letters from outside the Basic Multilingual Plane is 240, so the stage cuts its
 * own names instead of trusting the slug's length (room left for `NNNN-`, `-book-NN`, `.m3u8`).
 */
const maxStemBytes = 120;

/** Device names Windows reserves with any extension (`con.mp3` cannot be created there). */
const windowsDeviceNames = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A slug made safe as a file name on every system and as a playlist entry: letters, marks,
 * digits, `-` and `_` only (never `/`, `\`, `#`, `.`, spaces or controls), no leading or
 * trailing dash, at most `maxStemBytes`, never empty, never a Windows device name.
 */
export function fileStem(slug: string, fallback: string): string {
  let stem = slug
    .normalize("NFC")
    .replace(/[^\p{L}\p{M}\p{N}_-]+/gu, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|-+$/g, "");
  if (Buffer.byteLength(stem) > maxStemBytes) {
    let cut = "";
    for (const character of stem) {
      if (Buffer.byteLength(cut + character) > maxStemBytes) break;
      cut += character;
    }
    stem = cut.replace(/-+$/, "");
  }
  if (stem === "") stem = fallback;
  if (windowsDeviceNames.test(stem)) stem = `${stem}_`;
  return stem;
}

/**
 * How a name is compared: the way the most forgiving file system compares it. Canonical
 * decomposition (APFS and HFS+ ignore normalisation), then full case folding approximated by
 * upper- then lower-casing (`ß` → `SS` → `ss`, final `ς` → `Σ` → `σ`).
 */
export function fileNameKey(name: string): string {
  return name.normalize("NFD").toUpperCase().toLowerCase();
}

/** Reserves `names` (with their extensions) together, adding `-2`, `-3`… to `stem` until none is taken. */
function reserve(taken: Set<string>, stem: string, extensions: readonly string[]): string {
  for (let suffix = 1; ; suffix++) {
    const candidate = suffix === 1 ? stem : `${stem}-${suffix}`;
    const keys = extensions.map((extension) => fileNameKey(`${candidate}.${extension}`));
    if (keys.some((key) => taken.has(key))) continue;
    for (const key of keys) taken.add(key);
    return candidate;
  }
}

/**
 * Every audio file's name for a document: `NN-<section slug>.mp3` and `.vtt` per track (NN
 * zero-padded to the width of the section count, at least two digits), then
 * `<document>.m3u8` and `<document>.mp3`. The tracks are named first, so their names never
 * change with the document's; the book takes `<document>-book` when a track already has its
 * name (a document called `01-intro.md` whose first section is "Intro").
 */
export function audioFileNames(documentSlug: string, sections: readonly { readonly index: number; readonly slug: string }[], sectionCount = sections.length): AudioFileNames {
  const taken = new Set<string>();
  const width = Math.max(2, String(sectionCount).length);
  const tracks = new Map<number, TrackFileNames>();
  for (const section of sections) {
    const number = String(section.index).padStart(width, "0");
    const base = reserve(taken, `${number}-${fileStem(section.slug, "section")}`, ["mp3", "vtt"]);
    tracks.set(section.index, { base, mp3: `${audioFolder}/${base}.mp3`, captions: `${audioFolder}/${base}.vtt` });
  }
  const documentStem = fileStem(documentSlug, "document");
  const playlist = reserve(taken, documentStem, ["m3u8"]);
  const bookTaken = [...taken].some((key) => key === fileNameKey(`${documentStem}.mp3`));
  const book = reserve(taken, bookTaken ? `${documentStem}-book` : documentStem, ["mp3"]);
  return { tracks, book: `${audioFolder}/${book}.mp3`, playlist: `${audioFolder}/${playlist}.m3u8` };
}
