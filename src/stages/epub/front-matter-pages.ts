// The generated cover (an SVG image with the title and author) and the title page.
import type { Element, ElementContent } from "hast";
import type { DocumentMetadata } from "../../document/model.js";
import { fill, wordsFor } from "../../document/words/index.js";
import { element, interfaceText, text } from "./hast-builders.js";
import { longDate, packageDate } from "../shared/dates.js";
import { followableHref } from "../shared/link-safety.js";

const coverWidth = 600;
const coverHeight = 900;

/**
 * The cover picture. Its text is drawn as SVG `text`, so it stays sharp and searchable;
 * the `img` that shows it carries the same words as alt text (WCAG 1.1.1). Colours are
 * fixed here only because a cover is a picture; the text has 12:1 contrast (WCAG 1.4.3).
 */
export function coverSvg(metadata: DocumentMetadata): Element {
  const titleLines = wrapText(metadata.title, 18, 7);
  const titleSize = 44;
  const titleTop = 260;
  const children: ElementContent[] = [
    element("title", {}, [text(coverAltText(metadata))]),
    element("rect", { x: "0", y: "0", width: String(coverWidth), height: String(coverHeight), fill: "#f4efe4" }),
    element("rect", { x: "30", y: "30", width: String(coverWidth - 60), height: String(coverHeight - 60), fill: "none", stroke: "#2b2a33", strokeWidth: "3" }),
    ...titleLines.map((line, index) =>
      element(
        "text",
        { x: String(coverWidth / 2), y: String(titleTop + index * titleSize * 1.25), textAnchor: "middle", fontFamily: "serif", fontSize: String(titleSize), fill: "#1d1c22" },
        [text(line)],
      ),
    ),
  ];
  if (metadata.author) {
    wrapText(metadata.author, 28, 2).forEach((line, index) => {
      children.push(
        element("text", { x: String(coverWidth / 2), y: String(coverHeight - 180 + index * 36), textAnchor: "middle", fontFamily: "sans-serif", fontSize: "28", fill: "#2b2a33" }, [
          text(line),
        ]),
      );
    });
  }
  return element(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      version: "1.1",
      viewBox: `0 0 ${coverWidth} ${coverHeight}`,
      width: String(coverWidth),
      height: String(coverHeight),
      xmlLang: metadata.language,
    },
    children,
  );
}

/** "Cover: Title, by Author", in the book's language (English in a language without a catalogue). */
export function coverAltText(metadata: DocumentMetadata): string {
  const { words } = wordsFor(metadata.language);
  const book = metadata.author ? fill(words.titleByAuthor, { title: metadata.title, author: metadata.author }) : metadata.title;
  return fill(words.coverOf, { book });
}

/** Characters drawn about twice as wide as Latin letters (CJK ideographs, kana, Hangul, full-width forms). */
const wideCharacter = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\uFF01-\uFF60]/u;

function displayWidth(value: string): number {
  let width = 0;
  for (const character of value) width += wideCharacter.test(character) ? 2 : 1;
  return width;
}

/**
 * Splits text into lines of at most `width` columns (wide characters count two), at spaces
 * where there are any and inside words that would not fit otherwise (Chinese and Japanese
 * titles have no spaces). The last line ends in `…` when lines run out.
 */
export function wrapText(value: string, width: number, maxLines: number): string[] {
  const pieces: string[] = [];
  for (const word of value.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (displayWidth(rest) > width) {
      let cut = "";
      for (const character of rest) {
        if (displayWidth(cut + character) > width) break;
        cut += character;
      }
      pieces.push(cut);
      rest = rest.slice(cut.length);
    }
    if (rest) pieces.push(rest);
  }
  const lines: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (current && displayWidth(`${current} ${piece}`) > width) {
      lines.push(current);
      current = piece;
    } else {
      current = current ? `${current} ${piece}` : piece;
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]}…`;
    return kept;
  }
  return lines;
}

/** The cover page: the picture alone (EPUB 3.3 SSV `cover`, DPUB-ARIA `doc-cover`). */
export function coverBody(metadata: DocumentMetadata, coverHref: string): ElementContent[] {
  return [
    element("section", { className: ["cover"], ariaLabel: coverAltText(metadata) }, [
      element("img", { src: coverHref, alt: coverAltText(metadata), "epub:type": "cover", role: "doc-cover" }),
    ]),
  ];
}

/**
 * The title page: the book's one `h1` (the title), then author, date and source. The lead
 * section, when there is one, follows it in the same file under the same `h1`.
 */
export function titlePageBody(metadata: DocumentMetadata, lead: readonly ElementContent[]): ElementContent[] {
  const titlePage: ElementContent[] = [element("h1", { id: "book-title" }, [text(metadata.title)])];
  if (metadata.author) titlePage.push(element("p", { className: ["byline"] }, [text(metadata.author)]));
  // Written as the PDF's byline writes it (`5 January 2026`); `datetime` keeps the ISO form.
  if (metadata.date && packageDate(metadata.date)) {
    titlePage.push(element("p", { className: ["date"] }, [element("time", { dateTime: metadata.date }, [text(longDate(metadata.date, metadata.language))])]));
  }
  if (metadata.source) {
    // A web address is a link, percent-encoded where it must be (`https://a.com/a b`); any
    // other source (a citation, an address that is no URL) is shown as text.
    const href = /^https?:\/\//i.test(metadata.source) ? followableHref(metadata.source) : undefined;
    titlePage.push(
      element("p", { className: ["source"] }, [
        interfaceText(wordsFor(metadata.language).words.source, metadata.language),
        text(" "),
        href ? element("a", { href }, [text(metadata.source)]) : text(metadata.source),
      ]),
    );
  }
  const body: ElementContent[] = [element("section", { "epub:type": "titlepage", className: ["titlepage"], ariaLabelledBy: ["book-title"] }, titlePage)];
  if (lead.length) body.push(element("div", { id: "lead", className: ["lead"] }, [...lead]));
  return body;
}
