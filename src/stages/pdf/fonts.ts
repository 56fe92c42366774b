// The PDF's fonts: DejaVu TrueType faces from the dejavu-fonts-ttf package, embedded, with a
// per-character fallback chain so no text is drawn with a `.notdef` glyph.
//
// PDF/UA-1 §7.21.4.1 (Matterhorn 31-001…) requires every font to be embedded; the standard-14
// fonts are not, so Lectern never uses them. DejaVu Serif (the body face) lacks Arabic and a
// few symbols (☐ ☑ ✓) that DejaVu Sans has, so each family falls back to the others
// (Matterhorn 31-030: no .notdef glyph may be painted).
import { createRequire } from "node:module";
import { graphemes } from "./graphemes.js";
import { currentGlyphCoverage, type GlyphCoverage } from "./pdfkit-internals.js";

export type FontFamily = "serif" | "sans" | "mono";

/** A face to draw with: family plus weight and slant. */
export interface FontStyle {
  readonly family: FontFamily;
  readonly bold: boolean;
  readonly italic: boolean;
}

/**
 * The name pdfkit knows a face by: its TTF's absolute path. Paths, not `registerFont` aliases:
 * pdfkit 0.20 caches a font under its alias only when no face of the same PostScript name is
 * loaded yet, so an alias of the default font re-parsed the TTF on every `font()` call
 * (measured: 80% of the time of a 77-page book).
 */
export type FaceName = string;

const faceFiles: Record<FontFamily, readonly [regular: string, bold: string, italic: string, boldItalic: string]> = {
  serif: ["DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"],
  sans: ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"],
  mono: ["DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf"],
};

/** Which families to try, in order, when a family lacks a character. */
const fallbackFamilies: Record<FontFamily, readonly FontFamily[]> = {
  serif: ["serif", "sans", "mono"],
  sans: ["sans", "serif", "mono"],
  mono: ["mono", "sans", "serif"],
};

const require = createRequire(import.meta.url);

/** Absolute path of a DejaVu TTF, resolved from the installed package at run time (no committed binaries). */
export function dejavuFontPath(file: string): string {
  return require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
}

function faceFile(style: FontStyle): string {
  const files = faceFiles[style.family];
  return files[(style.bold ? 1 : 0) + (style.italic ? 2 : 0)]!;
}

const facePaths = new Map<string, FaceName>();

export function faceName(style: FontStyle): FaceName {
  const file = faceFile(style);
  let path = facePaths.get(file);
  if (path === undefined) {
    path = dejavuFontPath(file);
    facePaths.set(file, path);
  }
  return path;
}

/** A stretch of text and the face that covers every character in it. */
export interface FaceRun {
  readonly text: string;
  readonly face: FaceName;
  /**
   * Set when no face has the character: `text` is then U+FFFD (drawn from a face that has
   * it) and this is the character it stands for, to be given as /ActualText.
   */
  readonly standsFor?: string;
}

/** Drawn in place of a character no face has, so no `.notdef` glyph is ever painted (Matterhorn 31-030). */
const replacementCharacter = "\uFFFD";

/**
 * Registers faces with a pdfkit document on first use and answers which face draws each
 * character. Characters no face covers are drawn with the first face and reported once.
 */
export class FontBook {
  readonly #doc: PDFKit.PDFDocument;
  readonly #registered = new Map<FaceName, GlyphCoverage | undefined>();
  readonly #choice = new Map<string, FaceName | undefined>();
  readonly #uncovered = new Set<string>();

  constructor(doc: PDFKit.PDFDocument) {
    this.#doc = doc;
  }

  /** Makes `style` the current font of the document and returns its name (pdfkit loads it on first use). */
  use(style: FontStyle): FaceName {
    const name = this.#register(style);
    this.#doc.font(name);
    return name;
  }

  /** Characters that no face covers, in the order they were first met. */
  get uncovered(): readonly string[] {
    return [...this.#uncovered];
  }

  /**
   * Splits `text` into runs that each one face covers, preferring `style`'s family. The unit
   * is the grapheme cluster: a base character and its combining marks always share a face
   * (the first in the chain that has every one of them), so a mark is never drawn from
   * another font than its base, or as `.notdef` from a font that lacks it.
   */
  split(text: string, style: FontStyle): FaceRun[] {
    const runs: FaceRun[] = [];
    let current = "";
    let currentFace: FaceName | undefined;
    for (const cluster of graphemes(text)) {
      // Spaces stay with the run they are in, so shaping sees whole words.
      const face = /^\s+$/u.test(cluster) && currentFace !== undefined ? currentFace : this.#faceForCluster(cluster, style);
      if (face === undefined) {
        const shown = [...cluster].filter((character) => !/[\p{Cc}\p{Cf}]/u.test(character)).join("");
        if (shown === "") continue;
        if (current !== "") runs.push({ text: current, face: currentFace! });
        current = "";
        currentFace = undefined;
        runs.push({ text: replacementCharacter, face: this.#faceFor(replacementCharacter, style) ?? faceName(style), standsFor: cluster });
        continue;
      }
      if (face !== currentFace && current !== "") {
        runs.push({ text: current, face: currentFace! });
        current = "";
      }
      currentFace = face;
      current += cluster;
    }
    if (current !== "") runs.push({ text: current, face: currentFace! });
    return runs;
  }

  /**
   * The first face of the chain that has every character of `cluster` (format characters
   * such as ZWJ or a direction mark need no glyph), or undefined when none has them all.
   */
  #faceForCluster(cluster: string, style: FontStyle): FaceName | undefined {
    const characters = [...cluster];
    if (characters.length === 1) return this.#faceFor(cluster, style);
    const visible = characters.filter((character) => !/[\p{Cc}\p{Cf}]/u.test(character));
    if (visible.length === 0) return undefined;
    const key = `${faceName(style)}\u0000${cluster}`;
    if (this.#choice.has(key)) return this.#choice.get(key);
    let chosen: FaceName | undefined;
    for (const family of fallbackFamilies[style.family]) {
      const name = this.#register({ ...style, family });
      const coverage = this.#coverage(name);
      if (visible.every((character) => coverage?.hasGlyphForCodePoint(character.codePointAt(0)!))) {
        chosen = name;
        break;
      }
    }
    // No one face has the whole cluster: it is drawn as U+FFFD with the cluster as /ActualText
    // (splitting it would draw the mark apart from its base, or as .notdef: Matterhorn 31-030).
    if (chosen === undefined) this.#uncovered.add(cluster);
    this.#choice.set(key, chosen);
    return chosen;
  }

  /** The first face of `style`'s fallback chain that has `character`, or undefined when none has. */
  #faceFor(character: string, style: FontStyle): FaceName | undefined {
    const key = `${faceName(style)}\u0000${character}`;
    if (this.#choice.has(key)) return this.#choice.get(key);
    const codePoint = character.codePointAt(0)!;
    let chosen: FaceName | undefined;
    for (const family of fallbackFamilies[style.family]) {
      const candidate = { ...style, family };
      const name = this.#register(candidate);
      if (this.#coverage(name)?.hasGlyphForCodePoint(codePoint)) {
        chosen = name;
        break;
      }
    }
    if (chosen === undefined && !/[\p{Cc}\p{Cf}]/u.test(character)) this.#uncovered.add(character);
    this.#choice.set(key, chosen);
    return chosen;
  }

  #register(style: FontStyle): FaceName {
    const name = faceName(style);
    if (!this.#registered.has(name)) this.#registered.set(name, undefined);
    return name;
  }

  #coverage(name: FaceName): GlyphCoverage | undefined {
    let coverage = this.#registered.get(name);
    if (coverage === undefined) {
      this.#doc.font(name);
      coverage = currentGlyphCoverage(this.#doc);
      this.#registered.set(name, coverage);
    }
    return coverage;
  }
}
