// The plain text a native TTS pipe gets in the benchmark: the document's words, section by section.
import type { Nodes } from "mdast";
import { toString } from "mdast-util-to-string";
import type { LecternDocument } from "../src/document/model.js";

export function speakableDocumentText(document: LecternDocument): string {
  return document.sections
    .map((section) => [section.title, ...section.blocks.filter((block) => block.type !== "code" && block.type !== "html").map((block) => toString(block as Nodes))].join("\n\n"))
    .join("\n\n");
}
