// The optional embedded reading font: DejaVu Serif from the dejavu-fonts-ttf package.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { ExtraFile } from "./container.js";
import type { ManifestItem } from "./package-document.js";

const require = createRequire(import.meta.url);

/** Fonts Lectern can embed. `none` (the default) leaves the typeface to the reading system. */
export type ReadingFont = "none" | "dejavu-serif";

const faces = [
  { file: "DejaVuSerif.ttf", weight: "normal", style: "normal" },
  { file: "DejaVuSerif-Italic.ttf", weight: "normal", style: "italic" },
  { file: "DejaVuSerif-Bold.ttf", weight: "bold", style: "normal" },
  { file: "DejaVuSerif-BoldItalic.ttf", weight: "bold", style: "italic" },
] as const;

const family = "DejaVu Serif (embedded)";

export interface EmbeddedFont {
  readonly files: readonly ExtraFile[];
  readonly items: readonly ManifestItem[];
  /** `@font-face` rules and the body rule that uses them, appended to the style sheet. */
  readonly css: string;
}

/**
 * Reads the font files to embed. The body names the font first and the generic `serif`
 * after it; reading systems still let the reader pick another typeface (their "publisher
 * font" switch), so the book keeps its displayTransformability claim. Font files are sfnt
 * TrueType, a core media type in EPUB 3.3 (§3.2: `font/ttf`).
 */
export async function embeddedFont(font: ReadingFont): Promise<EmbeddedFont | undefined> {
  if (font === "none") return undefined;
  const files: ExtraFile[] = [];
  const items: ManifestItem[] = [];
  const rules: string[] = [];
  for (const [index, face] of faces.entries()) {
    const href = `fonts/${face.file}`;
    files.push({ href, data: new Uint8Array(await readFile(require.resolve(`dejavu-fonts-ttf/ttf/${face.file}`))) });
    items.push({ id: `font-${index + 1}`, href, mediaType: "font/ttf" });
    rules.push(`@font-face { font-family: "${family}"; font-weight: ${face.weight}; font-style: ${face.style}; src: url("${href}"); }`);
  }
  rules.push(`body { font-family: "${family}", serif; }`);
  return { files, items, css: `\n${rules.join("\n")}\n` };
}

/** The reading font the pipeline asked for (`StageOptions.epubReadingFont`, default `none`). */
export function readingFontOption(options: { readonly epubReadingFont?: ReadingFont }): ReadingFont {
  return options.epubReadingFont === "dejavu-serif" ? "dejavu-serif" : "none";
}
