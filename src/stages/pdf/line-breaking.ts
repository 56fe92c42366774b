// Styled runs → lines that fit a width: greedy breaking at spaces only, never hyphenating.
//
// No hyphenation on purpose: a hyphen drawn at a line end is extracted as part of the text,
// and a screen reader then reads "compre- hension" (issue 4, reading order). Words longer
// than the line (long URLs) are cut between characters instead.
import type { FaceName, FontBook, FontStyle } from "./fonts.js";
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
  /** Right-to-left text (Arabic, Hebrew): drawn word-reversed so it reads correctly. */
  readonly rtl: boolean;
  /** The character a drawn U+FFFD stands for (no font has it), for /ActualText. */
  readonly standsFor?: string;
  /** Offset from the line start. */
  readonly x: number;
  readonly width: number;
}

export interface Line {
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
  width: number;
  standsFor?: string;
}

type Item = { kind: "box"; pieces: Piece[]; width: number } | { kind: "glue"; piece: Piece } | { kind: "break" };

const strongRtl = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const strongLtr = /[\p{L}]/u;

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
        items.push({ kind: "glue", piece: { text: " ", face, size, marks: run.marks, container: run.container, rtl: false, width: options.measure(" ", face, size) } });
        continue;
      }
      for (const faceRun of options.fonts.split(part, font)) {
        for (const chunk of directionChunks(faceRun.text)) {
          const width = options.measure(chunk.text, faceRun.face, size);
          const piece: Piece = { text: chunk.text, face: faceRun.face, size, marks: run.marks, container: run.container, rtl: chunk.rtl, width };
          if (faceRun.standsFor !== undefined) piece.standsFor = faceRun.standsFor;
          box.pieces.push(piece);
          box.width += width;
        }
      }
    }
  }
  closeBox();
  while (items.at(-1)?.kind === "glue") items.pop();
  return items;
}

/** Splits text where it turns from left-to-right to right-to-left; neutral characters stay put. */
function directionChunks(text: string): { text: string; rtl: boolean }[] {
  const chunks: { text: string; rtl: boolean }[] = [];
  for (const character of text) {
    const rtl = strongRtl.test(character) ? true : strongLtr.test(character) ? false : undefined;
    const last = chunks.at(-1);
    if (last !== undefined && (rtl === undefined || rtl === last.rtl)) last.text += character;
    else chunks.push({ text: character, rtl: rtl ?? false });
  }
  return chunks;
}

/** Cuts a box wider than the line into boxes that fit, between characters. */
function cutOverlong(box: Item & { kind: "box" }, width: number, measure: MeasureText): (Item & { kind: "box" })[] {
  const boxes: (Item & { kind: "box" })[] = [];
  let current: Item & { kind: "box" } = { kind: "box", pieces: [], width: 0 };
  for (const piece of box.pieces) {
    let text = "";
    for (const character of piece.text) {
      const next = text + character;
      const nextWidth = measure(next, piece.face, piece.size);
      if (current.width + nextWidth > width && (text !== "" || current.pieces.length > 0)) {
        if (text !== "") {
          const w = measure(text, piece.face, piece.size);
          current.pieces.push({ ...piece, text, width: w });
          current.width += w;
        }
        boxes.push(current);
        current = { kind: "box", pieces: [], width: 0 };
        text = character;
      } else {
        text = next;
      }
    }
    if (text !== "") {
      const w = measure(text, piece.face, piece.size);
      current.pieces.push({ ...piece, text, width: w });
      current.width += w;
    }
  }
  if (current.pieces.length > 0) boxes.push(current);
  return boxes;
}

/** Breaks runs into lines no wider than `options.width`. An empty paragraph yields no lines. */
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
  const items = tokenize(runs, options).flatMap((item) =>
    item.kind === "box" && item.width > options.width ? cutOverlong(item, options.width, options.measure) : [item],
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
 * one segment and is ordered as a whole (pdfkit would otherwise draw the words left to right).
 */
function joinRightToLeftPhrases(pieces: readonly Piece[], measure: MeasureText): Piece[] {
  return pieces.map((piece, index) => {
    const before = pieces[index - 1];
    const after = pieces[index + 1];
    if (piece.text !== " " || before?.rtl !== true || after?.rtl !== true || before.face !== after.face || before.container !== after.container) return piece;
    return { ...piece, face: before.face, rtl: true, width: measure(" ", before.face, piece.size) };
  });
}

/** Positions pieces and merges neighbours drawn alike, so each line is a few text operators. */
function toLine(pieces: readonly Piece[], height: number): Line {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last !== undefined && sameKind(last, piece) && last.rtl === piece.rtl) {
      last.text += piece.text;
      last.width += piece.width;
    } else {
      merged.push({ ...piece });
    }
  }
  const segments: Segment[] = [];
  let x = 0;
  for (const piece of merged) {
    const { container, ...rest } = piece;
    segments.push(container === undefined ? { ...rest, x } : { ...rest, container, x });
    x += piece.width;
  }
  return { segments, width: x, height };
}
