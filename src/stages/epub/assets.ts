// Images of a book: resolved on disk beside the source, packaged once each, never fetched.
import { imageName, readImageFile, type ImageMediaType } from "../shared/image-files.js";
import { sanitizeSvg } from "../shared/svg-safety.js";

/** File name extension for each core image media type of EPUB 3.3 (§3.2). */
const imageExtensions: Record<ImageMediaType, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/webp": ".webp",
  "image/svg+xml": ".svg",
};

export interface PackagedImage {
  /** Path inside the package, relative to the OPF and the chapters (`images/image-01.png`). */
  readonly href: string;
  /** Absolute path on disk. */
  readonly path: string;
  readonly mediaType: ImageMediaType;
  readonly data: Uint8Array;
}

export type ImageResolution =
  | {
      readonly kind: "packaged";
      readonly href: string;
      /** What was taken out of the file to package it (an SVG's script, say), the first time it is used. */
      readonly cleaned?: { readonly rule: string; readonly reason: string };
    }
  | { readonly kind: "dropped"; readonly rule: string; readonly reason: string };

/**
 * Resolves image sources against the document's folder. Each distinct file is read once and
 * numbered in order of first use, so the same input always yields the same package.
 */
export class ImageAssets {
  readonly #directory: string;
  readonly #byPath = new Map<string, PackagedImage>();

  constructor(directory: string) {
    this.#directory = directory;
  }

  get images(): readonly PackagedImage[] {
    return [...this.#byPath.values()];
  }

  async resolve(source: string): Promise<ImageResolution> {
    // Finding and confining the file is the same for every output (src/stages/shared/image-files.ts).
    const file = await readImageFile(source, this.#directory);
    if (file.kind === "unavailable") return { kind: "dropped", rule: file.rule, reason: file.reason };
    const { path, data, mediaType } = file;
    const known = this.#byPath.get(path);
    if (known) return { kind: "packaged", href: known.href };
    // The bytes decide the type, not the name: EPUBCheck rejects a manifest media type the
    // file does not match (OPF-029), and a renamed file is common.
    if (!mediaType) {
      return {
        kind: "dropped",
        rule: "image-type-unsupported",
        reason: `image \`${imageName(source)}\` is not a PNG, JPEG, GIF, WebP or SVG image and was left out; its description is shown instead`,
      };
    }
    let packagedData = data;
    let cleaned: { rule: string; reason: string } | undefined;
    if (mediaType === "image/svg+xml") {
      // An SVG image with script or event handlers would make the book scripted, and one
      // that loads other files would reach the network (EPUBCheck RSC-006) or miss them
      // (RSC-007): it is rebuilt from an allow-list (src/stages/shared/svg-safety.ts), and
      // left out when it cannot be read as XML at all (issue 12: hostile content is inert).
      const safety = sanitizeSvg(new TextDecoder().decode(data));
      if (safety.kind === "refused") {
        return {
          kind: "dropped",
          rule: "image-svg-invalid",
          reason: `SVG image \`${imageName(source)}\` ${safety.reason} and was left out; its description is shown instead`,
        };
      }
      packagedData = new TextEncoder().encode(safety.svg);
      if (safety.removed.length) {
        cleaned = {
          rule: "image-svg-cleaned",
          reason: `SVG image \`${imageName(source)}\` was cleaned: ${safety.removed.join(", ")} removed (a picture in a book may not run script or load other files)`,
        };
      }
    }
    const number = String(this.#byPath.size + 1).padStart(2, "0");
    const extension = imageExtensions[mediaType];
    const image: PackagedImage = { href: `images/image-${number}${extension}`, path, mediaType, data: packagedData };
    this.#byPath.set(path, image);
    return { kind: "packaged", href: image.href, ...(cleaned ? { cleaned } : {}) };
  }
}
