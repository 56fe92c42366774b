// Images of a book: resolved on disk beside the source, packaged once each, never fetched.
import { imageName, readImageFile, type ImageMediaType } from "../shared/image-files.js";

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
    if (mediaType === "image/svg+xml") {
      const svg = new TextDecoder().decode(data);
      // An SVG image with script or event handlers would make the book scripted, and one
      // that loads other files would reach the network (EPUBCheck RSC-006) or miss them
      // (RSC-007); refuse both rather than ship them (issue 3: hostile content is inert).
      if (/<script\b|\son[a-z]+\s*=|javascript:/i.test(svg)) {
        return {
          kind: "dropped",
          rule: "image-svg-scripted",
          reason: `SVG image \`${imageName(source)}\` contains script or event handlers and was left out; its description is shown instead`,
        };
      }
      // Only references inside the image itself (`href="#gradient"`) can be packaged.
      const withoutNamespaces = svg.replace(/xmlns(?::\w+)?\s*=\s*["'][^"']*["']/g, "");
      if (/(?:\bhref\s*=\s*["']\s*|url\(\s*["']?\s*)(?!#)[^"')\s]/i.test(withoutNamespaces)) {
        return {
          kind: "dropped",
          rule: "image-svg-remote",
          reason: `SVG image \`${imageName(source)}\` loads other files by URL and was left out; its description is shown instead`,
        };
      }
    }
    const number = String(this.#byPath.size + 1).padStart(2, "0");
    const extension = imageExtensions[mediaType];
    const image: PackagedImage = { href: `images/image-${number}${extension}`, path, mediaType, data };
    this.#byPath.set(path, image);
    return { kind: "packaged", href: image.href };
  }
}
