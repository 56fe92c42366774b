// Cover art for the MP3s: the EPUB cover's design (paper, frame, serif title, author) drawn as
// a square PNG, because ID3 readers show PNG or JPEG, not the SVG the EPUB carries.
import { createRequire } from "node:module";
import { crc32, deflateSync } from "node:zlib";
import type { DocumentMetadata } from "../../document/model.js";

/** The slice of fontkit's API the cover uses (fontkit ships no types). */
interface PathCommand {
  readonly command: "moveTo" | "lineTo" | "quadraticCurveTo" | "bezierCurveTo" | "closePath";
  readonly args: readonly number[];
}
interface FontkitFont {
  readonly unitsPerEm: number;
  layout(text: string): {
    readonly glyphs: readonly { readonly path: { readonly commands: readonly PathCommand[] } }[];
    readonly positions: readonly { readonly xAdvance: number; readonly xOffset: number; readonly yOffset: number }[];
    readonly advanceWidth: number;
  };
}

interface Fontkit {
  openSync(path: string): FontkitFont;
}

const require = createRequire(import.meta.url);
const fonts = new Map<string, FontkitFont>();

/** A DejaVu face, loaded once. fontkit is required (not imported) because it ships no types: the interface above is what we rely on. */
function font(file: string): FontkitFont {
  let loaded = fonts.get(file);
  if (!loaded) {
    loaded = (require("fontkit") as Fontkit).openSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    fonts.set(file, loaded);
  }
  return loaded;
}

/** Side of the square cover, px: what podcast and audiobook players ask for at least. */
export const coverSize = 600;
/** Supersampling per axis for anti-aliased text edges. */
const oversample = 4;

const paper = [0xf4, 0xef, 0xe4] as const;
const ink = [0x1d, 0x1c, 0x22] as const;
const frame = [0x2b, 0x2a, 0x33] as const;

/**
 * Greedy word wrap to at most `maxLines` lines of `maxChars`; the last line ends in "…" when
 * text is cut. Bounded by what can be shown, whatever the title's length: only the first
 * `maxLines × maxChars` characters are looked at, and a word longer than a line is broken
 * into line-long pieces (a 22,000-letter "word" on one line made the rasteriser walk every
 * glyph's edges for each of the cover's 2,400 scanlines: 50 seconds for one cover).
 */
export function wrap(text: string, maxChars: number, maxLines: number): string[] {
  const bound = maxChars * maxLines + 1;
  // Cut by UTF-16 units first (cheap on a long title), never leaving half a surrogate pair.
  const shown = text.length > bound * 2 ? text.slice(0, bound * 2).replace(/[\uD800-\uDBFF]$/, "") : text;
  let truncated = shown.length < text.length;
  const words: string[] = [];
  let characters = 0;
  for (const word of shown.split(/\s+/).filter(Boolean)) {
    const points = Array.from(word);
    for (let at = 0; at < points.length; at += maxChars) words.push(points.slice(at, at + maxChars).join(""));
    characters += points.length + 1;
    if (characters > bound) {
      truncated = true;
      break;
    }
  }
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    if (current && Array.from(`${current} ${word}`).length > maxChars) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  if (lines.length > maxLines || truncated) {
    const kept = lines.slice(0, maxLines);
    const last = kept[kept.length - 1]!;
    // Room for the ellipsis: drop the last word, or the last character of a line-long piece.
    kept[kept.length - 1] = `${last.includes(" ") ? last.replace(/\s*\S*$/, "") : Array.from(last).slice(0, -1).join("")}…`;
    return kept;
  }
  return lines;
}

/** Coverage (0–255 per pixel) of text, rasterised with the nonzero rule at `oversample`× per axis. */
class Coverage {
  readonly #edges: { x0: number; y0: number; x1: number; y1: number }[] = [];

  /** Adds a line of text centred on `centerX` with its baseline at `baseline` (px). */
  text(fontFile: string, text: string, size: number, centerX: number, baseline: number): void {
    const face = font(fontFile);
    const run = face.layout(text);
    const scale = size / face.unitsPerEm;
    let penX = centerX - (run.advanceWidth * scale) / 2;
    run.glyphs.forEach((glyph, index) => {
      const position = run.positions[index]!;
      const originX = penX + position.xOffset * scale;
      const originY = baseline - position.yOffset * scale;
      this.#path(glyph.path.commands, (x, y) => [originX + x * scale, originY - y * scale]);
      penX += position.xAdvance * scale;
    });
  }

  /** Flattens a glyph outline into edges (curves into 8 segments each). */
  #path(commands: readonly PathCommand[], map: (x: number, y: number) => [number, number]): void {
    let start: [number, number] = [0, 0];
    let at: [number, number] = [0, 0];
    const line = (to: [number, number]): void => {
      this.#edges.push({ x0: at[0], y0: at[1], x1: to[0], y1: to[1] });
      at = to;
    };
    for (const { command, args } of commands) {
      if (command === "moveTo") {
        if (at[0] !== start[0] || at[1] !== start[1]) line(start);
        start = at = map(args[0]!, args[1]!);
      } else if (command === "lineTo") line(map(args[0]!, args[1]!));
      else if (command === "quadraticCurveTo") {
        const [cx, cy] = map(args[0]!, args[1]!);
        const [x, y] = map(args[2]!, args[3]!);
        const [sx, sy] = at;
        for (let step = 1; step <= 8; step++) {
          const t = step / 8;
          line([(1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t * t * x, (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t * t * y]);
        }
      } else if (command === "bezierCurveTo") {
        const [c1x, c1y] = map(args[0]!, args[1]!);
        const [c2x, c2y] = map(args[2]!, args[3]!);
        const [x, y] = map(args[4]!, args[5]!);
        const [sx, sy] = at;
        for (let step = 1; step <= 8; step++) {
          const t = step / 8;
          const u = 1 - t;
          line([u ** 3 * sx + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t ** 3 * x, u ** 3 * sy + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t ** 3 * y]);
        }
      } else if (command === "closePath") line(start);
    }
    if (at[0] !== start[0] || at[1] !== start[1]) line(start);
  }

  /**
   * Scanline fill (nonzero winding) at sub-pixel rows and columns; returns coverage per pixel.
   * Edges are sorted by their top and each row looks only at the edges it crosses (an active
   * edge list), so the time grows with the edges plus the crossings, not rows × edges.
   */
  render(size: number): Uint8Array {
    const sub = size * oversample;
    const hits = new Uint16Array(size * size);
    const crossings: { x: number; winding: number }[] = [];
    const edges = this.#edges
      .filter((edge) => edge.y0 !== edge.y1)
      .map((edge) => (edge.y0 < edge.y1 ? { ...edge, top: edge.y0, bottom: edge.y1, winding: 1 } : { ...edge, top: edge.y1, bottom: edge.y0, winding: -1 }))
      .sort((a, b) => a.top - b.top);
    let next = 0;
    let active: typeof edges = [];
    for (let row = 0; row < sub; row++) {
      const y = (row + 0.5) / oversample;
      while (next < edges.length && edges[next]!.top <= y) active.push(edges[next++]!);
      active = active.filter((edge) => edge.bottom > y);
      crossings.length = 0;
      for (const edge of active) {
        if (y < edge.top) continue;
        crossings.push({ x: edge.x0 + ((y - edge.y0) / (edge.y1 - edge.y0)) * (edge.x1 - edge.x0), winding: edge.winding });
      }
      crossings.sort((a, b) => a.x - b.x);
      let winding = 0;
      for (let i = 0; i < crossings.length - 1; i++) {
        winding += crossings[i]!.winding;
        if (winding === 0) continue;
        const from = Math.max(0, Math.ceil(crossings[i]!.x * oversample - 0.5));
        const to = Math.min(sub - 1, Math.floor(crossings[i + 1]!.x * oversample - 0.5));
        const pixelRow = Math.floor(row / oversample) * size;
        for (let column = from; column <= to; column++) hits[pixelRow + Math.floor(column / oversample)]!++;
      }
    }
    const coverage = new Uint8Array(size * size);
    const full = oversample * oversample;
    for (let i = 0; i < coverage.length; i++) coverage[i] = Math.round((Math.min(full, hits[i]!) / full) * 255);
    return coverage;
  }
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, "ascii"), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit RGB PNG (ISO/IEC 15948: signature, IHDR, one IDAT, IEND). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1); // filter 0 per row
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0))];
  return Buffer.concat(parts);
}

/** The cover as PNG bytes: paper background, a frame, the title (serif) and the author (sans). */
export function coverPng(metadata: Pick<DocumentMetadata, "title" | "author">): Uint8Array {
  const size = coverSize;
  const text = new Coverage();
  const titleLines = wrap(metadata.title, 20, 6);
  const titleSize = titleLines.length > 4 ? 40 : 48;
  const titleTop = size * 0.36 - ((titleLines.length - 1) * titleSize * 1.2) / 2;
  titleLines.forEach((line, index) => text.text("DejaVuSerif.ttf", line, titleSize, size / 2, titleTop + index * titleSize * 1.2));
  if (metadata.author) {
    wrap(metadata.author, 30, 2).forEach((line, index) => text.text("DejaVuSans.ttf", line, 28, size / 2, size - 110 + index * 36));
  }
  const coverage = text.render(size);
  const rgb = new Uint8Array(size * size * 3);
  const border = { outer: 30, inner: 33 };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const onFrame =
        x >= border.outer &&
        x < size - border.outer &&
        y >= border.outer &&
        y < size - border.outer &&
        !(x >= border.inner && x < size - border.inner && y >= border.inner && y < size - border.inner);
      const base = onFrame ? frame : paper;
      const alpha = coverage[i]! / 255;
      for (let channel = 0; channel < 3; channel++) rgb[i * 3 + channel] = Math.round(base[channel]! * (1 - alpha) + ink[channel]! * alpha);
    }
  }
  return encodePng(size, size, rgb);
}
