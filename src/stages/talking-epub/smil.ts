// One content document's SMIL media overlay (EPUB 3.3 Media Overlays): each narrated element
// paired with its clip of the section's MP3, in reading order, grouped in the structures a
// reading system lets a listener skip or escape.
import type { Element as HastElement, Root as HastRoot } from "hast";
import type { Element, ElementContent } from "xast";
import { clockValue } from "../epub/package-document.js";
import { serializeXmlTree } from "../shared/xml-text.js";

/** A unit's clip in an MP3 of the package, integer ms. */
export interface PlacedClip {
  /** The MP3's href relative to the SMIL file. */
  readonly audio: string;
  readonly beginMs: number;
  readonly endMs: number;
}

export interface OverlayInput {
  /** The content document's href relative to the SMIL file. */
  readonly file: string;
  /** The element around the document's narrated content (`epub:textref` of the outer `seq`). */
  readonly containerId: string;
  /** `epub:type` of the outer `seq` (`chapter` for a body section). */
  readonly containerType?: string;
  /** The content document's body, ids placed; structures holding narrated units get ids here. */
  readonly body: HastRoot;
  /** Each unit id's clip. */
  readonly clips: ReadonlyMap<string, PlacedClip>;
}

export interface Overlay {
  readonly smil: string;
  /** The sum of the clips written, ms. */
  readonly durationMs: number;
  /** Units written, in order. */
  readonly units: readonly string[];
  /** Units with a clip whose element follows a later clip's element in the text: left out, the clips must run forward. */
  readonly outOfOrder: readonly string[];
}

/** Structures a listener can skip or escape (EPUB 3.3 Media Overlays §3.5; SSV types), by tag. */
function structureType(node: HastElement): string | undefined {
  switch (node.tagName) {
    case "table":
      return "table";
    case "tr":
      return "table-row";
    case "ul":
    case "ol":
      return "list";
    case "li":
      return "list-item";
    case "figure":
      return "figure";
    case "aside":
      return node.properties["epub:type"] === "footnote" ? "footnote" : undefined;
    default:
      return undefined;
  }
}

interface Unit {
  readonly id: string;
  readonly clip: PlacedClip;
  /** Structures around the unit inside the container, outermost first. */
  readonly structures: readonly HastElement[];
}

/** Narrated units of the container, in DOM order, with the structures around each. */
function unitsInOrder(input: OverlayInput): Unit[] {
  const units: Unit[] = [];
  const walk = (node: HastElement, structures: HastElement[], inside: boolean): void => {
    const id = typeof node.properties.id === "string" ? node.properties.id : undefined;
    const here = inside || id === input.containerId;
    const clip = here && id !== undefined ? input.clips.get(id) : undefined;
    if (clip && id !== input.containerId) {
      units.push({ id: id!, clip, structures });
      return; // a unit's element holds no further unit
    }
    const around = here && id !== input.containerId && structureType(node) ? [...structures, node] : structures;
    for (const child of node.children) if (child.type === "element") walk(child, around, here);
  };
  for (const child of input.body.children) if (child.type === "element") walk(child, [], false);
  return units;
}

function x(name: string, attributes: Record<string, string | undefined>, children: ElementContent[] = []): Element {
  const defined = Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { type: "element", name, attributes: defined, children };
}

/**
 * The overlay: a `seq` for the document's container, a `par` per unit (its `text` and its
 * `audio` clip), nested `seq`s for the tables, rows, lists, items, figures and footnotes
 * around them. A clip of zero length is never written (EPUBCheck MED-009), nor one that does
 * not start after the previous one ends in the same file.
 */
export function mediaOverlay(input: OverlayInput): Overlay {
  const units = unitsInOrder(input);
  const root = x("seq", { "epub:textref": `${input.file}#${input.containerId}`, "epub:type": input.containerType });
  /** The open seqs: the structure each stands for (undefined for the root) and its element. */
  const open: { structure: HastElement | undefined; seq: Element }[] = [{ structure: undefined, seq: root }];
  const structureIds = new Map<HastElement, string>();
  const counts = new Map<string, number>();
  const idFor = (structure: HastElement, type: string): string => {
    let id = structureIds.get(structure);
    if (id) return id;
    if (typeof structure.properties.id === "string" && structure.properties.id) id = structure.properties.id;
    else {
      const count = (counts.get(type) ?? 0) + 1;
      counts.set(type, count);
      id = `${input.containerId}-${type}-${count}`;
      structure.properties.id = id;
    }
    structureIds.set(structure, id);
    return id;
  };

  const written: string[] = [];
  const outOfOrder: string[] = [];
  const lastEnd = new Map<string, number>();
  let durationMs = 0;
  for (const unit of units) {
    const { clip } = unit;
    if (!(clip.endMs > clip.beginMs)) continue;
    if (clip.beginMs < (lastEnd.get(clip.audio) ?? 0)) {
      outOfOrder.push(unit.id);
      continue;
    }
    lastEnd.set(clip.audio, clip.endMs);
    // Close the seqs this unit is not inside, open the ones it is.
    while (open.length > 1 && !unit.structures.includes(open.at(-1)!.structure!)) open.pop();
    for (const structure of unit.structures.slice(open.length - 1)) {
      const type = structureType(structure)!;
      const seq = x("seq", { "epub:textref": `${input.file}#${idFor(structure, type)}`, "epub:type": type });
      open.at(-1)!.seq.children.push(seq);
      open.push({ structure, seq });
    }
    open
      .at(-1)!
      .seq.children.push(
        x("par", {}, [x("text", { src: `${input.file}#${unit.id}` }), x("audio", { src: clip.audio, clipBegin: clockValue(clip.beginMs), clipEnd: clockValue(clip.endMs) })]),
      );
    written.push(unit.id);
    durationMs += clip.endMs - clip.beginMs;
  }

  indent(root, 3);
  const smil = x("smil", { xmlns: "http://www.w3.org/ns/SMIL", "xmlns:epub": "http://www.idpf.org/2007/ops", version: "3.0" }, [
    { type: "text", value: "\n  " },
    x("body", {}, [{ type: "text", value: "\n    " }, root, { type: "text", value: "\n  " }]),
    { type: "text", value: "\n" },
  ]);
  const xml = serializeXmlTree({ type: "root", children: [smil, { type: "text", value: "\n" }] });
  return { smil: xml, durationMs, units: written, outOfOrder };
}

/** One child element per line. */
function indent(element: Element, depth: number): void {
  if (element.children.length === 0) return;
  const children: ElementContent[] = [];
  for (const child of element.children) {
    children.push({ type: "text", value: `\n${"  ".repeat(depth)}` }, child);
    if (child.type === "element" && child.name === "seq") indent(child, depth + 1);
    else if (child.type === "element" && child.name === "par") indent(child, depth + 1);
  }
  children.push({ type: "text", value: `\n${"  ".repeat(depth - 1)}` });
  element.children = children;
}
