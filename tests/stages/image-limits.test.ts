// Images cannot exhaust memory or fail a stage: pixel size from the header before any decode,
// file size before any read, undecodable files refused, for the EPUB and the PDF alike.
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { ImageAssets } from "../../src/stages/epub/assets.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { checkRasterImage, maxDecodedImageBytes, maxImagePixels, readImageFile } from "../../src/stages/shared/image-files.js";

const redSquare = join(import.meta.dirname, "../fixtures/every-construct/images/red-square.png");

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/** A PNG with the given header; real grey rows when `rows` is true, else a few bytes of compressed zeros. */
function png(width: number, height: number, rows = true, format: { depth: number; colorType: number } = { depth: 8, colorType: 0 }): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = format.depth;
  ihdr[9] = format.colorType; // 0 greyscale, 6 RGBA
  const raw = rows ? Buffer.alloc(height * (width + 1), 0x80) : Buffer.alloc(64);
  if (rows) for (let row = 0; row < height; row++) raw[row * (width + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** A JPEG whose frame header says `width` × `height` and `components` (its scan is not a real picture). */
function jpeg(width: number, height: number, components = 1): Buffer {
  const componentSpecs = Array.from({ length: components }, (_, index) => [index + 1, 0x11, 0x00]).flat();
  const sof = Buffer.from([0xff, 0xc0, 0x00, 8 + 3 * components, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, components, ...componentSpecs]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, sos, Buffer.alloc(16, 0x55), Buffer.from([0xff, 0xd9])]);
}

function gif(width: number, height: number): Buffer {
  const header = Buffer.from("GIF89a\0\0\0\0\0\0\0", "latin1");
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  return Buffer.concat([header, Buffer.from([0x3b])]);
}

function webp(width: number, height: number): Buffer {
  const body = Buffer.alloc(18);
  body.write("VP8X", 0, "latin1");
  body.writeUInt32LE(10, 4);
  body.writeUIntLE(width - 1, 12, 3);
  body.writeUIntLE(height - 1, 15, 3);
  const riff = Buffer.alloc(12);
  riff.write("RIFF", 0, "latin1");
  riff.writeUInt32LE(body.length + 4, 4);
  riff.write("WEBP", 8, "latin1");
  return Buffer.concat([riff, body]);
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "lectern-image-limits-"));
  await mkdir(join(folder, "images"));
  const good = await readFile(redSquare);
  const files: Record<string, Buffer> = {
    "huge.png": png(16_000, 16_000, false),
    "zero.png": png(0, 0, false),
    "truncated.png": good.subarray(0, Math.floor(good.length / 2)),
    "garbage.png": Buffer.concat([good.subarray(0, 8), Buffer.alloc(200, 0x41)]),
    "mislabelled.png": Buffer.concat([good.subarray(0, 33), chunk("IDAT", Buffer.from("not zlib at all")), chunk("IEND", Buffer.alloc(0))]),
    "huge.jpg": jpeg(20_000, 20_000),
    "cut.jpg": jpeg(100, 100).subarray(0, 20),
    "huge.gif": gif(65_535, 65_535),
    "huge.webp": webp(16_000, 16_000),
    "small.png": png(40, 30),
    // Under the pixel limit, over the decoded-bytes one: 49 MP of 16-bit RGBA is 374 MiB decoded.
    "rgba16.png": png(7000, 7000, false, { depth: 16, colorType: 6 }),
    "rgba8.png": png(7000, 7000, false, { depth: 8, colorType: 6 }),
    "cmyk.jpg": jpeg(4000, 4000, 4),
    "grey.jpg": jpeg(4000, 4000, 1),
  };
  for (const [name, data] of Object.entries(files)) await writeFile(join(folder, "images", name), data);
  // Over 2 GiB, sparse: nothing is written to disk, and nothing may be read.
  await writeFile(join(folder, "images", "enormous.png"), good);
  await truncate(join(folder, "images", "enormous.png"), 2.5 * 1024 ** 3);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const expected: Record<string, string> = {
  "huge.png": "image-too-large",
  "zero.png": "image-unreadable",
  "truncated.png": "image-unreadable",
  "garbage.png": "image-unreadable",
  "mislabelled.png": "image-unreadable",
  "huge.jpg": "image-too-large",
  "cut.jpg": "image-unreadable",
  "huge.gif": "image-too-large",
  "huge.webp": "image-too-large",
  "enormous.png": "image-too-large",
  "small.png": "file",
  "rgba16.png": "image-too-large",
  "rgba8.png": "image-too-large",
  "cmyk.jpg": "file", // 16 MP CMYK, a print photograph: embedded as it is, never decoded
  "grey.jpg": "file",
};

describe("image limits, shared by the EPUB and the PDF", () => {
  it.each(Object.entries(expected))("images/%s → %s", async (name, outcome) => {
    const file = await readImageFile(`images/${name}`, folder);
    expect(file.kind === "file" ? "file" : file.rule).toBe(outcome);
    if (file.kind === "unavailable") expect(file.reason).toContain(name);
    // The EPUB packages only what passed (src/stages/epub/assets.ts takes the same verdict).
    const epub = await new ImageAssets(folder).resolve(`images/${name}`);
    expect(epub.kind === "packaged" ? "file" : epub.rule).toBe(outcome);
  });

  it("the PDF is built with every refused image replaced by its description, each warned with its line", async () => {
    const names = Object.keys(expected);
    const source = ["---", "title: Images", "---", "", ...names.flatMap((name, index) => [`![Picture ${index} ${name}](images/${name})`, ""]), "The end."].join("\n");
    const document = parseSource(source, join(folder, "images.md"), "markdown");
    const warnings: { rule: string; reason: string; line: number | undefined }[] = [];
    const before = process.memoryUsage().rss;
    const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: (rule, reason, line) => warnings.push({ rule, reason, line }) });
    // 16,000 × 16,000 decoded would be 256 MB to 1 GB; nothing of the kind was allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect(rendered.pages).toBeGreaterThan(0);
    names.forEach((name, index) => {
      const line = 5 + 2 * index;
      const warning = warnings.find((entry) => entry.line === line);
      if (expected[name] === "file") expect(warning).toBeUndefined();
      else expect(warning).toMatchObject({ rule: expected[name] });
    });
    const text = Buffer.from(rendered.bytes).toString("latin1");
    expect(text).toContain("/Subtype /Image");
  });

  it("the decoded-bytes limit counts channels and bytes per sample, and names the size in its warning", async () => {
    const file = await readImageFile("images/rgba16.png", folder);
    expect(file).toMatchObject({ kind: "unavailable", rule: "image-too-large" });
    if (file.kind === "unavailable") expect(file.reason).toMatch(/7000 × 7000 pixels\) decodes to 374 MiB, over the 48 MiB/);
    // Just under the limit in each format, just over it one row more.
    const cases = [
      { depth: 16, colorType: 6, bytesPerPixel: 8 },
      { depth: 8, colorType: 6, bytesPerPixel: 4 },
      { depth: 16, colorType: 0, bytesPerPixel: 2 },
      { depth: 1, colorType: 0, bytesPerPixel: 1 },
    ];
    for (const { depth, colorType, bytesPerPixel } of cases) {
      const width = 1024;
      const height = Math.floor(maxDecodedImageBytes / (width * bytesPerPixel));
      const over = await checkRasterImage(png(width, height + 1, false, { depth, colorType }), "image/png");
      expect(over).toMatchObject({ kind: "ok", decodedBytes: width * (height + 1) * bytesPerPixel });
      if (over.kind === "ok") expect(over.decodedBytes).toBeGreaterThan(maxDecodedImageBytes);
    }
    const jpegCheck = await checkRasterImage(jpeg(4000, 4000, 3), "image/jpeg");
    expect(jpegCheck).toMatchObject({ kind: "ok", decodedBytes: 4000 * 4000 * 3 });
  });

  it("fuzz: random header sizes never decode past the limit and never fail the check", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: 70_000 }), fc.constantFrom("png", "jpeg", "gif", "webp"), async (width, height, type) => {
        const data =
          type === "png"
            ? png(width, height, width * height <= 20_000)
            : type === "jpeg"
              ? jpeg(width & 0xffff, height & 0xffff)
              : type === "gif"
                ? gif(width & 0xffff, height & 0xffff)
                : webp(Math.max(1, width), Math.max(1, height));
        const media = type === "png" ? "image/png" : type === "jpeg" ? "image/jpeg" : type === "gif" ? "image/gif" : "image/webp";
        const result = await checkRasterImage(data, media);
        if (result.kind === "ok") {
          expect(result.width).toBeGreaterThan(0);
          expect(result.height).toBeGreaterThan(0);
          // A PNG passes only when its data really holds the rows (or it is refused by size before any inflating).
          if (type === "png" && result.width * result.height <= maxImagePixels && result.decodedBytes <= maxDecodedImageBytes) expect(width * height).toBeLessThanOrEqual(20_000);
          // What a passing image costs to decode is bounded, whatever its type.
          expect(result.decodedBytes).toBeGreaterThanOrEqual(result.width * result.height);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it("fuzz: PDFs with random image headers are always built", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 40_000 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
        async (images) => {
          const names = await Promise.all(
            images.map(async ([width, height, real], index) => {
              const name = `fuzz-${index}-${width}x${height}.png`;
              await writeFile(join(folder, "images", name), png(width, height, real && width * height <= 10_000));
              return name;
            }),
          );
          const source = ["---", "title: Fuzz", "---", "", ...names.map((name) => `![${name}](images/${name})\n`)].join("\n");
          const rendered = await renderPdf(parseSource(source, join(folder, "fuzz.md"), "markdown"), { now: new Date(0), warn: () => {} });
          expect(rendered.pages).toBeGreaterThan(0);
        },
      ),
      { numRuns: 10, seed: 5 },
    );
  });
});
