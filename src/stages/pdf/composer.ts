// The page composer: a cursor down the text column that draws tagged lines, breaks pages
// (keeping headings with what follows, avoiding widows and orphans) and marks decoration as Artifacts.
//
// Every painted thing is either marked content of a structure element or an Artifact
// (PDF/UA-1 §7.1, Matterhorn 01-005). Marked content is opened and closed around each text
// segment, never left open across a page break, so no sequence straddles two pages.
import { piecesToDraw } from "./bidi.js";
import type { FaceName, FontBook } from "./fonts.js";
import type { InlineContainer } from "./inline-runs.js";
import type { Line, MeasureText } from "./line-breaking.js";
import { createStruct, currentPage, goToAnnotation, linkAnnotation, type OutlineItem, type StructElement, type StructOptions } from "./pdfkit-internals.js";
import { colors, type PageGeometry } from "./typography.js";

/** Where and how a block of lines is drawn. */
export interface LinePlacement {
  /** Left edge of the lines, absolute. */
  readonly x: number;
  /** The structure element the lines' text belongs to (P, H2, TD…). */
  readonly element: StructElement;
  readonly align?: "left" | "right" | "center" | undefined;
  /** Width to align within (for right/center alignment). */
  readonly width?: number;
  readonly color?: string;
}

/** Named destination of note `number`, where its text starts. */
export function noteDestination(number: number): string {
  return `note-${number}`;
}

const containerRoles: Record<InlineContainer["kind"], string> = {
  link: "Link",
  span: "Span",
  code: "Code",
  reference: "Reference",
};

/** How far a line starts from the placement's left edge, for right and centred alignment. */
function alignmentOffset(line: Line, placement: Pick<LinePlacement, "align" | "width">): number {
  if (placement.width === undefined) return 0;
  if (placement.align === "right") return placement.width - line.width;
  if (placement.align === "center") return (placement.width - line.width) / 2;
  return 0;
}

/** The inline element open while a block's lines are drawn. */
interface OpenContainer {
  readonly container: InlineContainer;
  /** The element that holds the content (for a note reference, the Link inside the Reference). */
  readonly element: StructElement;
  readonly outer?: StructElement;
}

export class PageComposer {
  readonly doc: PDFKit.PDFDocument;
  readonly fonts: FontBook;
  readonly geometry: PageGeometry;
  /** Top of the next thing to draw, in points from the page top. */
  y: number;
  readonly #widths = new Map<string, number>();

  constructor(doc: PDFKit.PDFDocument, fonts: FontBook, geometry: PageGeometry) {
    this.doc = doc;
    this.fonts = fonts;
    this.geometry = geometry;
    this.y = geometry.top;
  }

  readonly measure: MeasureText = (text, face, size) => {
    const key = `${face}\u0000${size}\u0000${text}`;
    let width = this.#widths.get(key);
    if (width === undefined) {
      width = this.doc.font(face).fontSize(size).widthOfString(text);
      this.#widths.set(key, width);
    }
    return width;
  };

  get atPageTop(): boolean {
    return this.y <= this.geometry.top + 0.01;
  }

  get remaining(): number {
    return this.geometry.bottom - this.y;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.geometry.top;
  }

  /** Starts a new page unless `height` fits below the cursor (or the cursor is at a page top). */
  ensureSpace(height: number): void {
    if (height > this.remaining && !this.atPageTop) this.newPage();
  }

  /** Vertical space between blocks; swallowed at the top of a page. */
  space(points: number): void {
    if (this.atPageTop) return;
    this.y += points;
  }

  /** Runs `draw` as an Artifact (PDF/UA-1 §7.1: decoration is not content). */
  artifact(draw: () => void, type: "Pagination" | "Layout" = "Layout"): void {
    this.doc.markContent("Artifact", { type });
    draw();
    this.doc.endMarkedContent();
  }

  /** A horizontal rule, as an Artifact. */
  rule(x: number, y: number, width: number, thickness = 0.75, color: string = colors.rule): void {
    this.artifact(() => {
      this.doc
        .save()
        .lineWidth(thickness)
        .strokeColor(color)
        .moveTo(x, y)
        .lineTo(x + width, y)
        .stroke()
        .restore();
    });
  }

  /** A bookmark under `parent` pointing at the cursor's position on the current page (not just the page). */
  /** Names the cursor's position (a heading's top), for GoTo links to it. */
  destination(name: string): void {
    this.doc.addNamedDestination(name, "XYZ", this.geometry.left, this.y, null);
  }

  bookmark(parent: OutlineItem, title: string): OutlineItem {
    const item = parent.addItem(title);
    const page = currentPage(this.doc);
    item.outlineData.Dest = [page.dictionary, "XYZ", null, page.height - this.y, null];
    return item;
  }

  /**
   * Draws lines in the flow, breaking pages between lines: at least two lines of a paragraph
   * stay together at the bottom of a page (no orphan) and at the top of the next (no widow).
   */
  drawFlowingLines(lines: readonly Line[], placement: LinePlacement): void {
    let index = 0;
    while (index < lines.length) {
      const left = lines.length - index;
      let fits = 0;
      let height = 0;
      while (fits < left && height + lines[index + fits]!.height <= this.remaining + 0.01) {
        height += lines[index + fits]!.height;
        fits++;
      }
      if (fits >= left) {
        this.#drawLines(lines.slice(index), placement);
        return;
      }
      let take = fits;
      if (left - take < 2) take = left - 2;
      if (take < 2 && !(index > 0 && take >= 1)) take = 0;
      if (take <= 0) {
        if (this.atPageTop) take = Math.max(fits, 1);
        else {
          this.newPage();
          continue;
        }
      }
      this.#drawLines(lines.slice(index, index + take), placement);
      index += take;
      this.newPage();
    }
  }

  /** Draws lines at the cursor without breaking pages (table cells: the row was already fitted). */
  drawLinesHere(lines: readonly Line[], placement: LinePlacement): void {
    this.#drawLines(lines, placement);
  }

  /**
   * Draws lines as an Artifact (a table header repeated on a continuation page): seen, but
   * not read twice, since the tagged header row already heads the table.
   */
  drawLinesAsArtifact(lines: readonly Line[], placement: Omit<LinePlacement, "element">): void {
    this.artifact(() => {
      for (const line of lines) {
        const offset = alignmentOffset(line, placement);
        const baseline = this.y + line.height * 0.72;
        for (const segment of line.segments) {
          this.#drawText(segment.text, segment.face, segment.size, placement.x + offset + segment.x, baseline, {
            rtl: segment.rtl,
            width: segment.width,
            color: placement.color ?? colors.text,
          });
        }
        this.y += line.height;
      }
    }, "Pagination");
  }

  #drawLines(lines: readonly Line[], placement: LinePlacement): void {
    let open: OpenContainer | undefined;
    const closeOpen = (): void => {
      open?.element.end();
      open?.outer?.end();
      open = undefined;
    };
    for (const line of lines) {
      const offset = alignmentOffset(line, placement);
      const baseline = this.y + line.height * 0.72;
      for (const segment of line.segments) {
        const container = segment.container;
        if (container?.id !== open?.container.id) {
          closeOpen();
          if (container !== undefined) open = this.#openContainer(container, placement.element);
        }
        const target = open?.element ?? placement.element;
        const role = target.dictionary.data.S as string;
        const x = placement.x + offset + segment.x;
        const isLink = container?.kind === "link";
        const isNoteReference = container?.kind === "reference";
        // A character no font has is drawn as U+FFFD inside a Span whose /ActualText is the
        // character, so a reader still gets it and no .notdef glyph is painted (Matterhorn 31-030).
        // Right-to-left text is painted in visual order, brackets mirrored (UAX #9 L4): a Span's
        // /ActualText holds it as written, so copied and spoken text is in reading order with
        // "(" where the source has "(" (ISO 32000-1 §14.9.4), whatever a viewer's own reordering does.
        const actual = segment.standsFor ?? (segment.rtl ? segment.text : undefined);
        const replaced = actual === undefined ? undefined : createStruct(this.doc, "Span", { actual });
        if (replaced !== undefined) target.add(replaced);
        const content = this.doc.markStructureContent(replaced === undefined ? role : "Span");
        this.#drawText(segment.text, segment.face, segment.size, x, baseline - (segment.marks.superscript ? segment.size * 0.55 : 0), {
          rtl: segment.rtl,
          width: segment.width,
          color: isLink || isNoteReference ? colors.link : (placement.color ?? colors.text),
        });
        this.doc.endMarkedContent();
        (replaced ?? target).add(content);
        replaced?.end();
        if (segment.marks.strike === true && segment.width > 0) {
          // Strikethrough is drawn, not tagged (no structure type means "deleted"); the line is decoration.
          const strikeY = baseline - segment.size * 0.3;
          this.artifact(() => {
            this.doc
              .save()
              .lineWidth(0.7)
              .strokeColor(colors.text)
              .moveTo(x, strikeY)
              .lineTo(x + segment.width, strikeY)
              .stroke()
              .restore();
          });
        }
        if (isLink && segment.text.trim() !== "") {
          // Links are underlined as well as coloured (WCAG 1.4.1); the line is decoration.
          const underlineY = baseline + segment.size * 0.15;
          this.artifact(() => {
            this.doc
              .save()
              .lineWidth(0.6)
              .strokeColor(colors.link)
              .moveTo(x, underlineY)
              .lineTo(x + segment.width, underlineY)
              .stroke()
              .restore();
          });
        }
        if (isLink && open !== undefined && segment.text.trim() !== "") {
          // Matterhorn 28-004/28-011: the annotation sits in the Link element (OBJR) with a
          // non-empty /Contents (pdfkit writes an empty one unless given).
          const rect = { x, y: this.y, width: segment.width, height: line.height };
          const annotation = { structParent: open.element, Contents: container.description };
          // A link to a heading of this document is a GoTo to its named destination.
          if (container.destination !== undefined) goToAnnotation(this.doc, rect, container.destination, annotation);
          else linkAnnotation(this.doc, rect, container.url, annotation);
        }
        if (isNoteReference && open !== undefined && segment.text.trim() !== "") {
          goToAnnotation(this.doc, { x, y: this.y, width: segment.width, height: line.height }, noteDestination(container.note), {
            structParent: open.element,
            Contents: `Note ${container.note}`,
          });
        }
      }
      this.y += line.height;
    }
    // Elements end on the page they were drawn on, so an OBJR gets the right /Pg.
    closeOpen();
  }

  #openContainer(container: InlineContainer, parent: StructElement): OpenContainer {
    if (container.kind === "reference") {
      // A note reference is a Reference holding a Link to the note, so it can be followed.
      const reference = createStruct(this.doc, "Reference");
      parent.add(reference);
      const link = createStruct(this.doc, "Link", { alt: `Note ${container.note}` });
      reference.add(link);
      return { container, element: link, outer: reference };
    }
    const options: StructOptions = {};
    if (container.kind === "link") options.alt = container.description;
    if (container.kind === "span") options.lang = container.lang;
    const element = createStruct(this.doc, containerRoles[container.kind], options);
    parent.add(element);
    return { container, element };
  }

  /**
   * Draws `text` of one direction with its left edge at `x`. The words go to pdfkit in reading
   * order, each at its visual place (`piecesToDraw` in ./bidi.ts says how fontkit must be fed
   * so it paints visual order): a right-to-left run is laid from its right edge leftwards.
   */
  #drawText(text: string, face: FaceName, size: number, x: number, baseline: number, options: { rtl: boolean; color: string; width?: number }): void {
    this.doc.font(face).fontSize(size).fillColor(options.color);
    const pieces = piecesToDraw(text, options.rtl);
    if (!options.rtl && pieces.length === 1) {
      this.doc.text(text, x, baseline, { lineBreak: false, baseline: "alphabetic" });
      return;
    }
    if (!options.rtl) {
      let pieceX = x;
      for (const piece of pieces) {
        this.doc.text(piece, pieceX, baseline, { lineBreak: false, baseline: "alphabetic" });
        pieceX += this.measure(piece, face, size);
      }
      return;
    }
    // Placed from the right edge leftwards in reading order, then drawn left to right: a viewer
    // that rebuilds text from positions (pdf.js, Acrobat) sees the gaps as word spaces.
    let right = x + (options.width ?? this.measure(text, face, size));
    const placed: { word: string; x: number }[] = [];
    for (const piece of pieces) {
      right -= this.measure(piece, face, size);
      if (piece.trim() !== "") placed.push({ word: piece, x: right });
    }
    for (const { word, x: wordX } of placed.reverse()) this.doc.text(word, wordX, baseline, { lineBreak: false, baseline: "alphabetic" });
  }

  /**
   * Draws one string as marked content of `element` (a list label, a run of a line of code).
   * A right-to-left run (`rtl`, its `width` measured) is drawn from its right edge, with its
   * text as written as /ActualText, as in `#drawLines`.
   */
  drawString(
    text: string,
    face: FaceName,
    size: number,
    x: number,
    baseline: number,
    element: StructElement,
    options: { color?: string; standsFor?: string | undefined; rtl?: boolean; width?: number } = {},
  ): void {
    const actual = options.standsFor ?? (options.rtl === true ? text : undefined);
    const replaced = actual === undefined ? undefined : createStruct(this.doc, "Span", { actual });
    if (replaced !== undefined) element.add(replaced);
    const content = this.doc.markStructureContent(replaced === undefined ? (element.dictionary.data.S as string) : "Span");
    this.#drawText(text, face, size, x, baseline, {
      rtl: options.rtl === true,
      color: options.color ?? colors.text,
      ...(options.width === undefined ? {} : { width: options.width }),
    });
    this.doc.endMarkedContent();
    (replaced ?? element).add(content);
    replaced?.end();
  }

  /**
   * Draws strings (the parts of one wrapped line of code, on one page) as one marked-content
   * sequence of `element` whose /ActualText is `actual` (ISO 32000-1 §14.9.4): copied or read,
   * they give `actual`, with no line break or space where the line was wrapped. Nothing else
   * may be marked in between (pdfkit would close the sequence), so decoration is drawn before.
   */
  drawStringsAs(
    strings: readonly { text: string; face: FaceName; size: number; x: number; baseline: number; rtl: boolean; width: number }[],
    element: StructElement,
    actual: string,
  ): void {
    const content = this.doc.markStructureContent("Span", { actual });
    for (const string of strings) this.#drawText(string.text, string.face, string.size, string.x, string.baseline, { rtl: string.rtl, width: string.width, color: colors.text });
    this.doc.endMarkedContent();
    element.add(content);
  }
}
