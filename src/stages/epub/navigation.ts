// The EPUB navigation document: a nested table of contents and a landmarks list.
import type { Element, ElementContent, Root } from "hast";
import type { OutlineEntry } from "./chapters.js";
import { wordsFor } from "../../document/words/index.js";
import { element, interfaceText, text } from "./hast-builders.js";
import { xhtmlDocument } from "./xhtml.js";

export interface TocEntry {
  readonly label: string;
  /** `file` or `file#id`. */
  readonly href: string;
  /** Sub-headings inside the entry's file, nested by level. */
  readonly outline: readonly OutlineEntry[];
  readonly file: string;
}

export interface Landmark {
  /** EPUB 3 structural semantics term (`toc`, `bodymatter`, `cover`, `titlepage`). */
  readonly type: string;
  readonly label: string;
  readonly href: string;
}

export interface NavigationInput {
  readonly language: string;
  readonly bookTitle: string;
  readonly entries: readonly TocEntry[];
  readonly landmarks: readonly Landmark[];
}

/**
 * `nav epub:type="toc"` carries `role="doc-toc"` (Ace `epub-type-has-matching-role`); the
 * landmarks nav (EPUB 3.3 §7.4.3) has no ARIA counterpart and is hidden by the style sheet.
 * Each section lists its sub-headings as a nested `ol` (issue 3: nested table of contents).
 */
export function navigationDocument(input: NavigationInput): Root {
  const { words } = wordsFor(input.language);
  const toc = element("nav", { "epub:type": "toc", role: "doc-toc", id: "toc", ariaLabelledBy: ["toc-title"] }, [
    element("h1", { id: "toc-title" }, [interfaceText(words.contents, input.language)]),
    element(
      "ol",
      {},
      input.entries.map((entry) => listItem(entry.label, entry.href, nestOutline(entry.outline, entry.file))),
    ),
  ]);
  const landmarks = element("nav", { "epub:type": "landmarks", id: "landmarks", className: ["landmarks"], ariaLabelledBy: ["landmarks-title"] }, [
    element("h2", { id: "landmarks-title" }, [interfaceText(words.landmarks, input.language)]),
    element(
      "ol",
      {},
      input.landmarks.map((landmark) => element("li", {}, [element("a", { "epub:type": landmark.type, href: landmark.href }, [interfaceText(landmark.label, input.language)])])),
    ),
  ]);
  return xhtmlDocument({ language: input.language, title: input.bookTitle, stylesheet: "style.css", body: [toc, landmarks] });
}

function listItem(label: string, href: string, children: Element | undefined): Element {
  const content: ElementContent[] = [element("a", { href }, [text(label || href)])];
  if (children) content.push(children);
  return element("li", {}, content);
}

/** Turns a flat list of headings with levels into nested `ol`s (a level never skips, see chapters.ts). */
function nestOutline(outline: readonly OutlineEntry[], file: string): Element | undefined {
  if (outline.length === 0) return undefined;
  interface Node {
    entry: OutlineEntry;
    children: Node[];
  }
  const roots: Node[] = [];
  const stack: Node[] = [];
  for (const entry of outline) {
    const node: Node = { entry, children: [] };
    while (stack.length && (stack.at(-1)?.entry.level ?? 0) >= entry.level) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  const render = (nodes: Node[]): Element =>
    element(
      "ol",
      {},
      nodes.map((node) => listItem(node.entry.text, `${file}#${node.entry.id}`, node.children.length ? render(node.children) : undefined)),
    );
  return render(roots);
}
