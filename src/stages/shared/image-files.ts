// Image files a document names, for every output: resolved against the document's folder,
// confined to it, never fetched, and typed by their bytes.
//
// Remote images are left out: a build has no network, and fetching would tell a third party
// who reads what. A path that leaves the folder (`../`, an absolute path, a `file:` URL
// elsewhere, or a symbolic link pointing out) is not read, so a document cannot pull other
// files of the machine into a book. Which types an output can use is its own business
// (the EPUB packages five, the PDF draws PNG and JPEG).
import { readFile, realpath, stat } from "node:fs/promises";
import { readOutcome, recordRead } from "../../cache/stage-output-cache.js";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The core image media types of EPUB 3.3 (§3.2) that Lectern recognises by signature. */
export type ImageMediaType = "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/svg+xml";

/** The image type the bytes are, by signature (the name may lie); undefined for anything else. */
export function sniffImageType(data: Uint8Array): ImageMediaType | undefined {
  const starts = (...bytes: number[]) => data.length >= bytes.length && bytes.every((byte, index) => data[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...data.subarray(8, 12)) === "WEBP") return "image/webp";
  const head = new TextDecoder().decode(data.subarray(0, 2048)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<") && /<svg[\s>]/.test(head)) return "image/svg+xml";
  return undefined;
}

export type ImageFile =
  | {
      readonly kind: "file";
      /** Absolute path with symbolic links resolved: the same file under two names is one image. */
      readonly path: string;
      readonly data: Uint8Array;
      /** From the bytes; undefined when they are no image type Lectern knows. */
      readonly mediaType: ImageMediaType | undefined;
    }
  | {
      readonly kind: "unavailable";
      readonly rule: "image-remote-dropped" | "image-outside-folder" | "image-missing";
      /** One line naming the image as written, for the warning. */
      readonly reason: string;
    };

/** The source as written, short enough for a one-line warning. */
export function imageName(source: string): string {
  return source.length > 60 ? `${source.slice(0, 59)}…` : source;
}

/** Reads the image `source` (a Markdown or HTML `src`) names, relative to `directory`. */
export async function readImageFile(source: string, directory: string): Promise<ImageFile> {
  const file = await resolveImageFile(source, directory);
  // The EPUB and PDF are cached with the images they read (src/cache/stage-output-cache.ts).
  recordRead({ source, directory, outcome: imageOutcome(file) });
  return file;
}

/** What `readImageFile(source, directory)` finds now, as the digest the stage-output cache compares. */
export async function imageReadOutcome(read: { source: string; directory: string }): Promise<string> {
  return imageOutcome(await resolveImageFile(read.source, read.directory));
}

function imageOutcome(file: ImageFile): string {
  return file.kind === "file" ? readOutcome("file", file.path, file.data) : readOutcome(file.kind, `${file.rule}\0${file.reason}`);
}

async function resolveImageFile(source: string, directory: string): Promise<ImageFile> {
  const name = imageName(source.trim());
  const missing = { kind: "unavailable", rule: "image-missing", reason: `image \`${name}\` was not found in the document's folder; its description is shown instead` } as const;
  const outside = {
    kind: "unavailable",
    rule: "image-outside-folder",
    reason: `image \`${name}\` is outside the document's folder and is not read; its description is shown instead`,
  } as const;
  const trimmed = source.trim();
  let path: string;
  if (/^file:/i.test(trimmed)) {
    try {
      path = fileURLToPath(trimmed);
    } catch {
      return missing;
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith("//")) {
    return {
      kind: "unavailable",
      rule: "image-remote-dropped",
      reason: `remote image \`${name}\` is not fetched (Lectern never fetches images); its description is shown instead`,
    };
  } else {
    const withoutQuery = trimmed.replace(/[?#].*$/, "");
    let decoded = withoutQuery;
    try {
      decoded = decodeURIComponent(withoutQuery);
    } catch {
      // A malformed escape: look the path up as written.
    }
    path = resolve(directory, decoded);
  }
  const folder = resolve(directory);
  if (!isInside(folder, path)) return outside;
  const isFile = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!isFile) return missing;
  // A symbolic link inside the folder may point anywhere: confine the file it names.
  const [realFolder, realPath] = await Promise.all([realpath(folder), realpath(path)]);
  if (!isInside(realFolder, realPath)) return outside;
  const data = new Uint8Array(await readFile(realPath));
  return { kind: "file", path: realPath, data, mediaType: sniffImageType(data) };
}

function isInside(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside !== "" && inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}
