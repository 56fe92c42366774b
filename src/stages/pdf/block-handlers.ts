// Block content → tagged, laid-out PDF: one handler per mdast block type, plus a fallback.
//
// Structure follows PDF/UA-1 §7 and the Matterhorn Protocol: P; L > LI > Lbl + LBody (nested
// lists inside LBody); Table > TR > TH/TD with header scope (Matterhorn 15-003); BlockQuote;
// Code; Figure with Alt (Matterhorn 13-004), decorative images as Artifacts.
import type { Blockquote, Code, Heading, Html, Image, List, Nodes, Paragraph, PhrasingContent, RootContent, Table } from "mdast";
import { toString } from "mdast-util-to-string";
import { headingTitle } from "../../document/sections.js";
import { fill, type Words } from "../../document/words/index.js";
import { levelRuns, paragraphDirection, visualOrder } from "./bidi.js";
import type { PageComposer } from "./composer.js";
import type { HeadingLevels } from "../shared/heading-levels.js";
import type { ImageSource } from "./images.js";
import { inlineRuns, unrenderedElements, type InlineContext, type InlineMarks, type InlineRun } from "./inline-runs.js";
import { graphemes, longestFittingPrefix } from "./graphemes.js";
import { breakLines, isTokenJoint, narrowestWidth, type Line } from "./line-breaking.js";
import { createStruct, drawImage, embedImage, openImage, type OpenedImage, type StructElement } from "./pdfkit-internals.js";
import { colors, headingStyle, spacing, textStyles, type TextStyle } from "./typography.js";

/** Shared services of one PDF being written. */
export interface WriterServices {
  warn(rule: string, reason: string, node?: Nodes): void;
  readonly inline: InlineContext;
  readonly images: ReadonlyMap<string, ImageSource>;
  readonly headings: HeadingLevels;
  /** Lectern's own words, in the document's language or the English fallback (src/document/words). */
  readonly words: Words;
  /** Runs of Lectern's own words, a Span with /Lang en when they fall back to English. */
  interfaceRuns(text: string, marks?: Partial<InlineMarks>): InlineRun[];
  /** `en` when Lectern's words fall back to English in this document (they need a language), else undefined. */
  readonly interfaceLanguage: string | undefined;
  /** Sets the named destination of `node` at the cursor, so `#fragment` links to it can be followed. */
  markHeading(node: Heading): void;
  /** Adds a bookmark for a heading at `level` (2–6) at the cursor, nested under the section's. */
  subheadingBookmark(level: number, title: string): void;
}

export interface BlockContext {
  readonly composer: PageComposer;
  readonly services: WriterServices;
  /** The structure element new blocks are added to. */
  readonly parent: StructElement;
  /** Left indent from the text column's edge, in points. */
  readonly indent: number;
  /** Text style of paragraphs here (body, note, table cell). */
  readonly style: TextStyle;
  /** Space after a paragraph: smaller in tight lists. */
  readonly paragraphGap: number;
  /** Nesting depth of lists, for bullet shapes. */
  readonly listDepth: number;
  /** Runs drawn before the next paragraph's text (a note's number); taken by the first paragraph. */
  readonly prefix?: { runs: InlineRun[] | undefined };
  /** Where the enclosing list item's label was drawn (page index, line top, right edge), for a nested label on the same line. */
  readonly labelAt?: { readonly page: number; readonly y: number; readonly right: number };
}

type BlockHandler = (node: never, context: BlockContext) => void;

export function renderBlocks(blocks: readonly RootContent[], context: BlockContext): void {
  // An HTML block can open an element whose content is never rendered (`<template>`, a
  // `<noscript>` with blank lines inside) and close it several blocks later: the Markdown
  // between is its content and is not drawn, as the EPUB's sanitizer drops it.
  let hiddenIn: string | undefined;
  blocks.forEach((block, index) => {
    if (hiddenIn !== undefined) {
      if (block.type === "html" && new RegExp(`</${hiddenIn}\\s*>`, "i").test(block.value)) hiddenIn = undefined;
      return;
    }
    if (block.type === "html") hiddenIn = unclosedUnrenderedElement(block.value);
    // A character no font has is reported with the line of the block it is in.
    const outerLine = context.composer.fonts.atLine(block.position?.start.line);
    if (block.type === "heading") drawSubheading(block, context, blocks[index + 1]);
    else renderBlock(block, context);
    context.composer.fonts.atLine(outerLine);
  });
}

/** The element of `unrenderedElements` that `html` opens and leaves open, if any. */
function unclosedUnrenderedElement(html: string): string | undefined {
  let open: string | undefined;
  for (const match of html.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(\/?)>/g)) {
    const tag = match[2]!.toLowerCase();
    if (open === undefined && match[1] === "" && match[3] === "" && unrenderedElements.has(tag)) open = tag;
    else if (open !== undefined && match[1] === "/" && tag === open) open = undefined;
  }
  return open;
}

function renderBlock(node: RootContent, context: BlockContext): void {
  const handler = (blockHandlers as Record<string, BlockHandler | undefined>)[node.type] ?? unknownBlock;
  handler(node as never, context);
}

function hasText(runs: readonly InlineRun[]): boolean {
  return runs.some((run) => run.kind === "text" && run.text.trim() !== "");
}

function lineWidth(context: BlockContext): number {
  return context.composer.geometry.measure - context.indent;
}

/**
 * The indent of a list's or quote's content one level below `context`. Indentation never
 * takes more than `maxIndentShare` of the text column: a 99-level list once left a column
 * one letter wide and then drew text past the page's right edge. Deeper levels keep the
 * last indent; the structure tree still nests them, so a screen reader hears the depth.
 */
function nestedIndent(context: BlockContext): number {
  return Math.min(context.indent + spacing.indent, Math.floor(context.composer.geometry.measure * maxIndentShare));
}

/** At most this share of the text column goes to indentation, so at least 60% is left for text. */
const maxIndentShare = 0.4;

function layOut(runs: readonly InlineRun[], style: TextStyle, width: number, context: BlockContext): Line[] {
  return breakLines(runs, { width, style, fonts: context.composer.fonts, measure: context.composer.measure });
}

/** Draws runs as one block element (`P` unless told), flowing across pages. */
export function drawTextBlock(runs: readonly InlineRun[], context: BlockContext, role = "P", style: TextStyle = context.style): StructElement | undefined {
  const prefix = context.prefix?.runs;
  if (context.prefix !== undefined) context.prefix.runs = undefined;
  const allRuns = prefix === undefined ? runs : [...prefix, ...runs];
  if (!hasText(allRuns)) return undefined;
  const lines = layOut(allRuns, style, lineWidth(context), context);
  const element = createStruct(context.composer.doc, role);
  context.parent.add(element);
  context.composer.drawFlowingLines(lines, { x: context.composer.geometry.left + context.indent, element, ...paragraphAlignment(allRuns, context) });
  element.end();
  context.composer.space(context.paragraphGap);
  return element;
}

/** Draws a heading, kept on the page with the unsplittable start of `following` (see `leadHeight`). */
export function drawHeading(level: number, runs: readonly InlineRun[], context: BlockContext, bookmark: () => void, following?: RootContent): void {
  const { composer } = context;
  const style = headingStyle(level);
  if (level > 1) composer.space(level === 2 ? spacing.beforeHeading : spacing.beforeHeading * 0.75);
  const lines = layOut(runs, style, lineWidth(context), context);
  const height = lines.reduce((sum, line) => sum + line.height, 0);
  // Kept with the start of what follows it: a heading never ends a page. A heading taller
  // than the space a page holds (a very long title) starts a page and flows on to the next
  // ones rather than running off the bottom.
  const pageHeight = composer.geometry.bottom - composer.geometry.top;
  composer.ensureSpace(Math.min(height + spacing.afterHeading + leadHeight(following, context), pageHeight));
  bookmark();
  const element = createStruct(composer.doc, `H${level}`);
  context.parent.add(element);
  const placement = { x: composer.geometry.left + context.indent, element, ...paragraphAlignment(runs, context) };
  if (height <= composer.remaining + 0.01) composer.drawLinesHere(lines, placement);
  else composer.drawFlowingLines(lines, placement);
  element.end();
  composer.y += spacing.afterHeading;
}

/**
 * A paragraph whose first strong character is right-to-left (Arabic, Hebrew) is set flush
 * right, as its readers expect (the Unicode bidi algorithm's paragraph direction, rules P2–P3,
 * the same direction its lines are ordered in).
 */
function paragraphAlignment(runs: readonly InlineRun[], context: BlockContext): { align?: "right"; width?: number } {
  const text = runs.map((run) => (run.kind === "text" ? run.text : "\u2028")).join("");
  return paragraphDirection(text) === "rtl" ? { align: "right", width: lineWidth(context) } : {};
}

function drawSubheading(node: Heading, context: BlockContext, following: RootContent | undefined): void {
  const title = headingTitle(node);
  if (title === "") {
    // An empty heading announces nothing and would be an empty bookmark; it takes no level,
    // so the next heading's level follows the one before it (the EPUB drops it too).
    context.services.warn("heading-empty", `heading level ${node.depth} has no text; it is left out`, node);
    return;
  }
  const { level, requested } = context.services.headings.subheading(node.depth);
  if (requested !== undefined) {
    context.services.warn(
      "heading-level-skipped",
      `heading level ${node.depth} skips a level; it is tagged H${level} instead of H${requested} so no level is skipped (Matterhorn 14-003)`,
      node,
    );
  }
  drawHeading(
    level,
    inlineRuns(node.children, context.services.inline),
    context,
    () => {
      context.services.markHeading(node);
      context.services.subheadingBookmark(level, title);
    },
    following,
  );
}

/**
 * Height of the first part of `node` that cannot be split across pages (two lines of a
 * paragraph, a short table, a picture), which the heading before it is kept with.
 */
export function leadHeight(node: RootContent | undefined, context: BlockContext): number {
  const twoLines = 2 * context.style.lineHeight;
  if (node === undefined) return twoLines;
  // Measuring must not report: the block reports when it is drawn. It may number a note the
  // block cites (noteNumber is not silenced), which is harmless: the block is drawn next, so
  // the note gets the number it would get anyway.
  const quiet: BlockContext = { ...context, services: { ...context.services, warn: () => {}, inline: { ...context.services.inline, warn: () => {} } } };
  switch (node.type) {
    case "paragraph": {
      const first = node.children.find((child) => child.type !== "text" || child.value.trim() !== "");
      if (first?.type === "image") return measureFigure(first, quiet)?.height ?? twoLines;
      return twoLines;
    }
    case "list":
      return 3 * context.style.lineHeight;
    case "heading": {
      // A heading right after a heading: the first is kept with the second and two lines
      // under it, or a page could end with the first (its level is a guess from the source
      // depth: the space a heading takes, not its tag, matters here).
      const lines = layOut(inlineRuns(node.children, quiet.services.inline), headingStyle(node.depth), lineWidth(context), quiet);
      return spacing.beforeHeading + lines.reduce((sum, line) => sum + line.height, 0) + spacing.afterHeading + twoLines;
    }
    case "blockquote":
      return leadHeight(node.children[0], context);
    case "code":
      return 2 * textStyles.code.lineHeight + 12;
    case "table": {
      const layout = measureTable(node, quiet);
      return layout.keepTogether ? layout.height : layout.rowHeights[0]! + (layout.rowHeights[1] ?? 0);
    }
    default:
      return twoLines;
  }
}

const bullets = ["•", "◦", "▪"];
/** The PDF ListNumbering of each bullet above (ISO 32000-1 Table 347). */
const bulletNumbering = ["Disc", "Circle", "Square"];

const blockHandlers = {
  paragraph(node: Paragraph, context: BlockContext) {
    // Images are lifted out of running text into figures of their own, in place.
    let group: PhrasingContent[] = [];
    const flush = (): void => {
      if (group.length > 0) drawTextBlock(inlineRuns(group, context.services.inline), context);
      group = [];
    };
    for (const child of node.children) {
      if (child.type === "image") {
        flush();
        drawFigure(child, context);
      } else {
        group.push(child);
      }
    }
    flush();
  },

  heading(node: Heading, context: BlockContext) {
    drawSubheading(node, context, undefined);
  },

  list(node: List, context: BlockContext) {
    const { composer } = context;
    const list = createStruct(composer.doc, "L");
    context.parent.add(list);
    // PDF/UA-1 §7.6: the numbering scheme of a list is declared in its attributes.
    // Bullets change shape with depth (•, ◦, ▪ → Disc, Circle, Square); a task list's labels
    // are check boxes, which no numbering scheme names (None).
    const taskList = node.children.length > 0 && node.children.every((item) => typeof item.checked === "boolean");
    const numbering = node.ordered ? "Decimal" : taskList ? "None" : bulletNumbering[context.listDepth % bulletNumbering.length]!;
    list.dictionary.data.A = { O: "List", ListNumbering: numbering };
    const start = node.start ?? 1;
    const tight = node.spread !== true;
    node.children.forEach((item, index) => {
      const itemElement = createStruct(composer.doc, "LI");
      list.add(itemElement);
      const task = typeof item.checked === "boolean";
      const label = task ? (item.checked ? "☑" : "☐") : node.ordered ? `${start + index}.` : bullets[context.listDepth % bullets.length]!;
      const language = context.services.interfaceLanguage;
      const labelElement = createStruct(
        composer.doc,
        "Lbl",
        task ? { actual: taskLabel(item.checked === true, context.services.words), ...(language ? { lang: language } : {}) } : {},
      );
      itemElement.add(labelElement);
      const style = context.style;
      // The label stays with the start of the item's first block (a code block, a table…).
      composer.ensureSpace(Math.min(Math.max(3 * style.lineHeight, leadHeight(item.children[0], context)), composer.geometry.bottom - composer.geometry.top));
      const bodyIndent = nestedIndent(context);
      const face = composer.fonts.split(label, style)[0]!.face;
      const labelWidth = composer.measure(label, face, style.size);
      const labelX = composer.geometry.left + bodyIndent - 5 - labelWidth;
      // Near the deepest indent a label has no column of its own: an item opening an item
      // (`- - text`) would put its label over the outer one's, so it starts a line lower.
      const outer = context.labelAt;
      if (outer !== undefined && outer.page === currentPageIndex(composer.doc) && outer.y === composer.y && labelX < outer.right + 1) {
        composer.y += style.lineHeight;
        composer.ensureSpace(3 * style.lineHeight);
      }
      composer.drawString(label, face, style.size, labelX, composer.y + style.lineHeight * 0.72, labelElement);
      labelElement.end();
      const body = createStruct(composer.doc, "LBody");
      itemElement.add(body);
      const startY = composer.y;
      renderBlocks(item.children, {
        ...context,
        parent: body,
        indent: bodyIndent,
        labelAt: { page: currentPageIndex(composer.doc), y: composer.y, right: labelX + labelWidth },
        paragraphGap: tight ? spacing.listItem : spacing.paragraph,
        listDepth: context.listDepth + 1,
      });
      // An item with no text still takes its label's line.
      if (composer.y === startY) composer.y += style.lineHeight;
      body.end();
      itemElement.end();
    });
    list.end();
    composer.space(context.listDepth > 0 ? 0 : spacing.paragraph);
  },

  blockquote(node: Blockquote, context: BlockContext) {
    const composer = context.composer;
    const doc = composer.doc;
    const quote = createStruct(doc, "BlockQuote");
    context.parent.add(quote);
    // The quote starts where its first lines fit, so its bar never stands alone at a page's foot.
    composer.ensureSpace(Math.min(leadHeight(node.children[0], context), composer.geometry.bottom - composer.geometry.top));
    const startPage = currentPageIndex(doc);
    const startY = composer.y;
    const bodyIndent = nestedIndent(context);
    renderBlocks(node.children, { ...context, parent: quote, indent: bodyIndent });
    quote.end();
    const endPage = currentPageIndex(doc);
    const endY = composer.y - context.paragraphGap;
    // The bar beside the quote is decoration (Artifact), drawn on each page the quote spans.
    // Left of the content, also when the indent no longer grows (then over the outer quote's bar).
    const x = composer.geometry.left + bodyIndent - spacing.indent + 6;
    for (let page = startPage; page <= endPage; page++) {
      doc.switchToPage(page);
      const top = page === startPage ? startY : composer.geometry.top;
      const bottom = page === endPage ? endY : composer.geometry.bottom;
      if (bottom > top) {
        composer.artifact(() => {
          doc.save().lineWidth(2).strokeColor(colors.rule).moveTo(x, top).lineTo(x, bottom).stroke().restore();
        });
      }
    }
    doc.switchToPage(endPage);
  },

  code(node: Code, context: BlockContext) {
    const { composer } = context;
    const doc = composer.doc;
    const style = textStyles.code;
    const padding = 6;
    const width = lineWidth(context) - 2 * padding;
    const mono = composer.fonts.use(style);
    // A continued line starts with a hook (drawn, not text) and is indented past it.
    const hangWidth = composer.measure(`${continuationSign} `, mono, style.size);
    const measureCode = (text: string): number => composer.fonts.split(text, style).reduce((sum, run) => sum + composer.measure(run.text, run.face, style.size), 0);
    const lines: CodeLine[] = [];
    node.value
      .replace(/\t/g, "    ")
      .split("\n")
      .forEach((sourceLine, source) => {
        const parts = wrapCodeLine(sourceLine.replace(/\s+$/, ""), width, width - hangWidth, measureCode);
        parts.forEach((text, part) => lines.push({ text, source, continued: part > 0, continues: part < parts.length - 1 }));
      });
    const element = createStruct(doc, "Code");
    context.parent.add(element);
    let index = 0;
    while (index < lines.length) {
      composer.ensureSpace(Math.min(lines.length - index, 2) * style.lineHeight + 2 * padding);
      const fits = Math.max(1, Math.floor((composer.remaining - 2 * padding) / style.lineHeight));
      const chunk = lines.slice(index, index + fits);
      const x = composer.geometry.left + context.indent;
      const height = chunk.length * style.lineHeight + 2 * padding;
      const top = composer.y;
      composer.artifact(() => {
        doc.save().rect(x, top, lineWidth(context), height).fill(colors.codeBackground).restore();
        // The continuation sign is decoration: not copied, not read (PDF/UA-1 §7.1).
        chunk.forEach((line, position) => {
          if (!line.continued) return;
          // An empty /ActualText too, for tools that extract artifacts' text (pdftotext does).
          doc.addContent("/Span << /ActualText () >> BDC");
          doc
            .font(mono)
            .fontSize(style.size)
            .fillColor(colors.muted)
            .text(continuationSign, x + padding, top + padding + position * style.lineHeight + style.lineHeight * 0.72, { lineBreak: false, baseline: "alphabetic" });
          doc.addContent("EMC");
        });
      });
      composer.y += padding;
      let position = 0;
      while (position < chunk.length) {
        // The visual lines of one source line on this page: a wrapped line is drawn as one
        // Span whose /ActualText is the source line, so copying or reading it gives it whole,
        // with no line break or space where it was wrapped.
        let end = position + 1;
        while (end < chunk.length && chunk[end - 1]!.continues && chunk[end]!.continued) end++;
        const group = chunk.slice(position, end);
        const drawn = group.map((line, offset) => ({
          runs: codeRuns(line.text, style, composer),
          x: x + padding + (line.continued ? hangWidth : 0),
          baseline: composer.y + offset * style.lineHeight + style.lineHeight * 0.72,
        }));
        // An indented line is one too: text extraction drops spaces at a line's start, and
        // indentation is part of the code (Python, YAML).
        if (group.length === 1 && !group[0]!.continued && !group[0]!.continues && !/^\s/.test(group[0]!.text)) {
          const { runs, x: lineX, baseline } = drawn[0]!;
          // Spaces are drawn too: a line's indentation is part of the code that is copied.
          for (const run of runs) {
            if (run.text === "") continue;
            composer.drawString(run.text, run.face, style.size, lineX + run.offset, baseline, element, { standsFor: run.standsFor, rtl: run.level % 2 === 1, width: run.width });
          }
        } else {
          const actual = group.map((line) => line.text).join("");
          const span = createStruct(doc, "Span", { actual });
          element.add(span);
          composer.drawStringsAs(
            drawn.flatMap(({ runs, x: lineX, baseline }) =>
              runs
                .filter((run) => run.text !== "")
                .map((run) => ({ text: run.text, face: run.face, size: style.size, x: lineX + run.offset, baseline, rtl: run.level % 2 === 1, width: run.width })),
            ),
            span,
            actual,
          );
          span.end();
        }
        composer.y += group.length * style.lineHeight;
        position = end;
      }
      composer.y += padding;
      index += chunk.length;
      if (index < lines.length) composer.newPage();
    }
    element.end();
    composer.space(spacing.block);
  },

  table(node: Table, context: BlockContext) {
    drawTable(node, context);
  },

  thematicBreak(_node: unknown, context: BlockContext) {
    const { composer } = context;
    composer.space(spacing.block);
    composer.ensureSpace(spacing.block);
    const width = 120;
    composer.rule(composer.geometry.left + context.indent + (lineWidth(context) - width) / 2, composer.y, width);
    composer.y += spacing.block;
  },

  html(node: Html, context: BlockContext) {
    if (/^\s*<!--/.test(node.value)) return;
    const tag = /^\s*<([A-Za-z][A-Za-z0-9-]*)/.exec(node.value)?.[1];
    context.services.warn("html-dropped", `HTML ${tag ? `\`<${tag}>\` ` : ""}block is not drawn in the PDF`, node);
  },

  // Link definitions and front matter are not content; footnote definitions are drawn as notes.
  definition() {},
  footnoteDefinition() {},
  yaml() {},
  toml() {},
};

/** Drawn at the start of a line of code that continues the line above (DejaVu Sans Mono has it). */
const continuationSign = "\u21AA";

/** One drawn line of a code block: a whole source line, or a part of a wrapped one. */
interface CodeLine {
  readonly text: string;
  /** Index of the source line. */
  readonly source: number;
  /** Continues the source line of the line above. */
  readonly continued: boolean;
  /** Is continued on the line below. */
  readonly continues: boolean;
}

/**
 * Wraps a line of code to fit: between tokens only — after a run of spaces, or after a
 * separator (`/ . - | , ;`… see `isTokenJoint`) that is followed by something else (`breakStrength`) — so
 * `install.sh | bash` breaks before `bash` and never inside `install`. A token longer
 * than the line is cut between grapheme clusters as a last resort. The parts, joined, are
 * the line: nothing is added or lost.
 */
export function wrapCodeLine(text: string, firstWidth: number, restWidth: number, measure: (text: string) => number): string[] {
  const clusters = graphemes(text);
  const parts: string[] = [];
  let start = 0;
  while (start < clusters.length) {
    const width = parts.length === 0 ? firstWidth : restWidth;
    const rest = clusters.slice(start);
    if (measure(rest.join("")) <= width) {
      parts.push(rest.join(""));
      break;
    }
    const fitting = longestFittingPrefix(rest, (prefix) => measure(prefix) <= width, 1);
    // The last break opportunity within what fits, the strongest kind first (a space, then a
    // `/`, then another separator) as long as it leaves the line well filled: `…/v0.40.6/`
    // then `install.sh | bash`, not `…/install.` then `sh | bash`.
    const opportunities = Array.from({ length: fitting }, (_, index) => fitting - index).filter((cut) => breakStrength(rest, cut) > 0);
    const wellFilled = (cut: number): boolean => measure(rest.slice(0, cut).join("")) >= width * 0.6;
    const cut =
      [3, 2, 1].map((strength) => opportunities.find((at) => breakStrength(rest, at) === strength && wellFilled(at))).find((at) => at !== undefined) ?? opportunities[0] ?? fitting;
    parts.push(rest.slice(0, cut).join(""));
    start += cut;
  }
  return parts.length === 0 ? [""] : parts;
}

/** How good a place to break a line of code before `clusters[index]` is: 3 after spaces, 2 after `/`, 1 after another separator, 0 not at all. */
function breakStrength(clusters: readonly string[], index: number): number {
  const before = clusters[index - 1];
  const after = clusters[index];
  if (before === undefined || after === undefined || /^\s$/u.test(after)) return 0;
  if (/^\s$/u.test(before)) return 3;
  if (!isTokenJoint(before) || isTokenJoint(after)) return 0;
  return before === "/" ? 2 : 1;
}

/** A line of code as runs of one face and bidi level, each at its visual offset from the line's start (rule L2). */
function codeRuns(
  text: string,
  style: TextStyle,
  composer: PageComposer,
): { text: string; face: string; standsFor?: string | undefined; level: number; width: number; offset: number }[] {
  // A line of code reads left to right, but Arabic or Hebrew inside it (a comment, a string)
  // is ordered by the bidi algorithm like any text: runs in reading order, each at its visual place.
  const runs = levelRuns(text, "ltr").flatMap(({ text: part, level }) =>
    composer.fonts.split(part, style).map((run) => ({ ...run, level, width: composer.measure(run.text, run.face, style.size), offset: 0 })),
  );
  let x = 0;
  for (const position of visualOrder(runs.map((run) => run.level))) {
    runs[position]!.offset = x;
    x += runs[position]!.width;
  }
  return runs;
}

function unknownBlock(node: never, context: BlockContext): void {
  const unknown = node as Nodes;
  const text = toString(unknown).trim();
  context.services.warn("node-unsupported", `\`${unknown.type}\` content is drawn as a plain paragraph`, unknown);
  if (text !== "") drawTextBlock([{ kind: "text", text, marks: { bold: false, italic: false, code: false, superscript: false } }], context);
}

function currentPageIndex(doc: PDFKit.PDFDocument): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

/** CSS pixels (96 per inch) to points: how large an image without other size information is drawn. */
const pointsPerPixel = 0.75;

/** Each image file opened for the PDF being written (null: pdfkit could not open it). */
const openedImages = new WeakMap<ImageSource, OpenedImage | null>();

/** The drawn size of a figure's image, or undefined when it cannot be drawn (reported when drawn). */
function measureFigure(node: Image, context: BlockContext): { image: OpenedImage; width: number; height: number } | undefined {
  const { composer } = context;
  const source = context.services.images.get(node.url);
  if (source === undefined) return undefined;
  if (source.kind !== "file") {
    context.services.warn(source.rule, source.reason, node);
    return undefined;
  }
  let image = openedImages.get(source);
  if (image === undefined) {
    // Opened and embedded once, here, so a file pdfkit cannot decode is a warning for this
    // image rather than an error when the document is finished (the header and structure were
    // checked when the file was read: ../shared/image-files.ts).
    try {
      image = openImage(composer.doc, source.data);
      embedImage(composer.doc, image);
    } catch {
      image = null;
    }
    openedImages.set(source, image);
  }
  if (image === null) {
    context.services.warn("image-unreadable", `image \`${node.url.slice(0, 60)}\` could not be decoded; its description is shown instead`, node);
    return undefined;
  }
  const maxHeight = (composer.geometry.bottom - composer.geometry.top) * 0.6;
  const scale = Math.min(pointsPerPixel, lineWidth(context) / image.width, maxHeight / image.height);
  return { image, width: image.width * scale, height: image.height * scale };
}

/** "Done:" / "Not done:", the text a task's check box stands for. */
function taskLabel(checked: boolean, words: Words): string {
  return fill(words.label, { name: checked ? words.done : words.notDone });
}

function drawFigure(node: Image, context: BlockContext): void {
  const { composer } = context;
  const doc = composer.doc;
  const alt = (node.alt ?? "").trim();
  const caption = (node.title ?? "").trim();
  const figure = measureFigure(node, context);
  if (figure === undefined) {
    const italic = { bold: false, italic: true, code: false, superscript: false };
    const standIn: InlineRun[] = [
      ...(alt !== ""
        ? [
            { kind: "text" as const, text: "[", marks: italic },
            ...context.services.interfaceRuns(context.services.words.image, italic),
            { kind: "text" as const, text: ` ${alt}]`, marks: italic },
          ]
        : []),
      ...(caption !== "" ? [{ kind: "text" as const, text: alt !== "" ? ` ${caption}` : caption, marks: italic }] : []),
    ];
    if (standIn.length > 0) drawTextBlock(standIn, context);
    return;
  }
  const { image, width, height } = figure;
  const available = lineWidth(context);
  // The image's Markdown title is its caption (the EPUB's `figcaption`), kept on its page.
  const captionLines = caption === "" ? [] : layOut(plainCaptionRuns(caption), textStyles.caption, available, context);
  const captionHeight = captionLines.reduce((sum, line) => sum + line.height, 0);
  // The picture is kept with its caption's first two lines; a longer caption flows on.
  const captionLead = captionLines.slice(0, 2).reduce((sum, line) => sum + line.height, 0);
  composer.ensureSpace(height + (captionLines.length > 0 ? spacing.listItem + captionLead : 0));
  const x = composer.geometry.left + context.indent + (available - width) / 2;
  const y = composer.y;
  if (alt === "") {
    context.services.warn("image-alt-missing", "image has no description; it is drawn as decoration (an Artifact) that screen readers skip", node);
    composer.artifact(() => drawImage(doc, image, x, y, width, height));
  } else {
    const figure = createStruct(doc, "Figure", { alt });
    context.parent.add(figure);
    // Matterhorn 13-004 needs Alt; a BBox lets tools (PAC, reflow) place the figure.
    const pageHeight = composer.geometry.height;
    figure.dictionary.data.A = { O: "Layout", Placement: "Block", BBox: [x, pageHeight - (y + height), x + width, pageHeight - y] };
    const content = doc.markStructureContent("Figure");
    drawImage(doc, image, x, y, width, height);
    doc.endMarkedContent();
    figure.add(content);
    figure.end();
  }
  composer.y += height;
  if (captionLines.length > 0) {
    composer.y += spacing.listItem;
    // A P after the Figure, not a Caption inside it: a Figure's /Alt replaces everything the
    // element holds, so a caption inside would never be read.
    const captionElement = createStruct(doc, "P");
    context.parent.add(captionElement);
    const captionPlacement = { x: composer.geometry.left + context.indent, element: captionElement, align: "center" as const, width: available };
    if (captionHeight <= composer.remaining + 0.01) composer.drawLinesHere(captionLines, captionPlacement);
    else composer.drawFlowingLines(captionLines, captionPlacement);
    captionElement.end();
  }
  composer.space(spacing.block);
}

function plainCaptionRuns(caption: string): InlineRun[] {
  return [{ kind: "text", text: caption, marks: { bold: false, italic: true, code: false, superscript: false } }];
}

interface TableLayout {
  /** The cells' text style and padding: smaller than usual for a table too wide for the column. */
  readonly style: TextStyle;
  readonly padding: number;
  readonly widths: readonly number[];
  readonly rowLines: readonly (readonly Line[][])[];
  readonly rowHeights: readonly number[];
  readonly height: number;
  /** A short table is not split at all: a page break inside a handful of rows helps nobody. */
  readonly keepTogether: boolean;
}

const tableCellPadding = 5;

function measureTable(node: Table, context: BlockContext): TableLayout {
  const columns = Math.max(...node.children.map((row) => row.children.length), 1);
  const cellRuns = node.children.map((row, rowIndex) =>
    Array.from({ length: columns }, (_, column) => inlineRuns(row.children[column]?.children ?? [], context.services.inline, { bold: rowIndex === 0 })),
  );
  // A table whose longest words do not fit side by side (many columns) is set a step smaller
  // at a time, down to half size, before any word is broken: the largest size whose
  // narrowest columns fit is used. Below that floor, words are broken (at their token
  // joints first, see breakLines) rather than the text becoming unreadably small.
  let layout = layOutTable(cellRuns, context, 1);
  for (const scale of tableScaleSteps) {
    if (layout.leastTotal <= lineWidth(context) + 0.01) break;
    layout = layOutTable(cellRuns, context, scale);
  }
  return layout;
}

/** The font sizes a table too wide for the column steps down through, as shares of the cell size (10 pt to 5 pt). */
const tableScaleSteps = [0.9, 0.8, 0.7, 0.6, 0.5];

function layOutTable(cellRuns: readonly InlineRun[][][], context: BlockContext, scale: number): TableLayout & { leastTotal: number } {
  const { composer } = context;
  const base = textStyles.tableCell;
  const style: TextStyle = scale === 1 ? base : { ...base, size: base.size * scale, lineHeight: base.lineHeight * scale };
  const padding = tableCellPadding * scale;
  const available = lineWidth(context);
  const columns = cellRuns[0]?.length ?? 1;
  // Column widths, as CSS's automatic table layout: each column at least its longest word
  // (`least`), at most its widest unbroken content (`natural`); when the natural widths do not
  // fit the column of text, every column gets its least width and the room left is shared in
  // proportion to what each would still take. A cell of a thousand words then wraps in a
  // wide column instead of squeezing its neighbours to a letter a line.
  const natural = Array.from({ length: columns }, (_, column) =>
    Math.max(24 * scale, ...cellRuns.map((row) => Math.max(0, ...layOut(row[column]!, style, Number.POSITIVE_INFINITY, context).map((line) => line.width)) + 2 * padding)),
  );
  const least = Array.from({ length: columns }, (_, column) =>
    Math.min(
      natural[column]!,
      Math.max(24 * scale, ...cellRuns.map((row) => narrowestWidth(row[column]!, { style, fonts: composer.fonts, measure: composer.measure }) + 2 * padding)),
    ),
  );
  const total = natural.reduce((sum, width) => sum + width, 0);
  const leastTotal = least.reduce((sum, width) => sum + width, 0);
  const widths =
    total <= available
      ? natural
      : leastTotal >= available
        ? least.map((width) => (width / leastTotal) * available)
        : least.map((width, column) => width + ((natural[column]! - width) / (total - leastTotal)) * (available - leastTotal));
  const rowLines = cellRuns.map((row) => row.map((runs, column) => layOut(runs, style, widths[column]! - 2 * padding, context)));
  const rowHeights = rowLines.map((cells) => Math.max(...cells.map((lines) => lines.reduce((sum, line) => sum + line.height, 0)), style.lineHeight) + 2 * padding);
  const height = rowHeights.reduce((sum, rowHeight) => sum + rowHeight, 0);
  return { style, padding, widths, rowLines, rowHeights, height, leastTotal, keepTogether: height <= (composer.geometry.bottom - composer.geometry.top) / 3 };
}

function drawTable(node: Table, context: BlockContext): void {
  const { composer } = context;
  const doc = composer.doc;
  const { style: cellStyle, padding, widths, rowLines, rowHeights, height: tableHeight, keepTogether } = measureTable(node, context);
  const tableWidth = widths.reduce((sum, width) => sum + width, 0);
  // A table whose text is right to left (its first strong character, rule P2, as the PDF's
  // paragraphs) runs its columns right to left and sits at the right of the text column, as
  // an HTML table does in a right-to-left document.
  const rtl = paragraphDirection(node.children.flatMap((row) => row.children.map((cell) => toString(cell))).join(" ")) === "rtl";
  const left = composer.geometry.left + context.indent + (rtl ? lineWidth(context) - tableWidth : 0);
  /** Left edge of each column. */
  const columnX = widths.map((_, column) => {
    const before = widths.slice(0, column).reduce((sum, width) => sum + width, 0);
    return rtl ? left + tableWidth - before - widths[column]! : left + before;
  });

  const table = createStruct(doc, "Table");
  context.parent.add(table);
  composer.space(spacing.paragraph / 2);
  if (keepTogether) composer.ensureSpace(tableHeight);
  const headerLines = rowLines[0]!;
  const pageHeight = composer.geometry.bottom - composer.geometry.top;
  /**
   * On a continuation page the header is drawn again for sighted readers, as an Artifact;
   * not a header so tall it would crowd the page out (it could not leave room for a row).
   */
  const headerRepeats = rowHeights[0]! <= pageHeight / 4;
  const repeatHeader = (): void => {
    if (!headerRepeats) return;
    const top = composer.y;
    headerLines.forEach((lines, column) => {
      composer.y = top + padding;
      composer.drawLinesAsArtifact(lines, { x: columnX[column]! + padding, align: node.align?.[column] ?? (rtl ? "right" : "left"), width: widths[column]! - 2 * padding });
    });
    composer.y = top + rowHeights[0]!;
    composer.rule(left, composer.y, tableWidth, 1.2, colors.text);
  };
  node.children.forEach((_row, rowIndex) => {
    const header = rowIndex === 0;
    const cells = rowLines[rowIndex]!;
    const height = rowHeights[rowIndex]!;
    // The header row stays with the first body row (as far as a page holds them).
    const pageBefore = currentPageIndex(doc);
    // A row is kept whole on one page when a page can hold it; a taller one (a cell of 1,500
    // words) is split: what fits of each cell here, line by line, the rest on the next pages
    // under the repeated header. It starts here when two of its lines fit.
    const twoLines = 2 * cellStyle.lineHeight + 2 * padding;
    const unsplit = (rowHeight: number): number => (rowHeight > pageHeight - (headerRepeats ? rowHeights[0]! : 0) ? twoLines : rowHeight);
    composer.ensureSpace(Math.min(header && rowLines.length > 1 ? unsplit(height) + unsplit(rowHeights[1]!) : unsplit(height), pageHeight));
    if (!header && currentPageIndex(doc) !== pageBefore) repeatHeader();
    const row = createStruct(doc, "TR");
    table.add(row);
    const cellElements = cells.map(() => {
      const cell = createStruct(doc, header ? "TH" : "TD");
      row.add(cell);
      // Matterhorn 15-003: header cells say which cells they head.
      if (header) cell.dictionary.data.A = { O: "Table", Scope: "Column" };
      return cell;
    });
    const drawn = cells.map(() => 0);
    let split = false;
    for (;;) {
      const top = composer.y;
      const room = composer.geometry.bottom - top - 2 * padding;
      let partHeight = 0;
      cells.forEach((lines, column) => {
        let take = 0;
        let used = 0;
        while (drawn[column]! + take < lines.length && used + lines[drawn[column]! + take]!.height <= room + 0.01) used += lines[drawn[column]! + take++]!.height;
        // A line taller than a whole page cannot happen (line heights are a few points), but
        // a part always makes progress.
        if (take === 0 && drawn[column]! < lines.length && composer.atPageTop) used += lines[drawn[column]! + take++]!.height;
        composer.y = top + padding;
        const align = node.align?.[column] ?? undefined;
        if (take > 0)
          composer.drawLinesHere(lines.slice(drawn[column]!, drawn[column]! + take), {
            x: columnX[column]! + padding,
            element: cellElements[column]!,
            align: align ?? (rtl ? "right" : "left"),
            width: widths[column]! - 2 * padding,
          });
        drawn[column]! += take;
        partHeight = Math.max(partHeight, used);
      });
      const finished = cells.every((lines, column) => drawn[column]! >= lines.length);
      if (finished) {
        // An unsplit row keeps its measured height; the last part of a split one is as tall as its tallest rest.
        composer.y = top + (split ? partHeight + 2 * padding : height);
        break;
      }
      split = true;
      composer.y = top + partHeight + 2 * padding;
      composer.rule(left, composer.y, tableWidth, 0.5, colors.rule);
      composer.newPage();
      if (!header) repeatHeader();
    }
    cellElements.forEach((cell) => cell.end());
    row.end();
    composer.rule(left, composer.y, tableWidth, header ? 1.2 : 0.5, header ? colors.text : colors.rule);
  });
  table.end();
  composer.space(spacing.block);
}
