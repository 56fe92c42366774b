// Styled runs → lines that fit a width: greedy breaking at spaces only, never hyphenating,
// then each line put in visual order by the Unicode bidi algorithm (./bidi.ts).
//
// No hyphenation on purpose: a hyphen drawn at a line end is extracted as part of the text,
// and a screen reader then reads "compre- hension" (issue 4, reading order). Words longer
// than the line (long URLs) are cut between grapheme clusters instead, so a combining mark
// stays on its base character's line.
import { embeddingLevels, mayHaveRightToLeft, visualOrder } from "./bidi.js";
import type { FaceName, FontBook, FontStyle } from "./fonts.js";
import { graphemes, longestFittingPrefix } from "./graphemes.js";
import type { InlineContainer, InlineMarks, InlineRun } from "./inline-runs.js";
import type { TextStyle } from "./typography.js";

/** A stretch of one line drawn with one face, size and element. */
export interface Segment {
  /** Logical (reading-order) text. */
  readonly text: string;
  readonly face: FaceName;
  readonly size: number;
  readonly marks: InlineMarks;
  readonly container?: InlineContainer;
  /** At an odd bidi embedding level (Arabic, Hebrew…): drawn right to left from its right edge, brackets mirrored. */
  readonly rtl: boolean;
  /** Bidi embedding level (UAX #9): even reads left to right, odd right to left. */
  readonly level: number;
  /** The character a drawn U+FFFD stands for (no font has it), for /ActualText. */
  readonly standsFor?: string;
  /** Offset of the segment's left edge from the line start (visual position; segments come in reading order). */
  readonly x: number;
  readonly width: number;
}

export interface Line {
  /** In reading (logical) order, each at its visual place: drawn in this order, the content stream and the structure read logically. */
  readonly segments: readonly Segment[];
  readonly width: number;
  readonly height: number;
}

/** Measures `text` in `face` at `size`, in points. */
export type MeasureText = (text: string, face: FaceName, size: number) => number;

interface Piece {
  text: string;
  face: FaceName;
  size: number;
  marks: InlineMarks;
  container: InlineContainer | undefined;
  rtl: boolean;
  level: number;
  width: number;
  standsFor?: string;
}

/**
 * A box is a word (no break inside); glue a space (a break, drawn when the line goes on); a
 * soft break is a place between two tokens of a word where a line may end, drawing nothing.
 */
type Item = { kind: "box"; pieces: Piece[]; width: number } | { kind: "glue"; piece: Piece } | { kind: "soft" } | { kind: "break" };

export interface BreakOptions {
  readonly width: number;
  readonly style: TextStyle;
  readonly fonts: FontBook;
  readonly measure: MeasureText;
}

/** The face style and size a run is drawn with. */
function runStyle(base: TextStyle, marks: InlineMarks): { font: FontStyle; size: number } {
  const font: FontStyle = {
    family: marks.code ? "mono" : base.family,
    bold: base.bold || marks.bold,
    italic: base.italic || marks.italic,
  };
  let size = marks.code ? base.size * 0.9 : base.size;
  if (marks.superscript) size *= 0.7;
  return { font, size };
}

function tokenize(runs: readonly InlineRun[], options: BreakOptions): Item[] {
  const items: Item[] = [];
  let box: Item & { kind: "box" } = { kind: "box", pieces: [], width: 0 };
  const closeBox = (): void => {
    if (box.pieces.length > 0) items.push(box);
    box = { kind: "box", pieces: [], width: 0 };
  };
  for (const run of runs) {
    if (run.kind === "break") {
      closeBox();
      items.push({ kind: "break" });
      continue;
    }
    const { font, size } = runStyle(options.style, run.marks);
    // Soft hyphens would be drawn (there is no hyphenation); source line breaks are spaces.
    const text = run.marks.code ? run.text.replace(/\s/g, " ") : run.text.replace(/\u00AD/g, "").replace(/[\t\r\n]+/g, " ");
    for (const part of text.split(/( +)/)) {
      if (part === "") continue;
      if (part.startsWith(" ")) {
        closeBox();
        const last = items.at(-1);
        if (last?.kind === "glue" || last === undefined || last.kind === "break") continue;
        const face = options.fonts.split(" ", font)[0]!.face;
        items.push({ kind: "glue", piece: { text: " ", face, size, marks: run.marks, container: run.container, rtl: false, level: 0, width: options.measure(" ", face, size) } });
        continue;
      }
      for (const faceRun of options.fonts.split(part, font)) {
        // Widths are measured once levels are known (`splitByLevel`).
        const piece: Piece = { text: faceRun.text, face: faceRun.face, size, marks: run.marks, container: run.container, rtl: false, level: 0, width: 0 };
        if (faceRun.standsFor !== undefined) piece.standsFor = faceRun.standsFor;
        box.pieces.push(piece);
      }
    }
  }
  closeBox();
  while (items.at(-1)?.kind === "glue") items.pop();
  return items;
}

/**
 * Gives every piece its bidi embedding level, computed over the whole paragraph (a level
 * depends on what surrounds a character: the digits of ٤٥٦ inside Arabic text are at level 2),
 * splitting a piece where the level changes (between grapheme clusters, never inside one),
 * and measures the pieces. Returns the paragraph's direction.
 */
function resolveLevels(items: Item[], measure: MeasureText): void {
  let text = "";
  for (const item of items) {
    if (item.kind === "box") for (const piece of item.pieces) text += piece.standsFor ?? piece.text;
    else if (item.kind === "glue") text += " ";
    // A hard line break is a line separator (bidi class WS), not a paragraph separator.
    else text += "\u2028";
  }
  if (!mayHaveRightToLeft.test(text)) {
    // No right-to-left or Arabic-number character: every level is 0 (rules P2–P3, W, I).
    for (const item of items) {
      if (item.kind === "box") {
        for (const piece of item.pieces) piece.width = measure(piece.text, piece.face, piece.size);
        item.width = item.pieces.reduce((sum, piece) => sum + piece.width, 0);
      }
    }
    return;
  }
  const { levels } = embeddingLevels(text);
  let offset = 0;
  for (const item of items) {
    if (item.kind === "break") {
      offset += 1;
      continue;
    }
    if (item.kind === "soft") continue;
    if (item.kind === "glue") {
      item.piece.level = levels[offset] ?? 0;
      item.piece.rtl = item.piece.level % 2 === 1;
      offset += 1;
      continue;
    }
    const split: Piece[] = [];
    for (const piece of item.pieces) {
      const source = piece.standsFor ?? piece.text;
      if (piece.standsFor !== undefined) {
        // One replaced character (drawn as U+FFFD): one level.
        split.push({ ...piece, level: levels[offset] ?? 0, rtl: (levels[offset] ?? 0) % 2 === 1 });
        offset += source.length;
        continue;
      }
      let current: Piece | undefined;
      for (const cluster of graphemes(source)) {
        const level = levels[offset] ?? 0;
        offset += cluster.length;
        if (current !== undefined && current.level === level) current.text += cluster;
        else {
          current = { ...piece, text: cluster, level, rtl: level % 2 === 1 };
          split.push(current);
        }
      }
    }
    for (const piece of split) piece.width = measure(piece.text, piece.face, piece.size);
    item.pieces = split;
    item.width = split.reduce((sum, piece) => sum + piece.width, 0);
  }
}

/**
 * Cuts a box wider than the line into boxes that fit, between grapheme clusters. The cut
 * point is found by binary search (a 20,000-character word is a few dozen measurements, not
 * one per character).
 */
function cutOverlong(box: Item & { kind: "box" }, width: number, measure: MeasureText): (Item & { kind: "box" })[] {
  const boxes: (Item & { kind: "box" })[] = [];
  let current: Item & { kind: "box" } = { kind: "box", pieces: [], width: 0 };
  const take = (piece: Piece, text: string): void => {
    const w = measure(text, piece.face, piece.size);
    current.pieces.push({ ...piece, text, width: w });
    current.width += w;
  };
  for (const piece of box.pieces) {
    let rest = graphemes(piece.text);
    while (rest.length > 0) {
      const room = width - current.width;
      // At least one cluster goes on an empty line, however wide.
      const fitting = longestFittingPrefix(rest, (text) => measure(text, piece.face, piece.size) <= room, current.pieces.length > 0 ? 0 : 1);
      if (fitting === rest.length) {
        take(piece, rest.join(""));
        break;
      }
      if (fitting > 0) take(piece, rest.slice(0, fitting).join(""));
      boxes.push(current);
      current = { kind: "box", pieces: [], width: 0 };
      rest = rest.slice(fitting);
    }
  }
  if (current.pieces.length > 0) boxes.push(current);
  return boxes;
}

/**
 * Characters after which a word too long for its line may end the line: the joints of URLs,
 * paths and commands (`install.sh`, `a/b`, `x|y`, `a,b`, `nvm-sh`). A run of them
 * stays together (`://`, `--`), so a line never starts with a lone separator.
 */
const tokenJoint = /^[/.\-|,;:?&=+~#@)\]}>]$/u;

/** Whether a line may end after `cluster` inside a word (code lines use it too). `_` is not one: it joins an identifier's parts. */
export function isTokenJoint(cluster: string): boolean {
  return tokenJoint.test(cluster);
}

/**
 * Splits a word at its token joints (after `tokenJoint` characters), into boxes joined by
 * soft breaks: the places a word wider than its line may end a line before being cut
 * between characters. No character is added or lost.
 */
function splitAtTokens(box: Item & { kind: "box" }, measure: MeasureText): Item[] {
  const parts: (Item & { kind: "box" })[] = [];
  let current: Piece[] = [];
  const closePart = (): void => {
    if (current.length === 0) return;
    const pieces = current.map((piece) => ({ ...piece, width: measure(piece.text, piece.face, piece.size) }));
    parts.push({ kind: "box", pieces, width: pieces.reduce((sum, piece) => sum + piece.width, 0) });
    current = [];
  };
  const clusters = box.pieces.flatMap((piece) => (piece.standsFor !== undefined ? [{ piece, text: piece.text }] : graphemes(piece.text).map((text) => ({ piece, text }))));
  clusters.forEach(({ piece, text }, index) => {
    const last = current.at(-1);
    if (last !== undefined && last.text !== "" && sameKind(last, piece) && last.level === piece.level && last.standsFor === undefined && piece.standsFor === undefined)
      last.text += text;
    else current.push({ ...piece, text });
    const next = clusters[index + 1];
    if (next !== undefined && isTokenJoint(text) && !isTokenJoint(next.text)) closePart();
  });
  closePart();
  return parts.flatMap((part, index) => (index === 0 ? [part] : [{ kind: "soft" as const }, part]));
}

/** A word that is a web address: its tokens may be split across lines even when measuring a column's narrowest width. */
const urlLike = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)/i;

function boxText(box: Item & { kind: "box" }): string {
  return box.pieces.map((piece) => piece.text).join("");
}

/**
 * The narrowest width `runs` can be set in without cutting a word (CSS's min-content width):
 * the widest word, measured in the faces and sizes it is drawn with (code in the mono face, a
 * word of several runs whole). A web address counts by its widest token, since it is broken
 * after a `/` or `.` when its column is narrower than it.
 */
export function narrowestWidth(runs: readonly InlineRun[], options: Omit<BreakOptions, "width">): number {
  const tokens = tokenize(runs, { ...options, width: Number.POSITIVE_INFINITY });
  resolveLevels(tokens, options.measure);
  let widest = 0;
  for (const item of tokens) {
    if (item.kind !== "box") continue;
    const parts = urlLike.test(boxText(item)) ? splitAtTokens(item, options.measure) : [item];
    for (const part of parts) if (part.kind === "box") widest = Math.max(widest, part.width);
  }
  return widest;
}

/**
 * Breaks runs into lines no wider than `options.width`, at spaces. A word wider than the line
 * is broken at its token joints (`splitAtTokens`), and a token still too wide is cut between
 * grapheme clusters. An empty paragraph yields no lines.
 */
export function breakLines(runs: readonly InlineRun[], options: BreakOptions): Line[] {
  const lines: Piece[][] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  let pendingGlue: Piece | undefined;
  const finishLine = (): void => {
    lines.push(current);
    current = [];
    currentWidth = 0;
    pendingGlue = undefined;
  };
  const tokens = tokenize(runs, options);
  resolveLevels(tokens, options.measure);
  const items = tokens.flatMap((item) =>
    item.kind === "box" && item.width > options.width
      ? splitAtTokens(item, options.measure).flatMap((part) => (part.kind === "box" && part.width > options.width ? cutOverlong(part, options.width, options.measure) : [part]))
      : [item],
  );
  for (const item of items) {
    if (item.kind === "break") {
      finishLine();
      continue;
    }
    if (item.kind === "glue") {
      if (current.length > 0) pendingGlue = item.piece;
      continue;
    }
    if (item.kind === "soft") continue;
    const glueWidth = pendingGlue !== undefined ? pendingGlue.width : 0;
    if (current.length > 0 && currentWidth + glueWidth + item.width > options.width) {
      finishLine();
    }
    if (pendingGlue !== undefined && current.length > 0) {
      current.push(pendingGlue);
      currentWidth += pendingGlue.width;
    }
    pendingGlue = undefined;
    current.push(...item.pieces);
    currentWidth += item.width;
  }
  if (current.length > 0) lines.push(current);
  return lines.map((pieces) => toLine(joinRightToLeftPhrases(pieces, options.measure), options.style.lineHeight));
}

function sameKind(a: Piece, b: Piece): boolean {
  return (
    a.standsFor === undefined &&
    b.standsFor === undefined &&
    a.face === b.face &&
    a.size === b.size &&
    a.container === b.container &&
    a.marks.bold === b.marks.bold &&
    a.marks.italic === b.marks.italic &&
    a.marks.code === b.marks.code &&
    a.marks.superscript === b.marks.superscript &&
    (a.marks.strike ?? false) === (b.marks.strike ?? false)
  );
}

/**
 * A space between two right-to-left words takes the words' face, so the phrase merges into
 * one segment and is drawn as a whole.
 */
function joinRightToLeftPhrases(pieces: readonly Piece[], measure: MeasureText): Piece[] {
  return pieces.map((piece, index) => {
    const before = pieces[index - 1];
    const after = pieces[index + 1];
    if (piece.text !== " " || !piece.rtl || before?.rtl !== true || after?.rtl !== true || before.face !== after.face || before.container !== after.container) return piece;
    if (before.level !== piece.level || after.level !== piece.level) return piece;
    return { ...piece, face: before.face, width: measure(" ", before.face, piece.size) };
  });
}

/**
 * Positions a line's pieces (rule L2: visual order from the levels) and merges neighbours
 * drawn alike, so each line is a few text operators. Segments stay in reading order, each
 * with its visual offset: two pieces next to each other in reading order at one level are
 * next to each other on the page too (right to left at an odd level).
 */
function toLine(pieces: readonly Piece[], height: number): Line {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last !== undefined && sameKind(last, piece) && last.level === piece.level) {
      last.text += piece.text;
      last.width += piece.width;
    } else {
      merged.push({ ...piece });
    }
  }
  const offsets = new Array<number>(merged.length);
  let x = 0;
  for (const index of visualOrder(merged.map((piece) => piece.level))) {
    offsets[index] = x;
    x += merged[index]!.width;
  }
  const segments: Segment[] = merged.map((piece, index) => {
    const { container, ...rest } = piece;
    return container === undefined ? { ...rest, x: offsets[index]! } : { ...rest, container, x: offsets[index]! };
  });
  return { segments, width: x, height };
}
