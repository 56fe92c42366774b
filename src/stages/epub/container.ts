// The OCF container: epub-gen-memory assembles the package from Lectern's templates; this
// subclass adds the files it cannot carry and makes the zip byte-for-byte reproducible.
import { EPub, type Chapter, type Options } from "epub-gen-memory";

/** A file Lectern adds to the package itself (images, the cover), path relative to `OEBPS/`. */
export interface ExtraFile {
  readonly href: string;
  readonly data: Uint8Array | string;
  /** Stored uncompressed: already-compressed media (MP3) gains nothing from deflate, and a reading system can seek in it. */
  readonly stored?: boolean;
}

export interface ContainerInput {
  /** Options for epub-gen-memory, including Lectern's own templates and the data they read. */
  readonly options: Options & Record<string, unknown>;
  /** One chapter per XHTML file; `xhtml` is the complete, serialized document. */
  readonly chapters: readonly (Chapter & { readonly xhtml: string })[];
  /** The identifier the templates write as `dtb:uid` and `dc:identifier`. */
  readonly identifier: string;
  readonly files: readonly ExtraFile[];
  /** Timestamp of every zip entry: the same input gives the same bytes. */
  readonly modified: Date;
}

/**
 * What epub-gen-memory could not do, and how this class does it instead:
 * - it parses chapter HTML and rewrites it (`alt=""` → `alt="image-placeholder"`, strips
 *   `scope`, `epub:type`, `data-*`, `start`): chapters are handed over with empty `content`
 *   and the finished XHTML in an extra key its `chapterXHTML` template prints verbatim;
 * - it fetches every `<img src>` and names images with random UUIDs: it never sees an image;
 *   Lectern's files are added here, under stable names;
 * - it stamps a random identifier and the current time on the package and on every zip
 *   entry: the identifier is replaced before the templates render, and every entry is
 *   dated `modified` before the archive is generated.
 */
class ReproducibleEpub extends EPub {
  readonly #input: ContainerInput;

  constructor(input: ContainerInput) {
    super(
      input.options,
      input.chapters.map((chapter) => ({ ...chapter })),
    );
    this.#input = input;
    this.uuid = input.identifier;
  }

  override async genEpub(): Promise<Buffer> {
    await this.render();
    for (const file of this.#input.files) {
      this.zip.file(`OEBPS/${file.href}`, file.data, {
        date: this.#input.modified,
        createFolders: false,
        ...(file.stored ? { compression: "STORE" as const } : {}),
      });
    }
    for (const entry of Object.values(this.zip.files)) entry.date = this.#input.modified;
    return this.generateAsync({
      type: "nodebuffer",
      mimeType: "application/epub+zip",
      compression: "DEFLATE",
      compressionOptions: { level: 9 },
    });
  }
}

/** Builds the `.epub` bytes (OCF 3.3: `mimetype` first and stored, then META-INF and OEBPS). */
export async function buildContainer(input: ContainerInput): Promise<Uint8Array> {
  const buffer = await new ReproducibleEpub(input).genEpub();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** `date` within what a zip entry can hold: DOS time runs from 1980 to 2107 (a later year would wrap round). */
export function zipDate(date: Date): Date {
  const earliest = Date.UTC(1980, 0, 1);
  const latest = Date.UTC(2107, 11, 31, 23, 59, 58);
  const time = Number.isNaN(date.getTime()) ? earliest : date.getTime();
  return new Date(Math.min(latest, Math.max(earliest, time)));
}
