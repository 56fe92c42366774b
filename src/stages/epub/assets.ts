// Images of a book: resolved on disk beside the source, packaged once each, never fetched.
import { readFile, stat } from "node:fs/promises";
import { resolve, sep } from "node:path";

/** File name extension for each core image media type of EPUB 3.3 (§3.2). */
const imageExtensions: Record<string, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "image/webp": ".webp",
  "image/svg+xml": ".svg",
};

/** The core image type the bytes are, by signature; undefined for anything else. */
export function sniffImageType(data: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => data[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...data.subarray(8, 12)) === "WEBP") return "image/webp";
  const head = new TextDecoder().decode(data.subarray(0, 2048)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<") && /<svg[\s>]/.test(head)) return "image/svg+xml";
  return undefined;
}

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
    // The bytes decide the type, not the name: EPUBCheck rejects a manifest media type the
    // file does not match (OPF-029), and a renamed file is common.
    const mediaType = sniffImageType(data);
    if (!mediaType) {
      return {
        kind: "dropped",
        rule: "image-type-unsupported",
        reason: `Image \`${source}\` is not a PNG, JPEG, GIF, WebP or SVG image and was left out; its alt text is kept`,
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
          reason: `SVG image \`${source}\` contains script or event handlers and was left out; its alt text is kept`,
        };
      }
      // Only references inside the image itself (`href="#gradient"`) can be packaged.
      const withoutNamespaces = svg.replace(/xmlns(?::\w+)?\s*=\s*["'][^"']*["']/g, "");
      if (/(?:\bhref\s*=\s*["']\s*|url\(\s*["']?\s*)(?!#)[^"')\s]/i.test(withoutNamespaces)) {
        return {
          kind: "dropped",
          rule: "image-svg-remote",
          reason: `SVG image \`${source}\` loads other files by URL and was left out; its alt text is kept`,
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
