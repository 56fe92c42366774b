// Image files for figures: resolved against the document's folder, confined to it, read once.
//
// Remote images are never fetched (a build has no network, and a fetch tells a third party
// who reads what); missing, outside-folder and unsupported files are replaced by their
// description. pdfkit draws PNG and JPEG only.
import type { Image } from "mdast";
import { visit } from "unist-util-visit";
import type { LecternDocument } from "../../document/model.js";
import { imageName, readImageFile } from "../shared/image-files.js";

export type ImageSource = { readonly kind: "file"; readonly data: Buffer } | { readonly kind: "unavailable"; readonly rule: string; readonly reason: string };

async function loadImage(url: string, directory: string): Promise<ImageSource> {
  // Finding and confining the file is the same for every output (src/stages/shared/image-files.ts).
  const file = await readImageFile(url, directory);
  if (file.kind === "unavailable") return file;
  if (file.mediaType !== "image/png" && file.mediaType !== "image/jpeg") {
    return {
      kind: "unavailable",
      rule: "image-type-unsupported",
      reason: `image \`${imageName(url)}\` is not PNG or JPEG, which the PDF stage draws; its description is shown instead`,
    };
  }
  return { kind: "file", data: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength) };
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
