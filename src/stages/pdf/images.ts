// Image files for figures: resolved against the document's folder, confined to it, read once.
//
// Remote images are never fetched (a build has no network, and a fetch tells a third party
// who reads what); missing, outside-folder and unsupported files are replaced by their
// description. pdfkit draws PNG and JPEG only.
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Image } from "mdast";
import { visit } from "unist-util-visit";
import type { LecternDocument } from "../../document/model.js";

export type ImageSource =
  | { readonly kind: "file"; readonly data: Buffer }
  | { readonly kind: "unavailable"; readonly rule: string; readonly reason: string };

function imageType(data: Buffer): "png" | "jpeg" | undefined {
  if (data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "jpeg";
  return undefined;
}

async function loadImage(url: string, directory: string): Promise<ImageSource> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^file:/i.test(url)) {
    return { kind: "unavailable", rule: "image-remote-dropped", reason: `remote image \`${url.slice(0, 60)}\` is not fetched; its description is shown instead` };
  }
  let path: string;
  try {
    path = /^file:/i.test(url) ? fileURLToPath(url) : resolve(directory, decodeURIComponent(url.split(/[?#]/)[0]!));
  } catch {
    return { kind: "unavailable", rule: "image-missing", reason: `image address \`${url.slice(0, 60)}\` is not a file path; its description is shown instead` };
  }
  const inside = relative(directory, path);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
    return { kind: "unavailable", rule: "image-outside-folder", reason: `image \`${url.slice(0, 60)}\` is outside the document's folder and is not read; its description is shown instead` };
  }
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return { kind: "unavailable", rule: "image-missing", reason: `image \`${url.slice(0, 60)}\` was not found; its description is shown instead` };
  }
  if (imageType(data) === undefined) {
    return { kind: "unavailable", rule: "image-type-unsupported", reason: `image \`${url.slice(0, 60)}\` is not PNG or JPEG, which the PDF stage draws; its description is shown instead` };
  }
  return { kind: "file", data };
}

/** Reads every image the document's sections use, keyed by URL as written. */
export async function loadImages(doc: LecternDocument): Promise<ReadonlyMap<string, ImageSource>> {
  const urls = new Set<string>();
  for (const section of doc.sections) {
    for (const block of section.blocks) {
      visit(block, "image", (node: Image) => {
        urls.add(node.url);
      });
    }
  }
  const images = new Map<string, ImageSource>();
  await Promise.all([...urls].map(async (url) => images.set(url, await loadImage(url, doc.directory))));
  return images;
}
