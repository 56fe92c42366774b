// The "one paragraph edited" case of the benchmark: a copy of the document, in a folder of its
// own, with one sentence added to the first paragraph of its middle section.
import { copyFile, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Nodes } from "mdast";
import { toString } from "mdast-util-to-string";
import type { LecternDocument } from "../src/document/model.js";

export interface EditedCopy {
  /** The edited document (same file name as the original, so the same slug and output names). */
  readonly path: string;
  /** Title of the section that changed. */
  readonly section: string;
}

const addedSentence = " This sentence was added to measure an incremental rebuild.";

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Copies `document`'s file (and the lexicon files beside it, which change what is spoken) into
 * a new temporary folder and appends a sentence to one paragraph. The paragraph is found by its
 * last words, not by offsets: plain-text readers normalise line endings, so their offsets need
 * not index the file.
 */
export async function editOneParagraph(document: LecternDocument): Promise<EditedCopy> {
  const folder = await mkdtemp(join(tmpdir(), "lectern-bench-edit-"));
  const sourceFolder = dirname(document.path);
  for (const name of await readdir(sourceFolder)) {
    if (/(^|\.)lexicon\.(json|pls)$/.test(name) || /\.pls$/.test(name)) await copyFile(join(sourceFolder, name), join(folder, name));
  }
  const withWords = document.sections.filter((section) => section.words > 0);
  const section = withWords[Math.floor(withWords.length / 2)]!;
  const paragraph = section.blocks.find((block) => block.type === "paragraph");
  if (!paragraph) throw new Error(`section \`${section.title}\` has no paragraph to edit`);
  const lastWords = toString(paragraph as Nodes)
    .trim()
    .split(/\s+/)
    .slice(-4);
  const source = await readFile(document.path, "utf8");
  const pattern = new RegExp(lastWords.map(escapeRegExp).join("\\s+"), "g");
  const from = Math.max(0, (paragraph.position?.start.offset ?? 0) - 10_000);
  pattern.lastIndex = from;
  const match = pattern.exec(source) ?? new RegExp(pattern.source).exec(source);
  if (!match) throw new Error(`cannot find the end of a paragraph of \`${section.title}\` in ${document.path}`);
  const at = match.index + match[0].length;
  const path = join(folder, basename(document.path));
  await writeFile(path, source.slice(0, at) + addedSentence + source.slice(at));
  return { path, section: section.title };
}
