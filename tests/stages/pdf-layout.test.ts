// Units of the PDF stage: heading levels, XMP serialization, paper size, inline runs, line breaking, pagination.
import fc from "fast-check";
import type { Paragraph } from "mdast";
import PDFDocument from "pdfkit";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { liftLanguageSpans } from "../../src/document/language-spans.js";
import { PageComposer } from "../../src/stages/pdf/composer.js";
import { dejavuFontPath, FontBook } from "../../src/stages/pdf/fonts.js";
import { HeadingLevels } from "../../src/stages/shared/heading-levels.js";
import { inlineRuns, type InlineContext, type InlineRun } from "../../src/stages/pdf/inline-runs.js";
import { breakLines, type Line } from "../../src/stages/pdf/line-breaking.js";
import { createStruct, addRootStructure } from "../../src/stages/pdf/pdfkit-internals.js";
import { pageGeometry, paperSizeForLanguage, textStyles } from "../../src/stages/pdf/typography.js";
import { serializeXml } from "../../src/stages/pdf/xmp.js";

function newDocument(): PDFKit.PDFDocument {
  return new PDFDocument({ size: "A4", bufferPages: true, tagged: true, font: dejavuFontPath("DejaVuSerif.ttf") });
}

function paragraph(markdown: string): Paragraph {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown);
  // As the reader does (src/document/read.ts): inline `lang` elements become languageSpan nodes.
  liftLanguageSpans(tree);
  return tree.children[0] as Paragraph;
}

function inlineContext(warnings: string[] = []): InlineContext {
  let id = 0;
  const notes = new Map<string, number>();
  return {
    warn: (rule) => warnings.push(rule),
    noteNumber: (identifier) => notes.get(identifier) ?? (notes.set(identifier, notes.size + 1), notes.size),
    nextId: () => ++id,
  };
}

describe("HeadingLevels (Matterhorn 14-003)", () => {
  it("normalizes a skipped level and says what was asked for", () => {
    const levels = new HeadingLevels(2);
    expect(levels.title()).toEqual({ level: 1 });
    expect(levels.section(2)).toEqual({ level: 2 });
    expect(levels.subheading(4)).toEqual({ level: 3, requested: 4 });
    expect(levels.subheading(5)).toEqual({ level: 4, requested: 5 });
    expect(levels.subheading(3)).toEqual({ level: 3 });
    expect(levels.section(2)).toEqual({ level: 2 });
    expect(levels.subheading(3)).toEqual({ level: 3 });
  });

  it("sections at source depth 1 still become H2, under the H1 title", () => {
    const levels = new HeadingLevels(1);
    levels.title();
    expect(levels.section(1)).toEqual({ level: 2 });
    expect(levels.subheading(2)).toEqual({ level: 3 });
  });

  it("never skips a level and stays within H2–H6, for any heading sequence", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })), { maxLength: 40 }), (sectioning, depths) => {
        const levels = new HeadingLevels(sectioning);
        let previous = levels.title().level;
        for (const depth of depths) {
          const { level } = depth === 0 ? levels.section(sectioning) : levels.subheading(Math.max(depth, sectioning + 1));
          expect(level).toBeGreaterThanOrEqual(2);
          expect(level).toBeLessThanOrEqual(Math.min(previous + 1, 6));
          previous = level;
        }
      }),
    );
  });
});

describe("serializeXml (XMP, Matterhorn 06-003)", () => {
  it("escapes markup characters in text and attributes", () => {
    expect(serializeXml({ name: "dc:title", attributes: { "xml:lang": 'x"<' }, children: ['Fish & Chips <A> "Q" \'s'] })).toBe(
      '<dc:title xml:lang="x&quot;&lt;">Fish &amp; Chips &lt;A&gt; "Q" \'s</dc:title>',
    );
  });

  it("round-trips any text (minus characters XML cannot hold)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (text) => {
        const xml = serializeXml({ name: "t", children: [text] });
        const inner = xml.slice(3, -4);
        // The shared serializer (src/stages/shared/xml-text.ts) writes &amp; &lt; &gt; and &#xD; for a carriage return.
        expect(inner).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|#xD;)/);
        const named: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#xD;": "\r" };
        const decoded = inner.replace(/&amp;|&lt;|&gt;|&#xD;/g, (reference) => named[reference] ?? reference);
        expect(decoded).toBe(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ""));
      }),
    );
  });
});

describe("paperSizeForLanguage", () => {
  it.each([
    ["en-US", "LETTER"],
    ["en", "LETTER"],
    ["es-MX", "LETTER"],
    ["fr-CA", "LETTER"],
    ["en-GB", "A4"],
    ["de", "A4"],
    ["ar", "A4"],
    ["not a tag", "A4"],
  ])("%s → %s", (language, size) => {
    expect(paperSizeForLanguage(language)).toBe(size);
  });
});

describe("inlineRuns", () => {
  it("marks GFM and HTML strikethrough, so the line is drawn", () => {
    const runs = inlineRuns(paragraph("~~forty~~ thirty <del>old</del> new").children, inlineContext());
    const struck = runs.flatMap((run) => (run.kind === "text" && run.marks.strike === true ? [run.text] : []));
    expect(struck).toEqual(["forty", "old"]);
  });

  it("keeps the text of unsafe and relative links without a link, and warns", () => {
    const warnings: string[] = [];
    const runs = inlineRuns(paragraph("[a](javascript:alert(1)) [b](#here) [c](https://example.org)").children, inlineContext(warnings));
    const texts = runs.filter((run) => run.kind === "text");
    expect(texts.map((run) => run.text).join("")).toBe("a b c");
    expect(texts.filter((run) => run.container?.kind === "link").map((run) => run.text)).toEqual(["c"]);
    expect(warnings).toEqual(["link-unsafe-dropped", "link-relative-dropped"]);
  });

  it("turns an element with lang into a language span, keeps <em>/<b>/<sup> as marks, drops other tags keeping their text", () => {
    const warnings: string[] = [];
    const runs = inlineRuns(
      paragraph('x <span lang="el">λόγος</span> <b>y</b> <i lang="la">carpe <sup>2</sup></i> <u>z</u> <img src="a.png"> w').children,
      inlineContext(warnings),
    );
    const texts = runs.flatMap((run) => (run.kind === "text" ? [run] : []));
    expect(texts.filter((run) => run.container?.kind === "span").map((run) => [run.text, run.container?.kind === "span" ? run.container.lang : ""])).toEqual([
      ["λόγος", "el"],
      ["carpe ", "la"],
      ["2", "la"],
    ]);
    expect(texts.find((run) => run.text === "y")?.marks.bold).toBe(true);
    expect(texts.find((run) => run.text === "carpe ")?.marks.italic).toBe(true);
    expect(texts.find((run) => run.text === "2")?.marks).toMatchObject({ italic: true, superscript: true });
    expect(texts.find((run) => run.text === "z")?.marks).toMatchObject({ bold: false, italic: false });
    expect(texts.find((run) => run.text === " w")?.marks).toMatchObject({ bold: false, italic: false, superscript: false });
    expect(warnings).toEqual(["html-dropped", "html-dropped"]);
  });

  it("reads <br> as a line break, without a warning", () => {
    const warnings: string[] = [];
    const runs = inlineRuns(paragraph("one<br>two").children, inlineContext(warnings));
    expect(runs.map((run) => (run.kind === "text" ? run.text : "|"))).toEqual(["one", "|", "two"]);
    expect(warnings).toEqual([]);
  });

  it("numbers footnote references in order of first use, as superscript References", () => {
    const runs = inlineRuns(paragraph("a[^z] b[^y] c[^z]\n\n[^z]: z\n[^y]: y").children, inlineContext());
    const references = runs.filter((run) => run.kind === "text" && run.container?.kind === "reference");
    expect(references.map((run) => (run.kind === "text" ? [run.text, run.marks.superscript] : []))).toEqual([
      ["1", true],
      ["2", true],
      ["1", true],
    ]);
  });
});

describe("breakLines", () => {
  const doc = newDocument();
  const fonts = new FontBook(doc);
  const composer = new PageComposer(doc, fonts, pageGeometry("A4"));
  const plain = { bold: false, italic: false, code: false, superscript: false };
  const lay = (runs: InlineRun[], width: number): Line[] => breakLines(runs, { width, style: textStyles.body, fonts, measure: composer.measure });
  const lineText = (line: Line): string => line.segments.map((segment) => segment.text).join("");

  it("keeps struck and plain text in separate segments, so the line through one never covers the other", () => {
    const [line] = lay(
      [
        { kind: "text", text: "Was ", marks: plain },
        { kind: "text", text: "forty dollars", marks: { ...plain, strike: true } },
        { kind: "text", text: " thirty", marks: plain },
      ],
      400,
    );
    expect(line!.segments.map((segment) => [segment.text, segment.marks.strike === true])).toEqual([
      ["Was ", false],
      ["forty dollars", true],
      [" thirty", false],
    ]);
  });

  it("fits every line, breaks only at spaces and loses no word (no hyphenation)", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Z—“”é]{1,14}$/), { minLength: 1, maxLength: 60 }), fc.integer({ min: 120, max: 400 }), (words, width) => {
        const lines = lay([{ kind: "text", text: words.join(" "), marks: plain }], width);
        for (const line of lines) expect(line.width).toBeLessThanOrEqual(width + 0.001);
        expect(lines.map((line) => lineText(line).trim()).join(" ")).toBe(words.join(" "));
      }),
      { numRuns: 40 },
    );
  });

  it("cuts a word longer than the line between characters", () => {
    const url = "https://example.org/" + "a".repeat(200);
    const lines = lay([{ kind: "text", text: url, marks: plain }], 150);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.map(lineText).join("")).toBe(url);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(150.001);
  });

  it("breaks a word wider than the line after a / or . (its tokens), not between its letters", () => {
    const url = "https://github.com/jesseduffield/lazygit/tree/master/docs/Fixup_Commits.md";
    const lines = lay([{ kind: "text", text: `See ${url} for more`, marks: plain }], 150);
    expect(lines.map(lineText).join("").replace(/ /g, "")).toBe(`See${url}formore`);
    for (const line of lines) expect(line.width).toBeLessThanOrEqual(150.001);
    // Every line ends with a whole word or at a token joint of the address, never inside a token.
    for (const line of lines) expect(lineText(line).trim()).toMatch(/(?:^|\s)(?:See|for|more)$|[/.\-]$|Fixup_Commits\.md$/);
  });

  it("draws Arabic with a font that has it, as one right-to-left segment per phrase", () => {
    const lines = lay([{ kind: "text", text: "name الهول الكبير is", marks: plain }], 400);
    const rtl = lines[0]!.segments.filter((segment) => segment.rtl);
    expect(rtl.map((segment) => segment.text.trim())).toEqual(["الهول الكبير"]);
    expect(rtl[0]!.face).toMatch(/DejaVuSans\.ttf$/);
    expect(fonts.uncovered).toEqual([]);
  });

  it("a hard break starts a new line", () => {
    const lines = lay([{ kind: "text", text: "one", marks: plain }, { kind: "break" }, { kind: "text", text: "two", marks: plain }], 400);
    expect(lines.map(lineText)).toEqual(["one", "two"]);
  });
});

describe("PageComposer.drawFlowingLines (widows and orphans)", () => {
  function setup(linesThatFit: number): { composer: PageComposer; doc: PDFKit.PDFDocument; element: ReturnType<typeof createStruct> } {
    const doc = newDocument();
    const root = createStruct(doc, "Document");
    addRootStructure(doc, root);
    const element = createStruct(doc, "P");
    root.add(element);
    const composer = new PageComposer(doc, new FontBook(doc), pageGeometry("A4"));
    composer.y = composer.geometry.bottom - linesThatFit * textStyles.body.lineHeight - 0.5;
    return { composer, doc, element };
  }
  const lines = (count: number): Line[] => Array.from({ length: count }, () => ({ segments: [], width: 0, height: textStyles.body.lineHeight }));
  const onNewPage = (composer: PageComposer, count: number): number => Math.round((composer.y - composer.geometry.top) / textStyles.body.lineHeight) - 0 * count;

  it.each([
    // [lines in the paragraph, lines that fit, lines expected on the new page]
    [5, 1, 5], // one line would be an orphan: the whole paragraph moves
    [3, 2, 3], // two would leave a one-line widow, one would be an orphan: it moves
    [4, 3, 2], // three fit but would leave a widow: two stay, two go
    [6, 3, 3],
    [2, 2, 0], // fits
  ])("%i lines with room for %i → %i on the next page", (count, fit, next) => {
    const { composer, doc, element } = setup(fit);
    composer.drawFlowingLines(lines(count), { x: composer.geometry.left, element });
    const pages = doc.bufferedPageRange().count;
    expect(pages).toBe(next === 0 ? 1 : 2);
    if (next > 0) expect(onNewPage(composer, count)).toBe(next);
  });
});
