// Images of a book: resolved on disk beside the source, packaged once each, never fetched.
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

/** Media types EPUB 3.3 lists as core image types (§3.2); anything else would need a fallback. */
const imageMediaTypes: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
};

export interface PackagedImage {
  /** Path inside the package, relative to the OPF and the chapters (`images/image-01.png`). */
  readonly href: string;
  /** Absolute path on disk. */
  readonly path: string;
  readonly mediaType: string;
  readonly data: Uint8Array;
}

export type ImageResolution =
  | { readonly kind: "packaged"; readonly href: string }
  | { readonly kind: "dropped"; readonly rule: string; readonly reason: string };

/**
 * Resolves image sources against the document's folder. Each distinct file is read once and
 * numbered in order of first use, so the same input always yields the same package.
 */
export class ImageAssets {
  readonly #directory: string;
  readonly #byPath = new Map<string, PackagedImage>();

  constructor(directory: string) {
    this.#directory = resolve(directory);
  }

  get images(): readonly PackagedImage[] {
    return [...this.#byPath.values()];
  }

  async resolve(source: string): Promise<ImageResolution> {
    // Remote images are left out: a build has no network, and fetching would tell a third
    // party who reads what (issue: "remote images are never fetched").
    if (/^[a-z][a-z0-9+.-]*:/i.test(source) || source.startsWith("//")) {
      return {
        kind: "dropped",
        rule: "image-remote-dropped",
        reason: `Remote image \`${source}\` was left out (Lectern never fetches images); its alt text is kept`,
      };
    }
    let decoded = source.replace(/[?#].*$/, "");
    try {
      decoded = decodeURI(decoded);
    } catch {
      // A malformed escape: look the path up as written.
    }
    const path = resolve(this.#directory, decoded);
    if (path !== this.#directory && !path.startsWith(this.#directory + sep)) {
      return {
        kind: "dropped",
        rule: "image-outside-folder",
        reason: `Image \`${source}\` is outside the document's folder and was left out; its alt text is kept`,
      };
    }
    const mediaType = imageMediaTypes[extname(path).toLowerCase()];
    if (!mediaType) {
      return {
        kind: "dropped",
        rule: "image-type-unsupported",
        reason: `Image \`${source}\` is not PNG, JPEG, GIF, WebP or SVG and was left out; its alt text is kept`,
      };
    }
    const known = this.#byPath.get(path);
    if (known) return { kind: "packaged", href: known.href };
    const isFile = await stat(path).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!isFile) {
      return {
        kind: "dropped",
        rule: "image-missing",
        reason: `Image \`${source}\` was not found beside the document; its alt text is kept`,
      };
    }
    const data = new Uint8Array(await readFile(path));
    // An SVG image with script or event handlers would make the book scripted; refuse it
    // rather than ship active content (issue 3: hostile content is inert).
    if (mediaType === "image/svg+xml" && /<script\b|\son[a-z]+\s*=|javascript:/i.test(new TextDecoder().decode(data))) {
      return {
        kind: "dropped",
        rule: "image-svg-scripted",
        reason: `SVG image \`${source}\` contains script or event handlers and was left out; its alt text is kept`,
      };
    }
    const number = String(this.#byPath.size + 1).padStart(2, "0");
    const extension = mediaType === "image/jpeg" ? ".jpg" : extname(path).toLowerCase();
    const image: PackagedImage = { href: `images/image-${number}${extension}`, path, mediaType, data };
    this.#byPath.set(path, image);
    return { kind: "packaged", href: image.href };
  }
}
