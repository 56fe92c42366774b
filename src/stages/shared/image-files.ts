// Image files a document names, for every output: resolved against the document's folder,
// confined to it, never fetched, and typed by their bytes.
//
// Remote images are left out: a build has no network, and fetching would tell a third party
// who reads what. A path that leaves the folder (`../`, an absolute path, a `file:` URL
// elsewhere, or a symbolic link pointing out) is not read, so a document cannot pull other
// files of the machine into a book. Which types an output can use is its own business
// (the EPUB packages five, the PDF draws PNG and JPEG).
//
// An image is untrusted input, and a small file can stand for a huge picture (a 1 MB PNG of
// 16,000 × 16,000 pixels decodes to 1 GB): the file's size is checked before it is read, its
// pixel size is read from its header before anything decodes it, and its structure is
// checked (a truncated or mislabelled file is refused), so neither output packages or draws
// an image it cannot decode. Each refusal is a warning; the image's description stands in.
import { createInflate, crc32 } from "node:zlib";
import { readFile, realpath, stat } from "node:fs/promises";
import { readOutcome, recordRead } from "../stage-output-cache.js";
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
  const head = new TextDecoder()
    .decode(data.subarray(0, 2048))
    .replace(/^\uFEFF/, "")
    .trimStart();
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
      /** Pixel size from the header (PNG, JPEG, GIF, WebP); undefined for SVG and unknown types. */
      readonly pixels?: { readonly width: number; readonly height: number };
    }
  | {
      readonly kind: "unavailable";
      readonly rule: "image-remote-dropped" | "image-outside-folder" | "image-missing" | "image-too-large" | "image-unreadable";
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
  // The EPUB and PDF are cached with the images they read (src/stages/stage-output-cache.ts).
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
  // The size before the read: a file of gigabytes is never read into memory (Node cannot
  // hold more than 2 GiB in one buffer anyway, and would fail naming neither file nor line).
  const { size } = await stat(realPath);
  if (size > maxImageBytes) {
    return {
      kind: "unavailable",
      rule: "image-too-large",
      reason: `image \`${name}\` is ${megabytes(size)}, over the ${megabytes(maxImageBytes)} Lectern reads; its description is shown instead`,
    };
  }
  const data = new Uint8Array(await readFile(realPath));
  const mediaType = sniffImageType(data);
  if (mediaType === undefined || mediaType === "image/svg+xml") return { kind: "file", path: realPath, data, mediaType };
  const checked = await checkRasterImage(data, mediaType);
  if (checked.kind === "unreadable") {
    return { kind: "unavailable", rule: "image-unreadable", reason: `image \`${name}\` cannot be decoded (${checked.why}); its description is shown instead` };
  }
  const { width, height, decodedBytes } = checked;
  if (width * height > maxImagePixels) {
    return {
      kind: "unavailable",
      rule: "image-too-large",
      reason: `image \`${name}\` is ${width} × ${height} pixels, over the ${maxImagePixels / 1_000_000} megapixels Lectern decodes; its description is shown instead`,
    };
  }
  // Only PNG is decoded by an output (pdfkit unpacks it to embed it); a JPEG is embedded in the
  // PDF and packaged in the EPUB as its own bytes, so a 24-megapixel photograph costs its
  // file size, and GIF and WebP are only packaged.
  if (mediaType === "image/png" && decodedBytes > maxDecodedImageBytes) {
    return {
      kind: "unavailable",
      rule: "image-too-large",
      reason: `image \`${name}\` (${width} × ${height} pixels) decodes to ${megabytes(decodedBytes)}, over the ${megabytes(maxDecodedImageBytes)} Lectern decodes; its description is shown instead`,
    };
  }
  return { kind: "file", path: realPath, data, mediaType, pixels: { width, height } };
}

/**
 * Largest image file read: 128 MiB. A photograph at the pixel limit below is 10–40 MB as
 * JPEG and rarely above 150 MB as PNG; the document itself may be at most 20 MB.
 */
export const maxImageBytes = 128 * 1024 * 1024;

/**
 * Largest picture decoded: 50 megapixels (8,660 × 5,774, beyond any camera's JPEG a book
 * would print). Pixels alone do not bound memory (a 16-bit RGBA pixel is 8 bytes): see below.
 */
export const maxImagePixels = 50_000_000;

/**
 * Largest decoded PNG: 48 MiB of samples (width × height × channels × bytes per sample: a
 * 16-bit PNG counts double), 16 megapixels of RGB, 12 of RGBA, 6 of 16-bit RGBA. pdfkit holds a PNG with transparency or 16-bit samples about four times over
 * while embedding it (inflated rows, decoded pixels, colour and alpha planes, their
 * compressed copies): measured (`/usr/bin/time -v`), a PNG just under the limit takes the
 * PDF stage from its 120 MB baseline to 285 MB (16-bit RGBA) or 316 MB (8-bit RGBA); a
 * 49-megapixel 16-bit RGBA PNG (381 KB as a file) used to take it to 1.47 GB.
 */
export const maxDecodedImageBytes = 48 * 1024 * 1024;

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

type RasterCheck =
  | {
      readonly kind: "ok";
      readonly width: number;
      readonly height: number;
      /** Bytes the decoded samples take: width × height × channels × bytes per sample (at least one byte a sample). */
      readonly decodedBytes: number;
    }
  | { readonly kind: "unreadable"; readonly why: string };

/** The size of `width` × `height` pixels of `channels` samples of `bits` each, as decoders hold them (at least a byte a sample). */
function decodedSize(width: number, height: number, channels: number, bits: number): number {
  return width * height * channels * Math.max(1, Math.ceil(bits / 8));
}

function unreadable(why: string): RasterCheck {
  return { kind: "unreadable", why };
}

/**
 * The pixel size from the header and whether the file is whole, by type, without decoding
 * the picture itself (a PNG's compressed data is inflated and counted, never kept).
 */
export async function checkRasterImage(data: Uint8Array, mediaType: Exclude<ImageMediaType, "image/svg+xml">): Promise<RasterCheck> {
  switch (mediaType) {
    case "image/png":
      return checkPng(data);
    case "image/jpeg":
      return checkJpeg(data);
    case "image/gif":
      return checkGif(data);
    case "image/webp":
      return checkWebp(data);
  }
}

const pngChannels: Readonly<Record<number, { channels: number; depths: readonly number[] }>> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** PNG (ISO/IEC 15948): chunks whole with good CRCs, IHDR valid, IDAT inflating to exactly the rows IHDR announces, IEND. */
async function checkPng(data: Uint8Array): Promise<RasterCheck> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 8;
  let header: { width: number; height: number; depth: number; colorType: number; interlace: number } | undefined;
  const compressed: Uint8Array[] = [];
  let ended = false;
  while (offset + 12 <= data.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...data.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > data.length) return unreadable(`the ${type} chunk is cut off`);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) >>> 0 !== view.getUint32(offset + 8 + length)) return unreadable(`the ${type} chunk is damaged`);
    if (header === undefined && type !== "IHDR") return unreadable("it does not start with a header");
    if (type === "IHDR") {
      if (length !== 13) return unreadable("its header is malformed");
      const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
      header = { width: bodyView.getUint32(0), height: bodyView.getUint32(4), depth: body[8]!, colorType: body[9]!, interlace: body[12]! };
      const kind = pngChannels[header.colorType];
      if (header.width === 0 || header.height === 0) return unreadable(`it is ${header.width} × ${header.height} pixels`);
      if (kind === undefined || !kind.depths.includes(header.depth) || header.interlace > 1) return unreadable("its header names no valid pixel format");
      // Refused by size before anything is inflated.
      const decodedBytes = decodedSize(header.width, header.height, kind.channels, header.depth);
      if (header.width * header.height > maxImagePixels || decodedBytes > maxDecodedImageBytes) return { kind: "ok", width: header.width, height: header.height, decodedBytes };
    } else if (type === "IDAT") compressed.push(body);
    else if (type === "IEND") {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (header === undefined) return unreadable("it has no header");
  if (!ended) return unreadable("it is cut off (no IEND chunk)");
  if (compressed.length === 0) return unreadable("it has no image data");
  const bitsPerPixel = pngChannels[header.colorType]!.channels * header.depth;
  const rowsSize = (width: number, height: number): number => (width === 0 || height === 0 ? 0 : height * (Math.ceil((width * bitsPerPixel) / 8) + 1));
  let expected = rowsSize(header.width, header.height);
  if (header.interlace === 1) {
    // Adam7: seven passes over sub-grids of the picture.
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ] as const;
    expected = passes.reduce((sum, [x, y, dx, dy]) => sum + rowsSize(Math.ceil((header.width - x) / dx), Math.ceil((header.height - y) / dy)), 0);
  }
  const inflated = await inflatedLength(compressed, expected);
  if (inflated === undefined) return unreadable("its compressed data is damaged");
  if (inflated < expected) return unreadable("its image data is cut off");
  return { kind: "ok", width: header.width, height: header.height, decodedBytes: decodedSize(header.width, header.height, pngChannels[header.colorType]!.channels, header.depth) };
}

/** How many bytes `chunks` inflate to (stopping once past `limit`), or undefined when the zlib stream is damaged or unfinished. */
function inflatedLength(chunks: readonly Uint8Array[], limit: number): Promise<number | undefined> {
  return new Promise((resolvePromise) => {
    const inflate = createInflate();
    let total = 0;
    let settled = false;
    const settle = (value: number | undefined): void => {
      if (settled) return;
      settled = true;
      inflate.removeAllListeners("data");
      inflate.destroy();
      resolvePromise(value);
    };
    inflate.on("data", (chunk: Buffer) => {
      total += chunk.length;
      // Extra bytes past the rows are tolerated by decoders; no need to inflate them all.
      if (total > limit) settle(total);
    });
    inflate.on("error", () => settle(undefined));
    inflate.on("end", () => settle(total));
    for (const chunk of chunks) inflate.write(chunk);
    inflate.end();
  });
}

/** JPEG (ITU T.81): markers walkable from SOI to a frame header with a pixel size, a scan, and EOI at the end. */
function checkJpeg(data: Uint8Array): RasterCheck {
  let offset = 2;
  let size: { width: number; height: number; components: number; precision: number } | undefined;
  let scan = false;
  while (offset + 4 <= data.length && !scan) {
    if (data[offset] !== 0xff) return unreadable("its markers are damaged");
    const marker = data[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = (data[offset + 2]! << 8) | data[offset + 3]!;
    if (length < 2 || offset + 2 + length > data.length) return unreadable("it is cut off");
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): the frame header.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (length < 7) return unreadable("its frame header is malformed");
      if (length < 8) return unreadable("its frame header is malformed");
      size = {
        precision: data[offset + 4]!,
        height: (data[offset + 5]! << 8) | data[offset + 6]!,
        width: (data[offset + 7]! << 8) | data[offset + 8]!,
        components: data[offset + 9]!,
      };
    }
    if (marker === 0xda) scan = true;
    offset += 2 + length;
  }
  if (size === undefined) return unreadable("it has no frame header");
  if (size.width === 0 || size.height === 0) return unreadable(`it is ${size.width} × ${size.height} pixels`);
  if (!scan) return unreadable("it has no image data");
  // A whole file ends with EOI (some writers pad after it).
  let end = data.length;
  while (end > 2 && data[end - 1] === 0x00) end--;
  if (data[end - 2] !== 0xff || data[end - 1] !== 0xd9) return unreadable("it is cut off (no end marker)");
  const { width, height, components, precision } = size;
  return { kind: "ok", width, height, decodedBytes: decodedSize(width, height, Math.max(1, components), precision) };
}

/** GIF (87a/89a): a logical screen size and the trailer byte at the end. */
function checkGif(data: Uint8Array): RasterCheck {
  if (data.length < 14) return unreadable("it is cut off");
  const width = data[6]! | (data[7]! << 8);
  const height = data[8]! | (data[9]! << 8);
  if (width === 0 || height === 0) return unreadable(`it is ${width} × ${height} pixels`);
  if (data[data.length - 1] !== 0x3b) return unreadable("it is cut off (no trailer)");
  // Readers decode GIF and WebP to RGBA.
  return { kind: "ok", width, height, decodedBytes: decodedSize(width, height, 4, 8) };
}

/** WebP (RFC 9649): a RIFF container as long as it says, with a VP8, VP8L or VP8X chunk giving the canvas size. */
function checkWebp(data: Uint8Array): RasterCheck {
  if (data.length < 30) return unreadable("it is cut off");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(4, true) + 8 > data.length) return unreadable("it is cut off");
  const chunk = String.fromCharCode(...data.subarray(12, 16));
  let width: number;
  let height: number;
  if (chunk === "VP8X") {
    width = 1 + (data[24]! | (data[25]! << 8) | (data[26]! << 16));
    height = 1 + (data[27]! | (data[28]! << 8) | (data[29]! << 16));
  } else if (chunk === "VP8L") {
    if (data[20] !== 0x2f) return unreadable("its lossless header is malformed");
    const bits = view.getUint32(21, true);
    width = 1 + (bits & 0x3fff);
    height = 1 + ((bits >> 14) & 0x3fff);
  } else if (chunk === "VP8 ") {
    if (data[23] !== 0x9d || data[24] !== 0x01 || data[25] !== 0x2a) return unreadable("its frame header is malformed");
    width = view.getUint16(26, true) & 0x3fff;
    height = view.getUint16(28, true) & 0x3fff;
  } else return unreadable("it has no image chunk");
  if (width === 0 || height === 0) return unreadable(`it is ${width} × ${height} pixels`);
  return { kind: "ok", width, height, decodedBytes: decodedSize(width, height, 4, 8) };
}

function isInside(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside !== "" && inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}
