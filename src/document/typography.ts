// Smart typography: straight quotes, `--`, `---` and `...` become the marks a typesetter would
// use in the document's language, once, in the document model, so the EPUB, the PDF, the
// captions and the speech text all show the same characters.
//
// The decisions per mark come from `retext-smartypants` 6 (the unified collective's SmartyPants,
// ESM, maintained with unified 11; ~520 KB installed with retext 9 and its parser parse-latin):
// whether a straight quote opens or closes, decades (`'90s`), dashes and ellipses.
// `remark-smartypants` (its mdast adaptor, ~90 lines) is not used: it
// knows one pair of quote characters for the whole document and a closing single quote is also
// its apostrophe, which in German (‚…‘) or French (“…” inside « ») would give `geht‘s` or `l”homme`. Here
// retext-smartypants writes private-use placeholders for the four quote marks, and the pairs
// are resolved after it (`resolveQuotes`): a mark between two letters is an apostrophe, one
// after a digit with no quote open is a prime (5′10″), the others take the language's pair.
//
// Text is read per block (paragraph, heading, table cell), concatenated across its inline
// markup so `"*word*"` pairs, with inline code, math and autolinked URLs kept as opaque
// letters (they give context and are never changed) and raw HTML left out (its attribute
// values are never changed). Code blocks, YAML, HTML blocks and URLs are never visited.
// A `<span lang="de">` inside French text takes the document's (French) quotes: the span's
// language is not tracked; its text and tags are otherwise left as they are.
import type { FootnoteDefinition, Nodes, Parent, Paragraph, PhrasingContent, RootContent, Text } from "mdast";
import { retext } from "retext";
import smartypants from "retext-smartypants";
import type { DocumentMetadata, LecternDocument, Section } from "./model.js";
import { headingTitle } from "./sections.js";

/** Opening and closing marks: primary (typed `"…"`) and secondary (typed `'…'`) quotations. */
export interface QuoteStyle {
  readonly double: readonly [open: string, close: string];
  readonly single: readonly [open: string, close: string];
}

/** The typed marks, for languages without a known style: only apostrophes and primes change. */
const straightQuotes: QuoteStyle = { double: ['"', '"'], single: ["'", "'"] };
const english: QuoteStyle = { double: ["“", "”"], single: ["‘", "’"] };
const guillemets = (inner: readonly [string, string]): QuoteStyle => ({ double: ["«", "»"], single: inner });

/**
 * Quotation marks by language (BCP 47 primary subtag, or language-region where a region
 * differs), from Unicode CLDR's `delimiters` and each language's style authority:
 * en — Chicago Manual of Style 13.30 (“ ” then ‘ ’; British house styles that start with
 * single quotes are the author's choice of which they type); fr — Lexique des règles
 * typographiques de l'Imprimerie nationale (« » then “ ”); de — Duden (Anführungszeichen „ “
 * then ‚ ‘; Swiss German « » ‹ ›); es — RAE Ortografía 2010 §3.4.8 (« » then “ ”); it — CLDR
 * and Italian usage (« » then “ ”); pt — CLDR pt (Brazil: “ ” ‘ ’) and pt-PT (« » “ ”); nl —
 * Taalunie (“ ” or ‘ ’ are both correct; the kind the author typed is kept). Languages not
 * listed keep their straight quotes (a wrong convention is worse than the typed one); their
 * apostrophes, dashes and ellipses are made as in every language.
 */
export const quoteStyles: Readonly<Record<string, QuoteStyle>> = {
  en: english,
  fr: guillemets(["“", "”"]),
  "fr-CH": guillemets(["‹", "›"]),
  de: { double: ["„", "“"], single: ["‚", "‘"] },
  "de-CH": guillemets(["‹", "›"]),
  "de-LI": guillemets(["‹", "›"]),
  es: guillemets(["“", "”"]),
  it: guillemets(["“", "”"]),
  pt: english,
  "pt-PT": guillemets(["“", "”"]),
  nl: english,
  da: english,
  nb: guillemets(["‘", "’"]),
  no: guillemets(["‘", "’"]),
  sv: { double: ["”", "”"], single: ["’", "’"] },
  fi: { double: ["”", "”"], single: ["’", "’"] },
  pl: { double: ["„", "”"], single: ["«", "»"] },
  cs: { double: ["„", "“"], single: ["‚", "‘"] },
  sk: { double: ["„", "“"], single: ["‚", "‘"] },
  ru: { double: ["«", "»"], single: ["„", "“"] },
  uk: { double: ["«", "»"], single: ["„", "“"] },
};

/**
 * The space inside French guillemets: U+202F NARROW NO-BREAK SPACE (« mot »), the espace fine
 * insécable of French typesetting and what CLDR, LibreOffice's French autocorrect and the
 * Imprimerie nationale's current practice put there. No-break, so a guillemet never starts or
 * ends a line alone; narrow, because a full U+00A0 space opens a gap wider than a word space in
 * justified lines. DejaVu (the PDF's font) has the glyph; EPUB reading systems show it.
 */
export const frenchQuoteSpace = "\u202F";

/** The quote style for a BCP 47 tag: `de-CH` → Swiss, `de-DE` → German; undefined when none is known. */
export function quoteStyleFor(language: string): QuoteStyle | undefined {
  const [primary = "", region] = language.split("-");
  const lower = primary.toLowerCase();
  return (region ? quoteStyles[`${lower}-${region.toUpperCase()}`] : undefined) ?? quoteStyles[lower];
}

// Placeholders retext-smartypants writes for the four quote marks (one UTF-16 unit each, like
// the straight marks they replace, so offsets into the block's text stay true).
const openDouble = "\uE000";
const closeDouble = "\uE001";
const openSingle = "\uE002";
const closeSingle = "\uE003";
const placeholders = { openingQuotes: { double: openDouble, single: openSingle }, closingQuotes: { double: closeDouble, single: closeSingle } };

/** retext-smartypants writing placeholders, quotes only; exported for the test of `placeQuotes` against it. */
export const quotePass = retext().use(smartypants, { ...placeholders, dashes: false, ellipses: false, backticks: false });
const markPass = retext().use(smartypants, { quotes: false, dashes: "oldschool", ellipses: true, backticks: false });

/** Inline nodes whose text is read as context but never changed. */
const opaqueTypes = new Set(["inlineCode", "inlineMath"]);
/** Nodes holding phrasing content whose text starts afresh: a quote at their start opens. */
const phrasingBlocks = new Set(["paragraph", "heading", "tableCell"]);
/** Nodes whose insides are never typography: code, math, raw HTML, front matter. */
const untouchedTypes = new Set(["code", "math", "html", "yaml", "toml"]);

/**
 * The document with smart quotes, dashes and ellipses in its sections' blocks, headings and
 * titles, footnotes, and its displayed metadata (title, author, description, publisher), by
 * `language`'s conventions. Section titles are recomputed from their curled headings so a title
 * always matches its heading's text in the body; slugs stay as computed from the typed text.
 * Mutates the freshly parsed tree in place (nothing else holds it yet) and returns a new document.
 */
export function applyTypography(document: LecternDocument, language: string): LecternDocument {
  const style = quoteStyleFor(language);
  const french = language.toLowerCase().split("-")[0] === "fr";
  const apply = (node: Nodes) => typesetTree(node, style, french);
  const sections: Section[] = document.sections.map((section) => {
    for (const block of section.blocks) apply(block);
    if (section.heading) {
      apply(section.heading);
      return { ...section, title: headingTitle(section.heading) || section.title };
    }
    return { ...section, title: typesetString(section.title, style, french) };
  });
  const footnotes = new Map<string, FootnoteDefinition>();
  for (const [identifier, definition] of document.footnotes) {
    apply(definition);
    footnotes.set(identifier, definition);
  }
  const metadata: DocumentMetadata = { ...document.metadata };
  const displayed = ["title", "author", "description", "publisher"] as const;
  const changed: Partial<Record<(typeof displayed)[number], string>> = {};
  for (const field of displayed) {
    const value = metadata[field];
    if (value !== undefined) changed[field] = typesetString(value, style, french);
  }
  return { ...document, metadata: { ...metadata, ...changed }, sections, footnotes };
}

/** One line of text typeset as a paragraph would be (a title or an author's name). */
export function typesetString(text: string, style: QuoteStyle | undefined, french: boolean): string {
  const paragraph: Paragraph = { type: "paragraph", children: [{ type: "text", value: text }] };
  typesetTree(paragraph, style, french);
  return (paragraph.children[0] as Text).value;
}

/** Typesets every phrasing block under `node` (itself included). */
export function typesetTree(node: Nodes, style: QuoteStyle | undefined, french: boolean): void {
  if (untouchedTypes.has(node.type)) return;
  if (phrasingBlocks.has(node.type)) {
    typesetBlock(node as Parent, style, french);
    return;
  }
  if ("children" in node) for (const child of node.children as RootContent[]) typesetTree(child, style, french);
}

/**
 * One run of a block's text: a piece of a text node to typeset, or an opaque span (code, an
 * autolink, template syntax) read only as context. A text node's pieces are joined back in order.
 */
interface Run {
  readonly node?: Text;
  /** The run's characters as written; kept as they are when `typeset` is false. */
  readonly value: string;
  readonly typeset: boolean;
}

/**
 * Text that is code to its reader though not marked as code, kept as typed: template syntax a
 * site generator's page shows as text (`{{< figure src="x" >}}`, `{% raw %}` bodies;
 * src/document/site-syntax.ts keeps them), ASCII arrows (`-->`, `<--`, `<->`), and a
 * command-line option written in prose (`--no-cache` after a space or an opening quote or
 * bracket: an en dash is never joined to the word after it).
 */
// The template bodies are bounded: an unclosed `{{` must not make each later one scan to the
// end of the text (quadratic on a few megabytes); no shown template call is 1,000 characters.
const keptAsTyped = /\{\{[\s\S]{0,1000}?\}\}|\{%[\s\S]{0,1000}?%\}|<!--|<-+>?|-+>|(?<![^\s(\['"‘“«])--?[A-Za-z][\w-]*/g;

function typesetBlock(block: Parent, style: QuoteStyle | undefined, french: boolean): void {
  const runs: Run[] = [];
  const collect = (node: PhrasingContent | RootContent) => {
    if (node.type === "text") {
      let last = 0;
      for (const match of node.value.matchAll(keptAsTyped)) {
        if (match.index > last) runs.push({ node, value: node.value.slice(last, match.index), typeset: true });
        runs.push({ node, value: match[0], typeset: false });
        last = match.index + match[0].length;
      }
      if (last < node.value.length || last === 0) runs.push({ node, value: node.value.slice(last), typeset: true });
    } else if (opaqueTypes.has(node.type) && "value" in node) {
      runs.push({ value: node.value, typeset: false });
    } else if (node.type === "link" && isAutolink(node.url, node.children)) {
      runs.push({ value: "A", typeset: false });
    } else if (node.type === "break") {
      runs.push({ value: " ", typeset: false });
    } else if ("children" in node && !untouchedTypes.has(node.type)) {
      for (const child of node.children as PhrasingContent[]) collect(child);
    }
  };
  for (const child of block.children as PhrasingContent[]) collect(child);
  if (!runs.some((run) => run.node)) return;
  // Opaque runs are letters to the quote pass (a quote after `code` closes as after a word);
  // a break is a space. Neither is copied back.
  const joined = runs.map((run) => (run.typeset || run.value === " " ? run.value : "A".repeat(run.value.length))).join("");
  const quoted = /['"]/.test(joined) ? resolveQuotes(placeQuotes(joined), style) : joined;
  const values = new Map<Text, string>();
  let offset = 0;
  for (const run of runs) {
    if (run.node) {
      let value = run.value;
      if (run.typeset) {
        value = quoted.slice(offset, offset + run.value.length);
        // Dashes and ellipses change the length, so they are made per run, after the quotes.
        if (/--|\.\s?\.\s?\./.test(value)) value = String(markPass.processSync(value));
        if (french) value = spaceGuillemets(value);
      }
      values.set(run.node, (values.get(run.node) ?? "") + value);
    }
    offset += run.value.length;
  }
  for (const [node, value] of values) node.value = value;
}

/** Words each side of a quote that retext-smartypants is shown: it looks one token back, two on. */
const contextWords = 3;

/**
 * `text` with retext-smartypants' placeholders for its straight quotes. Only windows of a few
 * words around the quotes are parsed (each quote's decision looks at its neighbouring tokens
 * alone), which measured 1.9× faster than parsing whole paragraphs of Alice's dialogue.
 */
/** The farthest a quote's context reaches each way; three words are far shorter. */
const maxContextCharacters = 200;
/** The longest stretch handed to retext at once; dialogue merges into a few hundred characters. */
const maxWindowCharacters = 4000;

export function placeQuotes(text: string): string {
  const windows: [number, number][] = [];
  const quote = /['"]/g;
  for (let match = quote.exec(text); match; match = quote.exec(text)) {
    // At most `maxContextCharacters` each way: text without spaces (`{{x("` a thousand times)
    // would otherwise make every quote's window the whole text, quadratic in its length.
    let start = match.index;
    const earliest = Math.max(0, match.index - maxContextCharacters);
    for (let spaces = 0; start > earliest; start--) if (/\s/.test(text[start - 1]!) && ++spaces === contextWords) break;
    let end = match.index + 1;
    const latest = Math.min(text.length, match.index + 1 + maxContextCharacters);
    for (let spaces = 0; end < latest; end++) if (/\s/.test(text[end]!) && ++spaces === contextWords) break;
    const last = windows[windows.length - 1];
    // Overlapping windows merge, up to `maxWindowCharacters`: past it the next window starts
    // where the last ended (retext's word merging is quadratic in one long spaceless token).
    if (last && start <= last[1] && end - last[0] <= maxWindowCharacters) last[1] = Math.max(last[1], end);
    else if (last && start <= last[1]) windows.push([last[1], Math.max(last[1], end)]);
    else windows.push([start, end]);
  }
  let out = "";
  let at = 0;
  for (const [start, end] of windows) {
    out += text.slice(at, start) + String(quotePass.processSync(text.slice(start, end)));
    at = end;
  }
  return out + text.slice(at);
}

/** A link whose text is its own address (`<https://…>`, a bare URL): the address is never changed. */
function isAutolink(url: string, children: readonly PhrasingContent[]): boolean {
  const text = children.length === 1 && children[0]!.type === "text" ? children[0]!.value : undefined;
  return text !== undefined && (text === url || `mailto:${text}` === url);
}

const letter = /\p{L}/u;
const digit = /\p{Nd}/u;

/**
 * Replaces retext-smartypants' placeholders with the language's marks, pairing them within the
 * block: a closing single mark between letters (`don't`, `l'homme`, `geht's`) is the apostrophe
 * ’; a closing mark right after a digit, not before a letter, with no quote of its kind open is
 * a prime (`5'10"` → 5′10″, but `1990's` keeps an apostrophe); a closing double mark after a
 * space (or at the start) with none open opens (`dit : " Les hommes… "`); a closing single mark before a
 * digit (`'90s`) or with no single quote open (`the dogs' bowls`) is an apostrophe; every other
 * mark takes the language's pair, or its straight character when the language has no style.
 */
export function resolveQuotes(text: string, style: QuoteStyle = straightQuotes): string {
  let doubleOpen = 0;
  let singleOpen = 0;
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const before = text[index - 1] ?? "";
    const after = text[index + 1] ?? "";
    if (char === openDouble) {
      doubleOpen++;
      out += style.double[0];
    } else if (char === openSingle) {
      singleOpen++;
      out += style.single[0];
    } else if (char === closeDouble) {
      if (doubleOpen === 0 && digit.test(before)) out += "″";
      else if (doubleOpen === 0 && /^\s?$/.test(before)) {
        // Between spaces with none open: French typists' `" mot "` opens.
        doubleOpen++;
        out += style.double[0];
      } else {
        doubleOpen = Math.max(0, doubleOpen - 1);
        out += style.double[1];
      }
    } else if (char === closeSingle) {
      if (letter.test(before) && letter.test(after)) out += "’";
      else if (singleOpen === 0 && digit.test(before) && !letter.test(after)) out += "′";
      else if (singleOpen === 0 || digit.test(after)) out += "’";
      else {
        singleOpen--;
        out += style.single[1];
      }
    } else out += char;
  }
  return out;
}

/**
 * French spacing inside guillemets: one narrow no-break space after « and before », replacing
 * a typed space (or no-break space) there, added where the author typed none.
 */
export function spaceGuillemets(text: string): string {
  return text.replace(/«[ \u00A0\u202F]*/g, `«${frenchQuoteSpace}`).replace(/[ \u00A0\u202F]*»/g, `${frenchQuoteSpace}»`);
}
