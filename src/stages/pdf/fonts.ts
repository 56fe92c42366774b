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

/** A family faces are drawn from: the three DejaVu families, and Noto Emoji, a fallback only. */
type FaceFamily = FontFamily | "emoji";

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

/**
 * Each family's regular, bold, italic and bold italic TTF, as a package path. Noto Emoji
 * (monochrome, OFL, from @expo-google-fonts/noto-emoji, 886 KB a weight) has one face for
 * all four: emoji have no italic, and one face keeps the embedded subsets few.
 */
const notoEmoji = "@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf";
const faceFiles: Record<FaceFamily, readonly [regular: string, bold: string, italic: string, boldItalic: string]> = {
  serif: ["DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"].map(dejavu) as [string, string, string, string],
  sans: ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"].map(dejavu) as [string, string, string, string],
  mono: ["DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf"].map(dejavu) as [string, string, string, string],
  emoji: [notoEmoji, notoEmoji, notoEmoji, notoEmoji],
};

function dejavu(file: string): string {
  return `dejavu-fonts-ttf/ttf/${file}`;
}

/**
 * Which families to try, in order, when a family lacks a character. Noto Emoji comes last:
 * a symbol DejaVu has (☐ ✓ ❤) keeps its text form, and an emoji (😀 🎉 👩‍💻 🇫🇷) or a
 * symbol asking for emoji presentation (❤️, with U+FE0F, which DejaVu lacks) prints from it.
 */
const fallbackFamilies: Record<FontFamily, readonly FaceFamily[]> = {
  serif: ["serif", "sans", "mono", "emoji"],
  sans: ["sans", "serif", "mono", "emoji"],
  mono: ["mono", "sans", "serif", "emoji"],
};

const require = createRequire(import.meta.url);

/** Absolute path of a DejaVu TTF, resolved from the installed package at run time (no committed binaries). */
export function dejavuFontPath(file: string): string {
  return require.resolve(dejavu(file));
}

function faceFile(style: FaceStyle): string {
  const files = faceFiles[style.family];
  return files[(style.bold ? 1 : 0) + (style.italic ? 2 : 0)]!;
}

/** A face of any family, the emoji fallback included. */
interface FaceStyle {
  readonly family: FaceFamily;
  readonly bold: boolean;
  readonly italic: boolean;
}

const facePaths = new Map<string, FaceName>();

function emojiFace(): FaceName {
  return faceName({ family: "emoji", bold: false, italic: false });
}

export function faceName(style: FaceStyle): FaceName {
  const file = faceFile(style);
  let path = facePaths.get(file);
  if (path === undefined) {
    path = require.resolve(file);
    facePaths.set(file, path);
  }
  return path;
}

/** A stretch of text and the face that covers every character in it. */
export interface FaceRun {
  readonly text: string;
  readonly face: FaceName;
  /**
   * Set when `text` is not what was written, to be given as /ActualText: no face has the
   * character (`text` is U+FFFD, drawn from a face that has it), or no face has every mark of
   * the cluster (`text` is its base with the marks the base's face has).
   */
  readonly standsFor?: string;
}

/** A character no face has, with the source line it was first met on. */
export interface UncoveredCharacter {
  readonly character: string;
  readonly line: number | undefined;
}

/** How a grapheme cluster is drawn: from which face, and which of its characters. */
interface ClusterChoice {
  readonly face: FaceName;
  /** The cluster, or its base with only the marks `face` has. */
  readonly drawn: string;
}

const isFormatCharacter = (character: string): boolean => /[\p{Cc}\p{Cf}]/u.test(character);

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
  readonly #clusterChoice = new Map<string, ClusterChoice | undefined>();
  readonly #uncovered = new Map<string, number | undefined>();
  /** The source line of the block being drawn, given to characters no face has. */
  #line: number | undefined;

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
    return [...this.#uncovered.keys()];
  }

  /** Characters that no face covers with the source line each was first met on, in that order. */
  get uncoveredAt(): readonly UncoveredCharacter[] {
    return [...this.#uncovered].map(([character, line]) => ({ character, line }));
  }

  /** The source line of the text split from now on (undefined outside the document's blocks); returns the previous one. */
  atLine(line: number | undefined): number | undefined {
    const previous = this.#line;
    this.#line = line;
    return previous;
  }

  #addUncovered(character: string): void {
    if (!this.#uncovered.has(character)) this.#uncovered.set(character, this.#line);
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
      const choice = /^\s+$/u.test(cluster) && currentFace !== undefined ? { face: currentFace, drawn: cluster } : this.#faceForCluster(cluster, style);
      if (choice === undefined || choice.drawn !== cluster) {
        const shown = [...cluster].filter((character) => !isFormatCharacter(character)).join("");
        if (shown === "") continue;
        if (current !== "") runs.push({ text: current, face: currentFace! });
        current = "";
        currentFace = undefined;
        // The base from its face without the marks no face draws with it, or U+FFFD when no face has the base.
        if (choice !== undefined) runs.push({ text: choice.drawn, face: choice.face, standsFor: cluster });
        else runs.push({ text: replacementCharacter, face: this.#faceFor(replacementCharacter, style) ?? faceName(style), standsFor: cluster });
        continue;
      }
      const face = choice.face;
      if (face === emojiFace() && [...cluster].length > 1) {
        // A sequence (👩‍💻, 🇫🇷, 👍🏽) is one glyph of the emoji face, which maps back to only
        // some of its characters: /ActualText gives it whole when copied or read.
        if (current !== "") runs.push({ text: current, face: currentFace! });
        current = "";
        currentFace = undefined;
        runs.push({ text: cluster, face, standsFor: cluster });
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
   * such as ZWJ or a direction mark need no glyph). When none has them all, the base is
   * drawn from the face that has it with the most of the marks, and the marks that face
   * lacks are left out (a mark drawn from another font would not sit on its base) and
   * reported; undefined when no face has the base (or the cluster shows nothing).
   */
  #faceForCluster(cluster: string, style: FontStyle): ClusterChoice | undefined {
    const characters = [...cluster];
    if (characters.length === 1) {
      const face = this.#faceFor(cluster, style);
      return face === undefined ? undefined : { face, drawn: cluster };
    }
    const visible = characters.filter((character) => !isFormatCharacter(character));
    if (visible.length === 0) return undefined;
    const key = `${faceName(style)}\u0000${cluster}`;
    if (this.#clusterChoice.has(key)) return this.#clusterChoice.get(key);
    let best: { face: FaceName; coverage: GlyphCoverage | undefined; covered: number } | undefined;
    for (const family of fallbackFamilies[style.family]) {
      const name = this.#register({ ...style, family });
      const coverage = this.#coverage(name);
      const has = (character: string): boolean => coverage?.hasGlyphForCodePoint(character.codePointAt(0)!) === true;
      if (!has(visible[0]!)) continue;
      const covered = visible.filter(has).length;
      if (best === undefined || covered > best.covered) best = { face: name, coverage, covered };
      if (covered === visible.length) break;
    }
    const chosen =
      best === undefined
        ? undefined
        : {
            face: best.face,
            drawn: characters.filter((character) => isFormatCharacter(character) || best.coverage?.hasGlyphForCodePoint(character.codePointAt(0)!) === true).join(""),
          };
    this.#clusterChoice.set(key, chosen);
    if (chosen === undefined || chosen.drawn !== cluster) this.#reportCluster(cluster, chosen, style);
    return chosen;
  }

  /** Reports what of `cluster` is not drawn: its marks left out, or its base when no face has it. */
  #reportCluster(cluster: string, choice: ClusterChoice | undefined, style: FontStyle): void {
    const visible = [...cluster].filter((character) => !isFormatCharacter(character));
    if (choice === undefined) {
      // No face has the base: it is U+FFFD; name the characters no face has at all.
      for (const character of visible) if (this.#faceFor(character, style) === undefined) this.#addUncovered(character);
      return;
    }
    const drawn = new Set(choice.drawn);
    for (const character of visible) if (!drawn.has(character)) this.#addUncovered(character);
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
    if (chosen === undefined && !isFormatCharacter(character)) this.#addUncovered(character);
    this.#choice.set(key, chosen);
    return chosen;
  }

  #register(style: FaceStyle): FaceName {
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
