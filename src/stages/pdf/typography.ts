// Page size, margins and type sizes: the typographic decisions of the PDF, in one table.
import type { FontStyle } from "./fonts.js";

export type PaperSize = "A4" | "LETTER";

/**
 * Regions that use US Letter (the rest of the world uses A4, ISO 216). The region comes from
 * the document's language tag, filled in with its likely region (`en` → `en-Latn-US`).
 */
const letterRegions = new Set(["US", "CA", "MX", "PH", "CL", "CO", "VE", "PR", "GT", "CR", "PA", "DO", "SV", "NI", "HN"]);

export function paperSizeForLanguage(language: string): PaperSize {
  let region: string | undefined;
  try {
    region = new Intl.Locale(language).maximize().region;
  } catch {
    region = undefined;
  }
  return region !== undefined && letterRegions.has(region) ? "LETTER" : "A4";
}

const paperPoints: Record<PaperSize, readonly [width: number, height: number]> = {
  A4: [595.28, 841.89],
  LETTER: [612, 792],
};

/** Where text may go on a page, in PDF points from the top-left corner. */
export interface PageGeometry {
  readonly size: PaperSize;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  /** Width of the text column. */
  readonly measure: number;
  /** Lowest y a line of body content may reach. */
  readonly bottom: number;
  /** Baseline of the page number. */
  readonly footerBaseline: number;
  /** Baseline of the running header. */
  readonly headerBaseline: number;
}

/**
 * A 5.5-inch column: about 70 characters of 11 pt DejaVu Serif per line, inside the 45–75
 * character measure typographers recommend for sustained reading (and WCAG 1.4.8's 80 at most).
 */
const measure = 396;

export function pageGeometry(size: PaperSize): PageGeometry {
  const [width, height] = paperPoints[size];
  const left = Math.round((width - measure) / 2);
  return {
    size,
    width,
    height,
    left,
    top: 72,
    measure,
    bottom: height - 80,
    footerBaseline: height - 44,
    headerBaseline: 44,
  };
}

/** A kind of text: its face, size and line height (leading). */
export interface TextStyle extends FontStyle {
  readonly size: number;
  readonly lineHeight: number;
}

function style(family: FontStyle["family"], size: number, lineHeight: number, bold = false, italic = false): TextStyle {
  return { family, size, lineHeight, bold, italic };
}

/** Line height 1.5 × the size for body text (WCAG 1.4.8 / 1.4.12 spacing). */
export const textStyles = {
  body: style("serif", 11, 16.5),
  byline: style("sans", 10, 15),
  code: style("mono", 9, 13),
  tableCell: style("serif", 10, 14),
  note: style("serif", 9.5, 14),
  /** An image's title, under it. */
  caption: style("serif", 10, 14, false, true),
  footer: style("sans", 9, 12),
  /** Title (H1), then H2…H6. */
  headings: [
    style("sans", 22, 28, true),
    style("sans", 16, 21, true),
    style("sans", 13.5, 18, true),
    style("sans", 12, 16.5, true),
    style("sans", 11, 16, true, true),
    style("sans", 11, 16, false, true),
  ],
} as const;

export function headingStyle(level: number): TextStyle {
  return textStyles.headings[Math.min(Math.max(level, 1), 6) - 1]!;
}

/** Vertical spacing, in points. */
export const spacing = {
  paragraph: 8,
  listItem: 4,
  beforeHeading: 18,
  afterHeading: 8,
  block: 10,
  /** Left indent per list or quote level. */
  indent: 22,
} as const;

export const colors = {
  text: "#000000",
  link: "#0645ad",
  muted: "#4d4d4d",
  rule: "#8c8c8c",
  codeBackground: "#f2f2f2",
} as const;
