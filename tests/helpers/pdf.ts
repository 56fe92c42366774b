// Reads a PDF back for tests: catalog flags, metadata, outline, structure tree and text, via pdfjs-dist.
//
// Tests assert on what a screen reader or validator would see, not on bytes: the structure
// tree (roles, Alt, Lang) joined with the text each marked-content sequence holds, the text
// painted outside any structure element (Matterhorn 01-005: content neither tagged nor an
// Artifact), the outline with each entry's page and position, and the link annotations.
import { readFile } from "node:fs/promises";
import { inflateSync } from "node:zlib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** One structure element as read back, with the text of its own marked content joined in order. */
export interface PdfStructNode {
  readonly role: string;
  readonly alt?: string;
  readonly lang?: string;
  /** Text of this element and its descendants, in content order. */
  readonly text: string;
  /**
   * The text as copied or spoken: like `text`, but a Span's /ActualText (pdf.js reports it as
   * `alt`) stands for its content, as ISO 32000-1 §14.9.4 says.
   */
  readonly readText: string;
  readonly children: readonly PdfStructNode[];
  /** Ids of link (or other) annotations held as OBJR children. */
  readonly annotations: readonly string[];
  /** 1-based page the element was read from (an element spanning pages appears once per page). */
  readonly page: number;
}

export interface PdfOutlineEntry {
  readonly title: string;
  /** 1-based page the destination points at. */
  readonly page: number;
  /** Destination type (`XYZ`, `Fit`…). */
  readonly kind: string;
  /** Top coordinate of an XYZ destination in PDF units (origin bottom-left), if any. */
  readonly top: number | null;
  readonly children: readonly PdfOutlineEntry[];
}

export interface PdfLinkAnnotation {
  readonly page: number;
  readonly id: string;
  readonly url: string | undefined;
  /** Destination of a link inside the document (a name, or an explicit array). */
  readonly dest: unknown;
  readonly contents: string;
}

export interface PdfStructure {
  readonly pages: number;
  readonly marked: boolean;
  readonly language: string | undefined;
  readonly displayDocTitle: boolean;
  readonly info: Readonly<Record<string, unknown>>;
  /** The raw XMP packet, or undefined when there is none. */
  readonly xmp: string | undefined;
  /** XMP properties as pdfjs parsed them (names lower-cased, e.g. `dc:title`, `pdfuaid:part`); empty when the packet does not parse. */
  readonly xmpEntries: ReadonlyMap<string, string | string[]>;
  readonly outline: readonly PdfOutlineEntry[];
  /** The structure tree of each page (the page's `Root` children), page order. */
  readonly structure: readonly PdfStructNode[];
  /** All text in reading (content stream) order, tagged or not, artifacts excluded. */
  readonly text: string;
  /** Text of each page that sits outside both a structure element and an Artifact. */
  readonly untaggedText: readonly string[];
  /** Text inside Artifact marked content (page numbers, running headers). */
  readonly artifactText: readonly string[];
  readonly links: readonly PdfLinkAnnotation[];
  /** The file as a latin1 string, for checks on raw object dictionaries (pdfkit never compresses them). */
  readonly raw: string;
  /**
   * Painting operators (text, paths, images) of each page that sit outside every marked-content
   * sequence: neither tagged nor Artifact (Matterhorn 01-005, for graphics as well as text).
   */
  readonly unmarkedPaint: readonly string[][];
  /** Number of glyph 0 (`.notdef`) codes shown on each page (Matterhorn 31-030); pdfkit's CID fonts keep GID 0 as .notdef. */
  readonly notdefGlyphs: readonly number[];
  /**
   * Ways the ParentTree fails to map content back to structure (Matterhorn 01-004/06-001):
   * a page whose MCIDs have no ParentTree entry, a null entry, an annotation without one.
   */
  readonly parentTreeProblems: readonly string[];
}

interface RawStructNode {
  role?: string;
  type?: string;
  id?: string;
  alt?: string;
  lang?: string;
  children?: RawStructNode[];
}

interface RawOutlineItem {
  title: string;
  dest: string | unknown[] | null;
  items: RawOutlineItem[];
}

export async function readPdfStructure(path: string): Promise<PdfStructure> {
  const bytes = await readFile(path);
  const raw = bytes.toString("latin1");
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const markInfo = await pdf.getMarkInfo();
    const preferences = (await pdf.getViewerPreferences()) as Record<string, unknown> | null;
    const metadata = await pdf.getMetadata();
    const info = metadata.info as Record<string, unknown>;
    const parsedXmp = metadata.metadata as unknown as ({ getRaw(): string } & Iterable<[string, string | string[]]>) | null;
    const xmp = parsedXmp ? parsedXmp.getRaw() : undefined;
    const xmpEntries = new Map<string, string | string[]>(parsedXmp ? [...parsedXmp] : []);

    const structure: PdfStructNode[] = [];
    const untaggedText: string[] = [];
    const artifactText: string[] = [];
    const links: PdfLinkAnnotation[] = [];
    let text = "";
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      const page = await pdf.getPage(pageNumber);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const textById = new Map<string, string>();
      const stack: { tag: string; id: string | undefined }[] = [];
      let untagged = "";
      let artifact = "";
      for (const item of content.items as Array<Record<string, unknown>>) {
        if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
          stack.push({ tag: String(item.tag), id: typeof item.id === "string" ? item.id : undefined });
          continue;
        }
        if (item.type === "endMarkedContent") {
          stack.pop();
          continue;
        }
        if (typeof item.str !== "string") continue;
        const piece = item.str + (item.hasEOL ? "\n" : "");
        if (stack.some((entry) => entry.tag === "Artifact")) {
          artifact += piece;
          continue;
        }
        text += piece;
        const owner = [...stack].reverse().find((entry) => entry.id !== undefined);
        if (owner?.id === undefined) untagged += item.str;
        else textById.set(owner.id, (textById.get(owner.id) ?? "") + piece);
      }
      untaggedText.push(untagged.trim());
      artifactText.push(artifact.trim());
      text += "\n";

      const tree = (await page.getStructTree()) as RawStructNode | null;
      for (const child of tree?.children ?? []) structure.push(toStructNode(child, textById, pageNumber));

      for (const annotation of (await page.getAnnotations()) as Array<Record<string, unknown>>) {
        if (annotation.subtype !== "Link") continue;
        const contents = (annotation.contentsObj as { str?: string } | undefined)?.str ?? "";
        links.push({ page: pageNumber, id: String(annotation.id), url: annotation.url as string | undefined, dest: annotation.dest, contents });
      }
      page.cleanup();
    }

    const outline = await Promise.all(((await pdf.getOutline()) ?? []).map((item) => toOutlineEntry(pdf, item as RawOutlineItem)));
    return {
      pages: pdf.numPages,
      marked: markInfo?.Marked === true,
      language: typeof info.Language === "string" ? info.Language : undefined,
      displayDocTitle: preferences?.DisplayDocTitle === true,
      info,
      xmp,
      xmpEntries,
      outline,
      structure,
      text,
      untaggedText,
      artifactText,
      links,
      raw,
      ...inspectContentStreams(raw),
      parentTreeProblems: parentTreeProblems(raw),
    };
  } finally {
    await pdf.destroy();
  }
}

function toStructNode(node: RawStructNode, textById: ReadonlyMap<string, string>, page: number): PdfStructNode {
  const children: PdfStructNode[] = [];
  const annotations: string[] = [];
  let text = "";
  let readText = "";
  for (const child of node.children ?? []) {
    if (child.type === "content" && child.id !== undefined) {
      text += textById.get(child.id) ?? "";
      readText += textById.get(child.id) ?? "";
    } else if (child.type === "annotation" || child.type === "object") {
      if (child.id !== undefined) annotations.push(child.id);
    } else if (child.role !== undefined) {
      const element = toStructNode(child, textById, page);
      children.push(element);
      text += element.text;
      readText += element.readText;
    }
  }
  if (node.role === "Span" && node.alt !== undefined) readText = node.alt;
  return {
    role: node.role ?? "",
    ...(node.alt === undefined ? {} : { alt: node.alt }),
    ...(node.lang === undefined ? {} : { lang: node.lang }),
    text,
    readText,
    children,
    annotations,
    page,
  };
}

type PdfDocumentProxy = Awaited<ReturnType<typeof getDocument>["promise"]>;

async function toOutlineEntry(pdf: PdfDocumentProxy, item: RawOutlineItem): Promise<PdfOutlineEntry> {
  const destination = typeof item.dest === "string" ? await pdf.getDestination(item.dest) : item.dest;
  let page = 0;
  let kind = "";
  let top: number | null = null;
  if (Array.isArray(destination) && destination.length > 0) {
    const target = destination[0];
    page = typeof target === "number" ? target + 1 : (await pdf.getPageIndex(target as { num: number; gen: number })) + 1;
    kind = String((destination[1] as { name?: string } | undefined)?.name ?? "");
    top = kind === "XYZ" && typeof destination[3] === "number" ? destination[3] : null;
  }
  const children = await Promise.all(item.items.map((child) => toOutlineEntry(pdf, child)));
  return { title: item.title, page, kind, top, children };
}

/** Every structure element in document order, depth first. */
export function flattenStructure(nodes: readonly PdfStructNode[]): PdfStructNode[] {
  const all: PdfStructNode[] = [];
  const visit = (node: PdfStructNode): void => {
    all.push(node);
    node.children.forEach(visit);
  };
  nodes.forEach(visit);
  return all;
}

const paintOperators = new Set(["Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"]);

/** Reads each page's content stream (pdfkit writes one FlateDecode stream per page): unmarked painting and .notdef glyphs. */
function inspectContentStreams(raw: string): { unmarkedPaint: string[][]; notdefGlyphs: number[] } {
  const pages = raw.match(/<<\n\/Type \/Page\n[\s\S]*?\n>>/g) ?? [];
  const notdefGlyphs: number[] = [];
  const unmarkedPaint = pages.map((page) => {
    let notdef = 0;
    notdefGlyphs.push(0);
    const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
    if (contents === undefined) return ["(no single content stream)"];
    const header = new RegExp(`\\n${contents} 0 obj\\n<<([\\s\\S]*?)>>\\nstream\\n`).exec(raw);
    if (header === null) return ["(content stream not found)"];
    const start = header.index + header[0].length;
    const end = raw.indexOf("\nendstream", start);
    const bytes = Buffer.from(raw.slice(start, end), "latin1");
    const content = (/\/FlateDecode/.test(header[1]!) ? inflateSync(bytes) : bytes).toString("latin1");
    const unmarked: string[] = [];
    let depth = 0;
    for (const hex of content.match(/<[0-9A-Fa-f]+>/g) ?? []) {
      for (let at = 1; at + 4 <= hex.length - 1; at += 4) if (hex.slice(at, at + 4) === "0000") notdef++;
    }
    notdefGlyphs[notdefGlyphs.length - 1] = notdef;
    for (const token of content.match(/<<|>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|\/[^\s/[\]<>()]+|[^\s/[\]<>()]+/g) ?? []) {
      if (token === "BDC" || token === "BMC") depth++;
      else if (token === "EMC") depth--;
      else if (depth === 0 && paintOperators.has(token)) unmarked.push(token);
    }
    return unmarked;
  });
  return { unmarkedPaint, notdefGlyphs };
}

/** Parses `/Nums [...]` of the (single-node) ParentTree pdfkit writes into key → entries. */
function parentTreeEntries(raw: string): Map<number, string[]> | undefined {
  const start = raw.indexOf("/Nums [");
  if (start < 0) return undefined;
  const tokens = raw.slice(start + "/Nums [".length).match(/\[|\]|\d+ \d+ R|-?\d+|null/g) ?? [];
  const entries = new Map<number, string[]>();
  let index = 0;
  while (index < tokens.length && tokens[index] !== "]") {
    const key = Number(tokens[index++]);
    if (tokens[index] === "[") {
      const values: string[] = [];
      index++;
      while (tokens[index] !== "]") values.push(tokens[index++]!);
      index++;
      entries.set(key, values);
    } else {
      entries.set(key, [tokens[index++]!]);
    }
  }
  return entries;
}

function parentTreeProblems(raw: string): string[] {
  const problems: string[] = [];
  const entries = parentTreeEntries(raw);
  if (entries === undefined) return ["no ParentTree"];
  const pages = raw.match(/<<\n\/Type \/Page\n[\s\S]*?\n>>/g) ?? [];
  pages.forEach((page, index) => {
    const key = /\/StructParents (\d+)/.exec(page)?.[1];
    const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
    const header = contents === undefined ? null : new RegExp(`\\n${contents} 0 obj\\n<<([\\s\\S]*?)>>\\nstream\\n`).exec(raw);
    if (header === null) return;
    const start = header.index + header[0].length;
    const bytes = Buffer.from(raw.slice(start, raw.indexOf("\nendstream", start)), "latin1");
    const content = (/\/FlateDecode/.test(header[1]!) ? inflateSync(bytes) : bytes).toString("latin1");
    const mcids = [...content.matchAll(/\/MCID (\d+)/g)].map((match) => Number(match[1]));
    if (mcids.length === 0) return;
    if (key === undefined) {
      problems.push(`page ${index + 1} has marked content but no /StructParents`);
      return;
    }
    const list = entries.get(Number(key));
    const highest = Math.max(...mcids);
    if (list === undefined || list.length <= highest) problems.push(`page ${index + 1}: ParentTree entry covers ${list?.length ?? 0} MCIDs, content uses up to ${highest}`);
    else if (list.some((entry) => entry === "null")) problems.push(`page ${index + 1}: ParentTree entry has null elements`);
  });
  for (const match of raw.matchAll(/\/StructParent (\d+)\b/g)) {
    const list = entries.get(Number(match[1]));
    if (list === undefined || list.length !== 1 || list[0] === "null") problems.push(`annotation StructParent ${match[1]} has no ParentTree entry`);
  }
  return problems;
}

/** One text-showing operator as drawn: where it starts and the characters of its glyphs, left to right. */
export interface DrawnText {
  readonly page: number;
  /** Start of the text, in PDF units from the left edge. */
  readonly x: number;
  /** Advance width of its glyphs (from the font's /W, kerning left out), in PDF units. */
  readonly width: number;
  /** Baseline, in PDF units from the bottom edge. */
  readonly y: number;
  /** The characters the glyphs map to (ToUnicode), in the order they are painted, left to right. */
  readonly text: string;
  /** Inside an Artifact (page furniture, repeated headers). */
  readonly artifact: boolean;
}

/** The object `number`'s stream, inflated, as latin1. */
function objectStream(raw: string, number: string): string | undefined {
  const header = new RegExp(`\\n${number} 0 obj\\n<<([\\s\\S]*?)>>\\nstream\\n`).exec(raw);
  if (header === null) return undefined;
  const start = header.index + header[0].length;
  const bytes = Buffer.from(raw.slice(start, raw.indexOf("\nendstream", start)), "latin1");
  return (/\/FlateDecode/.test(header[1]!) ? inflateSync(bytes) : bytes).toString("latin1");
}

/** Glyph code → advance width (thousandths of the size) of each font resource name, from its CIDFont's `/W [0 [w0 w1 …]]`. */
function glyphWidths(raw: string): Map<string, number[]> {
  const widths = new Map<string, number[]>();
  for (const fonts of raw.matchAll(/\/Font <<\n([\s\S]*?)\n>>/g)) {
    for (const entry of fonts[1]!.matchAll(/\/(\S+) (\d+) 0 R/g)) {
      const [, name, object] = entry;
      if (widths.has(name!)) continue;
      const dictionary = new RegExp(`\\n${object} 0 obj\\n<<([\\s\\S]*?)\\n>>\\nendobj`).exec(raw)?.[1] ?? "";
      const descendant = /\/DescendantFonts \[(\d+) 0 R\]/.exec(dictionary)?.[1];
      const cid = descendant === undefined ? "" : (new RegExp(`\\n${descendant} 0 obj\\n<<([\\s\\S]*?)\\n>>\\nendobj`).exec(raw)?.[1] ?? "");
      const list = /\/W \[0 \[([^\]]*)\]/.exec(cid)?.[1] ?? "";
      widths.set(name!, list.trim() === "" ? [] : list.trim().split(/\s+/).map(Number));
    }
  }
  return widths;
}

/** Glyph code → characters of each font resource name (pdfkit names fonts document-wide: /F1, /F2…). */
function toUnicodeMaps(raw: string): Map<string, Map<number, string>> {
  const maps = new Map<string, Map<number, string>>();
  for (const fonts of raw.matchAll(/\/Font <<\n([\s\S]*?)\n>>/g)) {
    for (const entry of fonts[1]!.matchAll(/\/(\S+) (\d+) 0 R/g)) {
      const [, name, object] = entry;
      if (maps.has(name!)) continue;
      const dictionary = new RegExp(`\\n${object} 0 obj\\n<<([\\s\\S]*?)\\n>>\\nendobj`).exec(raw)?.[1] ?? "";
      const unicode = /\/ToUnicode (\d+) 0 R/.exec(dictionary)?.[1];
      const cmap = unicode === undefined ? undefined : objectStream(raw, unicode);
      const map = new Map<number, string>();
      const hexToText = (hex: string): string => {
        const units = hex.replace(/\s/g, "").match(/[0-9a-fA-F]{4}/g) ?? [];
        return String.fromCharCode(...units.map((unit) => parseInt(unit, 16)));
      };
      for (const range of (cmap ?? "").matchAll(/<([0-9a-fA-F]+)> <([0-9a-fA-F]+)> \[([^\]]*)\]/g)) {
        const first = parseInt(range[1]!, 16);
        [...range[3]!.matchAll(/<([0-9a-fA-F\s]*)>/g)].forEach((target, index) => map.set(first + index, hexToText(target[1]!)));
      }
      for (const single of (cmap ?? "").matchAll(/^<([0-9a-fA-F]+)> <([0-9a-fA-F]+)>$/gm)) map.set(parseInt(single[1]!, 16), hexToText(single[2]!));
      maps.set(name!, map);
    }
  }
  return maps;
}

/**
 * Every text operator of every page with its position and the characters its glyphs stand
 * for, in content-stream order: what is painted where, independent of any viewer's
 * reordering of right-to-left text. Reads pdfkit's own output shape (`x y Tm`, `/Fn s Tf`,
 * `[<hex> kern <hex>] TJ`), not PDF in general.
 */
export function drawnText(raw: string): DrawnText[] {
  const fonts = toUnicodeMaps(raw);
  const advances = glyphWidths(raw);
  const pages = raw.match(/<<\n\/Type \/Page\n[\s\S]*?\n>>/g) ?? [];
  const drawn: DrawnText[] = [];
  pages.forEach((page, index) => {
    const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
    const content = contents === undefined ? undefined : objectStream(raw, contents);
    if (content === undefined) return;
    let font = new Map<number, string>();
    let fontWidths: number[] = [];
    let size = 0;
    let x = 0;
    let y = 0;
    const marked: boolean[] = [];
    for (const token of content.matchAll(/\/(\S+) ([\d.]+) Tf|([-\d.]+) ([-\d.]+) Tm|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\] TJ|\/(\S+) (?:<<[\s\S]*?>> )?BDC|\bBMC\b|\bEMC\b/g)) {
      if (token[1] !== undefined) {
        font = fonts.get(token[1]) ?? new Map();
        fontWidths = advances.get(token[1]) ?? [];
        size = Number(token[2]);
      } else if (token[3] !== undefined) {
        x = Number(token[3]);
        // pdfkit flips the text matrix back inside its flipped page (`1 0 0 -1 0 h cm`): Tm y counts from the bottom.
        y = Number(token[4]);
      } else if (token[5] !== undefined) {
        let text = "";
        let advance = 0;
        for (const hex of token[5].matchAll(/<([0-9a-fA-F]*)>/g)) {
          for (const code of hex[1]!.match(/[0-9a-fA-F]{4}/g) ?? []) {
            text += font.get(parseInt(code, 16)) ?? "\uFFFD";
            advance += ((fontWidths[parseInt(code, 16)] ?? 0) * size) / 1000;
          }
        }
        drawn.push({ page: index + 1, x, y, width: advance, text, artifact: marked.includes(true) });
      } else if (token[6] !== undefined) marked.push(token[6] === "Artifact");
      else if (token[0] === "BMC") marked.push(false);
      else marked.pop();
    }
  });
  return drawn;
}

/**
 * Pairs of painted text that overlap on a page (same baseline, x ranges crossing by more
 * than `tolerance` points): text drawn over other text. Marks positioned over their base by
 * the font (GPOS) are drawn on their own and left out.
 */
export function overlappingText(raw: string, tolerance = 0.5): string[] {
  const items = drawnText(raw).filter((item) => !item.artifact && item.text.trim() !== "" && !/^[\p{M}\s]+$/u.test(item.text));
  const overlaps: string[] = [];
  const byLine = new Map<string, DrawnText[]>();
  for (const item of items) {
    const key = `${item.page}:${Math.round(item.y)}`;
    byLine.set(key, [...(byLine.get(key) ?? []), item]);
  }
  for (const line of byLine.values()) {
    const sorted = [...line].sort((a, b) => a.x - b.x);
    for (let index = 1; index < sorted.length; index++) {
      const before = sorted[index - 1]!;
      const item = sorted[index]!;
      if (before.x + before.width - item.x > tolerance) overlaps.push(`page ${item.page}: "${before.text.slice(0, 15)}" over "${item.text.slice(0, 15)}"`);
    }
  }
  return overlaps;
}

/** The lines of text painted on each page, top to bottom, each read left to right as painted (visual order). */
export function paintedLines(raw: string, options: { artifacts?: boolean } = {}): string[][] {
  const byPage = new Map<number, DrawnText[]>();
  for (const item of drawnText(raw)) {
    if (item.artifact && options.artifacts !== true) continue;
    byPage.set(item.page, [...(byPage.get(item.page) ?? []), item]);
  }
  const pages = Math.max(0, ...byPage.keys());
  return Array.from({ length: pages }, (_, index) => {
    const items = byPage.get(index + 1) ?? [];
    const baselines = [...new Set(items.map((item) => Math.round(item.y * 10) / 10))].sort((a, b) => b - a);
    return baselines.map((baseline) =>
      items
        .filter((item) => Math.round(item.y * 10) / 10 === baseline)
        .sort((a, b) => a.x - b.x)
        .map((item) => item.text)
        .join(""),
    );
  });
}

/** A text item as pdf.js lays it out, with the table cell (TD/TH) it belongs to, if any. */
export interface PositionedText {
  /** 1-based page. */
  readonly page: number;
  readonly text: string;
  /** Left edge and baseline, PDF units from the bottom-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  /** Font size: the item's box reaches this far above the baseline (less the descent). */
  readonly size: number;
  /** `page:table:row:column` of the cell holding the item (rows and columns counted on the page), or undefined outside tables. */
  readonly cell: string | undefined;
  readonly artifact: boolean;
}

/** Every text item of a PDF with its position (pdf.js `getTextContent`) and table cell (structure tree). */
export async function readTextPositions(path: string): Promise<PositionedText[]> {
  const pdf = await getDocument({ data: new Uint8Array(await readFile(path)), isEvalSupported: false, verbosity: 0 }).promise;
  const items: PositionedText[] = [];
  try {
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      const page = await pdf.getPage(pageNumber);
      const cellOf = new Map<string, string>();
      let tables = 0;
      const visit = (node: RawStructNode & { type?: string }, cell: string | undefined, table: { index: number; rows: number; columns: number } | undefined): void => {
        if (node.type === "content" && node.id !== undefined && cell !== undefined) cellOf.set(node.id, cell);
        let nextCell = cell;
        let nextTable = table;
        if (node.role === "Table") nextTable = { index: tables++, rows: 0, columns: 0 };
        else if (node.role === "TR" && nextTable !== undefined) {
          nextTable.rows++;
          nextTable.columns = 0;
        } else if ((node.role === "TD" || node.role === "TH") && nextTable !== undefined) nextCell = `${pageNumber}:${nextTable.index}:${nextTable.rows}:${nextTable.columns++}`;
        for (const child of node.children ?? []) visit(child, nextCell, nextTable);
      };
      const tree = (await page.getStructTree()) as RawStructNode | null;
      if (tree !== null) visit(tree, undefined, undefined);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const stack: { tag: string; id: string | undefined }[] = [];
      for (const item of content.items as Array<Record<string, unknown>>) {
        if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
          stack.push({ tag: String(item.tag), id: typeof item.id === "string" ? item.id : undefined });
          continue;
        }
        if (item.type === "endMarkedContent") {
          stack.pop();
          continue;
        }
        if (typeof item.str !== "string" || item.str === "") continue;
        const transform = item.transform as number[];
        const owner = [...stack].reverse().find((entry) => entry.id !== undefined);
        items.push({
          page: pageNumber,
          text: item.str,
          x: transform[4]!,
          y: transform[5]!,
          width: item.width as number,
          size: Math.hypot(transform[2]!, transform[3]!),
          cell: owner?.id === undefined ? undefined : cellOf.get(owner.id),
          artifact: stack.some((entry) => entry.tag === "Artifact"),
        });
      }
      page.cleanup();
    }
  } finally {
    await pdf.destroy();
  }
  return items;
}

/** The decoded content stream of each page (pdfkit writes one per page). */
export function pageContents(raw: string): string[] {
  const pages = raw.match(/<<\n\/Type \/Page\n[\s\S]*?\n>>/g) ?? [];
  return pages.map((page) => {
    const contents = /\/Contents (\d+) 0 R/.exec(page)?.[1];
    const header = contents === undefined ? null : new RegExp(`\\n${contents} 0 obj\\n<<([\\s\\S]*?)>>\\nstream\\n`).exec(raw);
    if (header === null) return "";
    const start = header.index + header[0].length;
    const bytes = Buffer.from(raw.slice(start, raw.indexOf("\nendstream", start)), "latin1");
    return (/\/FlateDecode/.test(header[1]!) ? inflateSync(bytes) : bytes).toString("latin1");
  });
}
