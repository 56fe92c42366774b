// SVG images read from disk, made inert before a book carries them: parsed as XML, rebuilt
// from an allow-list, serialized again. No script, no event handler, no animation, no
// foreign content, no reference to anything outside the image.
import type { Element, ElementContent, Nodes as XastNodes, Root } from "xast";
import { fromXml } from "xast-util-from-xml";
import { serializeXmlTree } from "./xml-text.js";

const svgNamespace = "http://www.w3.org/2000/svg";
const xlinkNamespace = "http://www.w3.org/1999/xlink";
const xmlNamespace = "http://www.w3.org/XML/1998/namespace";
const xmlnsNamespace = "http://www.w3.org/2000/xmlns/";

/**
 * Elements of static SVG 1.1/2 that draw or describe. Everything else is removed with its
 * content: `script`, `handler`, `foreignObject`, `iframe`, the animation elements (`set`,
 * `animate`…: they can rewrite `href` or fire events), `a` (becomes `g`: an image's links
 * cannot be followed), `metadata`, and any element of another namespace whatever its prefix.
 */
const allowedElements = new Set([
  "svg",
  "g",
  "defs",
  "desc",
  "title",
  "symbol",
  "use",
  "image",
  "switch",
  "style",
  "path",
  "rect",
  "circle",
  "ellipse",
  "line",
  "polyline",
  "polygon",
  "text",
  "tspan",
  "textPath",
  "linearGradient",
  "radialGradient",
  "stop",
  "pattern",
  "clipPath",
  "mask",
  "marker",
  "filter",
  "feBlend",
  "feColorMatrix",
  "feComponentTransfer",
  "feComposite",
  "feConvolveMatrix",
  "feDiffuseLighting",
  "feDisplacementMap",
  "feDistantLight",
  "feDropShadow",
  "feFlood",
  "feFuncA",
  "feFuncB",
  "feFuncG",
  "feFuncR",
  "feGaussianBlur",
  "feImage",
  "feMerge",
  "feMergeNode",
  "feMorphology",
  "feOffset",
  "fePointLight",
  "feSpecularLighting",
  "feSpotLight",
  "feTile",
  "feTurbulence",
]);

/** Elements whose `href` names what they show: without a safe one they show nothing and go. */
const referencing = new Set(["use", "image", "feImage"]);

/**
 * Attributes without a namespace that geometry, paint, text and filters use. Event handlers
 * (`onload`, `onclick`…), `href` (handled on its own), animation attributes (`attributeName`,
 * `to`, `begin`), `xml:base` and `requiredExtensions` are not among them.
 */
const allowedAttributes = new Set([
  "id",
  "class",
  "style",
  "transform",
  "transform-origin",
  "x",
  "y",
  "x1",
  "x2",
  "y1",
  "y2",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "fx",
  "fy",
  "fr",
  "width",
  "height",
  "d",
  "points",
  "pathLength",
  "viewBox",
  "preserveAspectRatio",
  "version",
  "baseProfile",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-opacity",
  "opacity",
  "color",
  "display",
  "visibility",
  "overflow",
  "clip",
  "clip-path",
  "clip-rule",
  "clipPathUnits",
  "mask",
  "maskUnits",
  "maskContentUnits",
  "filter",
  "filterUnits",
  "primitiveUnits",
  "marker-start",
  "marker-mid",
  "marker-end",
  "markerWidth",
  "markerHeight",
  "markerUnits",
  "refX",
  "refY",
  "orient",
  "font-family",
  "font-size",
  "font-size-adjust",
  "font-weight",
  "font-style",
  "font-variant",
  "font-stretch",
  "text-anchor",
  "dominant-baseline",
  "alignment-baseline",
  "baseline-shift",
  "letter-spacing",
  "word-spacing",
  "text-decoration",
  "writing-mode",
  "direction",
  "unicode-bidi",
  "dx",
  "dy",
  "rotate",
  "textLength",
  "lengthAdjust",
  "startOffset",
  "method",
  "spacing",
  "side",
  "offset",
  "stop-color",
  "stop-opacity",
  "gradientUnits",
  "gradientTransform",
  "spreadMethod",
  "patternUnits",
  "patternContentUnits",
  "patternTransform",
  "in",
  "in2",
  "result",
  "stdDeviation",
  "mode",
  "type",
  "values",
  "operator",
  "k1",
  "k2",
  "k3",
  "k4",
  "kernelMatrix",
  "order",
  "divisor",
  "bias",
  "targetX",
  "targetY",
  "edgeMode",
  "preserveAlpha",
  "surfaceScale",
  "diffuseConstant",
  "specularConstant",
  "specularExponent",
  "kernelUnitLength",
  "scale",
  "xChannelSelector",
  "yChannelSelector",
  "flood-color",
  "flood-opacity",
  "lighting-color",
  "azimuth",
  "elevation",
  "pointsAtX",
  "pointsAtY",
  "pointsAtZ",
  "limitingConeAngle",
  "baseFrequency",
  "numOctaves",
  "seed",
  "stitchTiles",
  "tableValues",
  "slope",
  "intercept",
  "amplitude",
  "exponent",
  "radius",
  "z",
  "image-rendering",
  "shape-rendering",
  "text-rendering",
  "color-interpolation",
  "color-interpolation-filters",
  "color-rendering",
  "paint-order",
  "vector-effect",
  "mix-blend-mode",
  "isolation",
  "systemLanguage",
  "media",
  "role",
  "aria-label",
  "aria-hidden",
  "aria-roledescription",
  "focusable",
  "lang",
  "enable-background",
]);

/** Namespaces of drawing programs' private data (Inkscape, Sodipodi, RDF metadata): removed without a word. */
const editorNamespaces = new Set([
  "http://www.inkscape.org/namespaces/inkscape",
  "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  "http://purl.org/dc/elements/1.1/",
  "http://creativecommons.org/ns#",
]);

/** Raster images an `<image>` may embed as a `data:` URL: pictures, not documents (no `image/svg+xml`). */
const embeddedRaster = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/i;

export type SvgSafety =
  /** The image, rebuilt; `removed` names what was taken out (empty when nothing was). */
  | { readonly kind: "clean"; readonly svg: string; readonly removed: readonly string[] }
  /** Not an SVG image that can be made safe (not XML, an entity reference, not `<svg>`): leave it out. */
  | { readonly kind: "refused"; readonly reason: string };

interface Scope {
  readonly namespaces: ReadonlyMap<string, string>;
}

/**
 * Makes an SVG file inert (EPUB 3.3 §3.9 and §4.3.4: a scripted or remotely loading image
 * fails EPUBCheck and can run or phone home in a reading system). The file is parsed as XML
 * (`@rgrove/parse-xml`, which never reads a DTD or expands an entity: a reference to one, an
 * external entity or "billion laughs", is a parse error and the image is refused; a DOCTYPE
 * alone is dropped). Names are resolved through their namespace declarations, so a prefix
 * bound to the SVG namespace (`<s:script>`) is seen for what it is, and the kept tree is
 * written with canonical unprefixed names. A reference may only name a place in the image
 * (`#id`), in `href`, `xlink:href`, `url(…)` and CSS alike.
 */
export function sanitizeSvg(source: string): SvgSafety {
  let tree: Root;
  try {
    tree = fromXml(source.replace(/^\uFEFF/, ""));
  } catch (error) {
    if (error instanceof RangeError) return { kind: "refused", reason: "is nested too deeply" };
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return { kind: "refused", reason: `is not well-formed XML (${firstLine(cause)})` };
  }
  const removed = new Set<string>();
  const roots = tree.children.filter((child): child is Element => child.type === "element");
  if (tree.children.some((child) => child.type === "doctype")) removed.add("DOCTYPE");
  // The XML declaration is an instruction too; it is written anew.
  if (tree.children.some((child) => child.type === "instruction" && child.name !== "xml")) removed.add("processing instruction");
  const root = roots[0];
  if (!root) return { kind: "refused", reason: "has no root element" };
  const scope = enter({ namespaces: new Map([["xml", xmlNamespace]]) }, root);
  const rootName = resolveName(root.name, scope, true);
  if (rootName.namespace !== svgNamespace || rootName.local !== "svg") return { kind: "refused", reason: "is not an `<svg>` image in the SVG namespace" };
  let usesXlink = false;
  let cleaned: Element;
  try {
    const walk = (node: Element, outer: Scope): Element | undefined => {
      const inner = enter(outer, node);
      const name = resolveName(node.name, inner, true);
      if (name.namespace !== svgNamespace) {
        if (!editorNamespaces.has(name.namespace ?? "")) removed.add(`\`<${node.name}>\``);
        return undefined;
      }
      let local = name.local;
      if (local === "a") {
        removed.add("link (`<a>`)");
        local = "g";
      } else if (local === "metadata") {
        return undefined;
      } else if (!allowedElements.has(local)) {
        removed.add(`\`<${node.name}>\``);
        return undefined;
      }
      const attributes: Record<string, string> = {};
      for (const [qualified, value] of Object.entries(node.attributes ?? {})) {
        if (value === undefined || value === null) continue;
        if (qualified === "xmlns" || qualified.startsWith("xmlns:")) continue;
        const attribute = resolveName(qualified, inner, false);
        const text = String(value);
        if (attribute.local === "href" && (attribute.namespace === undefined || attribute.namespace === xlinkNamespace)) {
          if (local === "g") continue; // the former link's target
          const target = text.trim();
          if (/^#[^\s]*$/.test(target) || (local === "image" && embeddedRaster.test(target))) {
            attributes["xlink:href"] = target;
            usesXlink = true;
          } else {
            removed.add(`reference to \`${shorten(target)}\``);
          }
          continue;
        }
        if (attribute.namespace === xmlNamespace && (attribute.local === "lang" || attribute.local === "space")) {
          if (/^[A-Za-z0-9-]*$/.test(text)) attributes[`xml:${attribute.local}`] = text;
          continue;
        }
        if (attribute.namespace === undefined && attribute.local === "lang" && !/^[A-Za-z0-9-]*$/.test(text)) {
          removed.add(`\`lang="${shorten(text)}"\``);
          continue;
        }
        if (attribute.namespace !== undefined || !allowedAttributes.has(attribute.local)) {
          if (!editorNamespaces.has(attribute.namespace ?? "")) {
            removed.add(/^on/i.test(attribute.local) ? `event handler \`${qualified}\`` : `\`${qualified}\` attribute`);
          }
          continue;
        }
        if (!cssIsInert(text)) {
          removed.add(`\`${qualified}\` attribute loading \`${shorten(externalReference(text))}\``);
          continue;
        }
        attributes[attribute.local] = text;
      }
      if (referencing.has(local) && attributes["xlink:href"] === undefined) return undefined;
      const children: ElementContent[] = [];
      if (local === "style") {
        const css = textOf(node);
        if (!cssIsInert(css)) {
          removed.add(`\`<style>\` loading \`${shorten(externalReference(css))}\``);
          return undefined;
        }
        if (css) children.push({ type: "text", value: css });
      } else {
        for (const child of node.children) {
          if (child.type === "element") {
            const kept = walk(child, inner);
            if (kept) children.push(kept);
          } else if (child.type === "text" || child.type === "cdata") {
            children.push({ type: "text", value: child.value });
          } else if (child.type === "instruction") {
            removed.add("processing instruction");
          }
        }
      }
      return { type: "element", name: local, attributes, children };
    };
    const kept = walk(root, { namespaces: new Map([["xml", xmlNamespace]]) });
    if (!kept) return { kind: "refused", reason: "is not an `<svg>` image" };
    cleaned = kept;
  } catch (error) {
    // A tree nested deeper than the stack allows is no picture anyone drew.
    if (error instanceof RangeError) return { kind: "refused", reason: "is nested too deeply" };
    throw error;
  }
  cleaned.attributes = { xmlns: svgNamespace, ...(usesXlink ? { "xmlns:xlink": xlinkNamespace } : {}), ...cleaned.attributes };
  return { kind: "clean", svg: serializeXmlTree(cleaned), removed: [...removed] };
}

function enter(outer: Scope, node: Element): Scope {
  const declarations = Object.entries(node.attributes ?? {}).filter(([name]) => name === "xmlns" || name.startsWith("xmlns:"));
  if (declarations.length === 0) return outer;
  const namespaces = new Map(outer.namespaces);
  for (const [name, value] of declarations) namespaces.set(name === "xmlns" ? "" : name.slice(6), String(value));
  return { namespaces };
}

/** Namespaces in XML 1.0 §6: an element's unprefixed name takes the default namespace, an attribute's none. */
function resolveName(qualified: string, scope: Scope, isElement: boolean): { namespace: string | undefined; local: string } {
  const colon = qualified.indexOf(":");
  if (colon === -1) return { namespace: isElement ? scope.namespaces.get("") || undefined : undefined, local: qualified };
  const prefix = qualified.slice(0, colon);
  if (prefix === "xmlns") return { namespace: xmlnsNamespace, local: qualified.slice(colon + 1) };
  // An undeclared prefix is a namespace error: no namespace the allow-list knows.
  return { namespace: scope.namespaces.get(prefix) ?? `undeclared:${prefix}`, local: qualified.slice(colon + 1) };
}

function textOf(node: XastNodes): string {
  if (node.type === "text" || node.type === "cdata") return node.value;
  if ("children" in node) return node.children.map(textOf).join("");
  return "";
}

/** CSS as a parser reads it: comments removed, escapes (`\69`, `\@`) decoded, lower case. */
function decodeCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?(?:\*\/|$)/g, "")
    .replace(/\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?/g, (_, hex: string) => String.fromCodePoint(Math.min(Number.parseInt(hex, 16) || 0xfffd, 0x10ffff)))
    .replace(/\\([\s\S])/g, "$1")
    .toLowerCase();
}

/**
 * True when CSS (a `<style>` sheet, a `style` attribute or a presentation attribute) loads
 * nothing and runs nothing: every `url()` names a place in the image, and none of `@import`,
 * `image()`/`image-set()`/`cross-fade()`/`element()`, `src()`, `expression()`, `behavior`,
 * `-moz-binding` or a `javascript:` URL occurs.
 */
export function cssIsInert(css: string): boolean {
  const decoded = decodeCss(css);
  if (/@import|@namespace|(?:^|[^a-z])(?:image|image-set|cross-fade|element|src|expression)\s*\(|behavior\s*:|-moz-binding|javascript:|vbscript:/.test(decoded)) return false;
  for (const match of decoded.matchAll(/url\s*\(\s*(['"]?)\s*([^'")]*)/g)) {
    if (!(match[2] ?? "").trim().startsWith("#")) return false;
  }
  return true;
}

/** The first thing CSS or an attribute would load, for the warning. */
function externalReference(css: string): string {
  const decoded = decodeCss(css);
  const url = /url\s*\(\s*['"]?\s*([^'")]*)/.exec(decoded)?.[1];
  if (url && !url.trim().startsWith("#")) return url.trim();
  return /@import[^;]*|[a-z-]+\s*\([^)]*\)?|javascript:[^;]*/.exec(decoded)?.[0] ?? decoded;
}

function shorten(value: string): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
