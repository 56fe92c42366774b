// Opens an EPUB for tests: unzips it (fflate), parses every XML file strictly (libxml2), and
// exposes the package document, the navigation document and the content documents as trees.
import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { unzipSync } from "fflate";
import { EpubCheck } from "@likecoin/epubcheck-ts";
import { XmlDocument, XmlElement, XmlText, XmlCData, type XmlTreeNode } from "libxml2-wasm";
import type { Message } from "../../src/messages.js";
import type { StageContext } from "../../src/stages/stage.js";

/** A parsed XML element as plain data. Names are qualified as written (`epub:type`, `xml:lang`). */
export interface XmlTree {
  readonly name: string;
  readonly namespace: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlTree[];
  /** Text content of the element and its descendants, in order. */
  readonly text: string;
}

export interface ManifestEntry {
  readonly id: string;
  /** Path relative to the package document. */
  readonly href: string;
  /** Path inside the zip. */
  readonly path: string;
  readonly mediaType: string;
  readonly properties: readonly string[];
}

export interface NavEntry {
  readonly label: string;
  readonly href: string;
  readonly children: readonly NavEntry[];
}

export interface OpenedEpub {
  /** Zip entry names in archive order. */
  readonly entries: readonly string[];
  /** True when the first entry is `mimetype`, stored (not compressed) and without extra field (OCF 3.3 §4.3). */
  readonly mimetypeFirstAndStored: boolean;
  readonly bytes: Uint8Array;
  file(path: string): Uint8Array;
  text(path: string): string;
  /** Parses a file as XML; throws when it is not well-formed. */
  xml(path: string): XmlTree;
  readonly opfPath: string;
  readonly opf: XmlTree;
  /** `dc:*` elements and `meta[property]` values of the package metadata, by name. */
  metadata(name: string): string[];
  readonly manifest: readonly ManifestEntry[];
  /** Zip paths of the spine items, in reading order. */
  readonly spine: readonly string[];
  readonly navPath: string;
  readonly nav: XmlTree;
  /** The `nav[epub:type~=toc]` entries, nested. */
  readonly toc: readonly NavEntry[];
  /** The `nav[epub:type~=landmarks]` entries as `{ type, href }`. */
  readonly landmarks: readonly { readonly type: string; readonly href: string }[];
  /** Every XHTML content document in the manifest, parsed, by zip path. */
  readonly contentDocuments: ReadonlyMap<string, XmlTree>;
}

export async function openEpub(path: string): Promise<OpenedEpub> {
  return openEpubBytes(new Uint8Array(await readFile(path)));
}

export function openEpubBytes(bytes: Uint8Array): OpenedEpub {
  const files = unzipSync(bytes);
  const entries = Object.keys(files);
  const file = (name: string): Uint8Array => {
    const data = files[name];
    if (!data) throw new Error(`no ${name} in the EPUB (entries: ${entries.join(", ")})`);
    return data;
  };
  const text = (name: string): string => new TextDecoder("utf-8", { fatal: true }).decode(file(name));
  const xml = (name: string): XmlTree => parseXml(text(name), name);

  const container = xml("META-INF/container.xml");
  const rootfile = findAll(container, (node) => localName(node) === "rootfile")[0];
  const opfPath = rootfile?.attributes["full-path"];
  if (!opfPath) throw new Error("container.xml names no rootfile");
  const opf = xml(opfPath);
  const base = posix.dirname(opfPath);
  const resolveHref = (href: string) => posix.normalize(posix.join(base, decodeURIComponent(href.split("#")[0] ?? "")));

  const manifest: ManifestEntry[] = findAll(opf, (node) => localName(node) === "item").map((item) => ({
    id: item.attributes.id ?? "",
    href: item.attributes.href ?? "",
    path: resolveHref(item.attributes.href ?? ""),
    mediaType: item.attributes["media-type"] ?? "",
    properties: (item.attributes.properties ?? "").split(/\s+/).filter(Boolean),
  }));
  const byId = new Map(manifest.map((item) => [item.id, item]));
  const spine = findAll(opf, (node) => localName(node) === "itemref").map((ref) => byId.get(ref.attributes.idref ?? "")?.path ?? "?");
  const metadataElement = findAll(opf, (node) => localName(node) === "metadata")[0];
  const metadata = (name: string): string[] =>
    (metadataElement?.children ?? []).filter((node) => node.name === name || (localName(node) === "meta" && node.attributes.property === name)).map((node) => node.text);

  const navItem = manifest.find((item) => item.properties.includes("nav"));
  if (!navItem) throw new Error("the package has no nav document");
  const nav = xml(navItem.path);
  const navDirectory = posix.dirname(navItem.path);
  const navOf = (type: string) => findAll(nav, (node) => localName(node) === "nav" && (node.attributes["epub:type"] ?? "").split(/\s+/).includes(type))[0];
  const readList = (list: XmlTree | undefined): NavEntry[] =>
    (list?.children ?? [])
      .filter((node) => localName(node) === "li")
      .map((li) => {
        const link = li.children.find((node) => localName(node) === "a" || localName(node) === "span");
        const sublist = li.children.find((node) => localName(node) === "ol");
        const href = link?.attributes.href ?? "";
        return {
          label: (link?.text ?? "").replace(/\s+/g, " ").trim(),
          href: href ? posix.normalize(posix.join(navDirectory, href)) : "",
          children: readList(sublist),
        };
      });
  const tocNav = navOf("toc");
  const toc = readList(tocNav?.children.find((node) => localName(node) === "ol"));
  const landmarksNav = navOf("landmarks");
  const landmarks = findAll(landmarksNav ?? nav, (node) => localName(node) === "a" && landmarksNav !== undefined).map((link) => ({
    type: link.attributes["epub:type"] ?? "",
    href: posix.normalize(posix.join(navDirectory, link.attributes.href ?? "")),
  }));

  const contentDocuments = new Map<string, XmlTree>();
  for (const item of manifest) if (item.mediaType === "application/xhtml+xml") contentDocuments.set(item.path, xml(item.path));

  return {
    entries,
    mimetypeFirstAndStored: firstEntryIsStoredMimetype(bytes),
    bytes,
    file,
    text,
    xml,
    opfPath,
    opf,
    metadata,
    manifest,
    spine,
    navPath: navItem.path,
    nav,
    toc,
    landmarks,
    contentDocuments,
  };
}

/** Reads the first local file header: name `mimetype`, method 0 (stored), no extra field. */
function firstEntryIsStoredMimetype(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== 0x04034b50) return false;
  const method = view.getUint16(8, true);
  const nameLength = view.getUint16(26, true);
  const extraLength = view.getUint16(28, true);
  const name = new TextDecoder().decode(bytes.subarray(30, 30 + nameLength));
  const content = new TextDecoder().decode(bytes.subarray(30 + nameLength + extraLength, 30 + nameLength + extraLength + 20));
  return name === "mimetype" && method === 0 && extraLength === 0 && content === "application/epub+zip";
}

/** Strict XML parse (libxml2); throws with the file name on the first well-formedness error. */
export function parseXml(source: string, name = "document"): XmlTree {
  let document: XmlDocument;
  try {
    document = XmlDocument.fromString(source);
  } catch (error) {
    throw new Error(`${name} is not well-formed XML: ${(error as Error).message}`);
  }
  try {
    return convert(document.root);
  } finally {
    document.dispose();
  }
}

function convert(element: XmlElement): XmlTree {
  const attributes: Record<string, string> = {};
  for (const attribute of element.attrs) {
    const qualified = attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name;
    attributes[qualified] = attribute.value;
  }
  const children: XmlTree[] = [];
  let text = "";
  for (let child: XmlTreeNode | null = element.firstChild; child; child = child.next) {
    if (child instanceof XmlElement) {
      const converted = convert(child);
      children.push(converted);
      text += converted.text;
    } else if (child instanceof XmlText || child instanceof XmlCData) {
      text += child.content;
    }
  }
  return {
    name: element.prefix ? `${element.prefix}:${element.name}` : element.name,
    namespace: element.namespaceUri,
    attributes,
    children,
    text,
  };
}

export function localName(node: XmlTree): string {
  return node.name.includes(":") ? node.name.slice(node.name.indexOf(":") + 1) : node.name;
}

/** Every element in document order (the root included) that `predicate` accepts. */
export function findAll(root: XmlTree, predicate: (node: XmlTree) => boolean): XmlTree[] {
  const found: XmlTree[] = [];
  const walk = (node: XmlTree) => {
    if (predicate(node)) found.push(node);
    for (const child of node.children) walk(child);
  };
  walk(root);
  return found;
}

/** Elements with a local name (`h2`, `img`). */
export function byName(root: XmlTree, name: string): XmlTree[] {
  return findAll(root, (node) => localName(node) === name);
}

export interface FakeContext extends StageContext {
  readonly messages: Message[];
  readonly labels: string[];
}

/** A stage context that runs tasks at once and collects messages and task labels. */
export function fakeContext(outDir: string, now = new Date("2026-01-05T00:00:00Z")): FakeContext {
  const messages: Message[] = [];
  const labels: string[] = [];
  return {
    outDir,
    options: { engine: "espeak", concurrency: 2, ttsTimeoutMs: 30_000, now },
    signal: new AbortController().signal,
    run: (label, task) => {
      labels.push(label);
      return task();
    },
    report: (message) => messages.push({ source: "epub", ...message }),
    progress: () => {},
    messages,
    labels,
  };
}

/** W3C EPUBCheck rules, with usage and info messages on (landmarks, unused namespaces…). */
export async function epubCheckMessages(bytes: Uint8Array): Promise<string[]> {
  const result = await new EpubCheck({ includeUsage: true, includeInfo: true }).check(bytes);
  return result.messages.map((message) => `${message.severity} ${message.id} ${message.message} ${JSON.stringify(message.location ?? {})}`);
}

/** One failed axe rule in one content document. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly nodes: readonly string[];
}

interface AxeResults {
  violations: { id: string; impact: string | null; nodes: { html: string }[] }[];
  incomplete: { id: string; impact: string | null; nodes: { html: string }[]; error?: unknown }[];
}

/**
 * Runs axe-core (the engine under Ace by DAISY) on one XHTML content document in jsdom, with
 * Ace's own configuration: `bypass`, `region`, `page-has-heading-one` and
 * `landmark-complementary-is-top-level` off (daisy/ace `ace-axe.js`). `color-contrast` is off
 * too: jsdom cannot render, and the book sets no colours on text. Returns violations and
 * "incomplete" results (axe could not decide), both of which a reviewer would have to look at.
 */
export async function axeFindings(xhtml: string, path: string): Promise<AxeFinding[]> {
  const [{ JSDOM, VirtualConsole }, { createRequire }, { readFileSync }] = await Promise.all([import("jsdom"), import("node:module"), import("node:fs")]);
  const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const dom = new JSDOM(xhtml, {
    contentType: "application/xhtml+xml",
    runScripts: "outside-only",
    url: `https://book.invalid/${path}`,
    virtualConsole: new VirtualConsole(),
  });
  try {
    dom.window.eval(axeSource);
    const axe = (dom.window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe;
    const results = await axe.run(dom.window.document, {
      rules: {
        bypass: { enabled: false },
        region: { enabled: false },
        "page-has-heading-one": { enabled: false },
        "landmark-complementary-is-top-level": { enabled: false },
        "color-contrast": { enabled: false },
      },
      resultTypes: ["violations", "incomplete"],
    });
    // A rule that crashed on a browser API jsdom lacks (`landmark-one-main` needs
    // `elementFromPoint`) says nothing about the book; chapters' `main` is asserted elsewhere.
    const decidable = results.incomplete.filter((finding) => finding.error === undefined);
    return [...results.violations, ...decidable].map((finding) => ({
      rule: finding.id,
      impact: finding.impact ?? "unknown",
      nodes: finding.nodes.map((node) => node.html),
    }));
  } finally {
    dom.window.close();
  }
}
