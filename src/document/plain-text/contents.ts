// Tables of contents written into the text: the outputs make their own from the headings.
import { singleLine, type Block } from "./lines.js";

const contentsTitlePattern = /^(?:table\s+of\s+)?contents\.?$/i;
/** An entry with a dot leader or spaced page number: `2.1.  Percent-Encoding . . . . 12`. */
const pagedEntryPattern = /(?:\.\s?){3,}\s*\d+$|\s{2,}\d+(?:,\s*\d+)*$/;

/**
 * Most lines and headings compared: a table of contents longer than this is no table of
 * contents a reader keeps, and the comparison stays bounded on hostile input.
 */
const maxContentsLines = 2000;

function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * How many blocks a table of contents at `index` spans (its `Contents` or `Table of Contents`
 * title and the entries after it), or 0. A back-of-book `Index` is not one: it is a part the
 * authors wrote, its terms worth reading though its page numbers point at printed pages. Entries are lines with
 * page numbers, lines that name a heading found later in the text, and chapter lines
 * (`Chapter 12`, `Letter 3`, `BOOK II`) whether or not the text holds that chapter; the contents end at the first block where fewer
 * than 60 % of the lines are entries. A `Contents` whose entries name nothing in the text is
 * not a table of contents and is kept.
 *
 * Such a list is dropped: its page numbers point at pages the outputs do not have, the EPUB
 * navigation and PDF outline are built from the headings themselves, and audio would read
 * out every chapter name before the first chapter.
 */
export function contentsLength(
  blocks: readonly Block[],
  index: number,
  headingTexts: readonly string[],
  isHeading: (index: number) => boolean,
  isChapterLine: (text: string) => boolean,
): number {
  const title = singleLine(blocks[index]!);
  if (title === undefined || !contentsTitlePattern.test(title.trim())) return 0;
  const headings = headingTexts.slice(0, maxContentsLines).map(fold).filter(Boolean);
  const isEntry = (text: string) => {
    if (pagedEntryPattern.test(text) || isChapterLine(text)) return true;
    const folded = fold(text);
    return folded.length > 0 && headings.some((heading) => heading.startsWith(folded) || folded.startsWith(heading));
  };
  let end = index + 1;
  let seen = 0;
  // The first heading ends the contents, though it names a heading.
  while (end < blocks.length && !isHeading(end)) {
    const lines = blocks[end]!.map((line) => line.text.trim());
    seen += lines.length;
    if (seen > maxContentsLines || lines.filter(isEntry).length < lines.length * 0.6) break;
    end++;
  }
  return end > index + 1 ? end - index : 0;
}
