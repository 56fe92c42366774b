// Hostile input the review found: XML specials (`]]>` above all) in every field, and raw HTML
// the parser accepts but EPUB's XHTML does not (orphan list items, `<hr>` in a heading,
// `lang="en_US"`, a note reference to no note). Each book must parse file by file with a strict
// XML parser and pass EPUBCheck without a message.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { bookLanguageTag, repairLanguageTags } from "../../src/stages/epub/content-model.js";
import { element } from "../../src/stages/epub/hast-builders.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { byName, epubCheckMessages, findAll, localName, openEpubBytes, type OpenedEpub } from "../helpers/epub.js";

const specials = "]]> <b>&amp; \"q\" 'a' -- ?> <!-- x";

/** Every XML file of the package, parsed strictly (throws on the first ill-formed one). */
function parseEveryXmlFile(epub: OpenedEpub): string[] {
  const xmlFiles = epub.entries.filter((entry) => /\.(xhtml|opf|ncx|svg|xml)$/.test(entry));
  for (const file of xmlFiles) epub.xml(file);
  return xmlFiles;
}

describe("EPUB stage with XML specials in every field", () => {
  let folder: string;
  let epub: OpenedEpub;
  const warnings: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-epub-hostile-"));
    const yaml = (value: string) => JSON.stringify(value);
    await writeFile(
      join(folder, "book.md"),
      [
        "---",
        `title: ${yaml(`Title ${specials}`)}`,
        `author: ${yaml(`Author ${specials}`)}`,
        `description: ${yaml(`Description ${specials}`)}`,
        `source: ${yaml(`Cited from ${specials}`)}`,
        `publisher: ${yaml(`Publisher ${specials}`)}`,
        "lang: en",
        "---",
        "",
        `Lead text ${specials.replace(/</g, "\\<")} and a note[^n].`,
        "",
        "## Section ]]> one & \\<two>",
        "",
        "```xml",
        "<![CDATA[ if (a[b[0]]>c) { x--; } ]]>",
        "```",
        "",
        "Inline `a[b[c]]>d` and text ]]> too.",
        "",
        `![alt ]]> & "quoted" <text>](missing]]>.png)`,
        "",
        '[a link](https://example.org/?q=]]>&x="y")',
        "",
        "[^n]: The note ]]> says & \\<so>.",
        "",
      ].join("\n"),
    );
    // The specials as typed: curling would turn the quotes and `--` this test is about into other characters.
    const { document } = await readDocument(join(folder, "book.md"), { smartTypography: false });
    const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: (rule, reason) => warnings.push(`${rule}: ${reason}`) });
    epub = openEpubBytes(bytes);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("writes every XML file well-formed (OPF, NCX, nav, chapters, cover SVG)", () => {
    const files = parseEveryXmlFile(epub);
    expect(files).toEqual(expect.arrayContaining(["OEBPS/content.opf", "OEBPS/toc.ncx", "OEBPS/toc.xhtml", "OEBPS/images/cover.svg"]));
  });

  it("keeps the text exact: `]]>` reads back as written", () => {
    expect(epub.metadata("dc:title")).toEqual([`Title ${specials}`]);
    expect(epub.metadata("dc:creator")).toEqual([`Author ${specials}`]);
    expect(epub.metadata("dc:description")).toEqual([`Description ${specials}`]);
    expect(epub.xml("OEBPS/images/cover.svg").text).toContain("]]>");
    const all = [...epub.contentDocuments.values()].map((document) => document.text).join("\n");
    expect(all).toContain("<![CDATA[ if (a[b[0]]>c) { x--; } ]]>");
    expect(all).toContain("a[b[c]]>d");
    expect(all).toContain("The note ]]> says & <so>.");
    expect(epub.toc.map((entry) => entry.label)).toContain("Section ]]> one & <two>");
  });

  it("passes EPUBCheck without a message", async () => {
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });
});

describe("EPUB stage with raw HTML that XHTML's content model rejects", () => {
  let folder: string;
  let epub: OpenedEpub;
  const warnings: { rule: string; reason: string; line?: number }[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-epub-content-model-"));
    await writeFile(
      join(folder, "book.md"),
      [
        "---",
        "title: Content model",
        "lang: en_US",
        "date: 12026-01-05",
        "source: https://example.org/a page with spaces.html",
        "---",
        "",
        "Opening words[^empty] of the book[^real].",
        "",
        "## Orphans",
        "",
        '<p lang="en_US">American words</p>',
        "",
        '<span lang="not a tag!">Untagged words</span>',
        "",
        "<div><li>Lonely item one</li><li>Lonely item two</li></div>",
        "",
        "<div><dd>Lonely definition</dd><dt>Lonely term</dt></div>",
        "",
        "<div><figcaption>Lonely caption</figcaption></div>",
        "",
        "<p>Lonely <rt>ruby text</rt> here</p>",
        "",
        "<ul><p>Paragraph in a list</p><li>Real item</li></ul>",
        "",
        "<h3>Heading <hr> with a rule</h3>",
        "",
        "<p><span>Block <div>inside</div> a span</span></p>",
        "",
        '<p>A raw note reference<a href="#fn1" epub:type="noteref">1</a> and another<sup><a href="#fn-7" epub:type="noteref" role="doc-noteref">7</a></sup>.</p>',
        "",
        '<p><a href="https://example.org/a b">spaced link</a> and <a href="https://exa mple.org/">broken host</a>.</p>',
        "",
        "[^empty]:",
        "",
        "[^real]: A real note.",
        "",
      ].join("\n"),
    );
    const { document } = await readDocument(join(folder, "book.md"));
    const { bytes } = await renderEpub(document, {
      now: new Date("+012026-01-05T00:00:00Z"),
      report: (rule, reason, line) => warnings.push({ rule, reason, ...(line ? { line } : {}) }),
    });
    epub = openEpubBytes(bytes);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("passes EPUBCheck without a message", async () => {
    parseEveryXmlFile(epub);
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });

  it("writes BCP 47 language tags only: `en_US` → `en-US`, a non-tag dropped", () => {
    expect(epub.metadata("dc:language")).toEqual(["en-US"]);
    expect(epub.opf.attributes["xml:lang"]).toBe("en-US");
    const chapters = [...epub.contentDocuments.values()];
    const langs = chapters.flatMap((document) => findAll(document, (node) => node.attributes.lang !== undefined).map((node) => node.attributes.lang));
    expect(new Set(langs)).toEqual(new Set(["en-US"]));
    const all = chapters.map((document) => document.text).join("\n");
    expect(all).toContain("Untagged words");
    expect(
      warnings
        .filter((warning) => warning.rule === "html-sanitized")
        .map((warning) => warning.reason)
        .join("\n"),
    ).toContain('lang="not a tag!"');
  });

  it("keeps the text of orphan list items, definitions, captions and ruby text, repaired, and says where", () => {
    const all = [...epub.contentDocuments.values()].map((document) => document.text).join("\n");
    for (const words of [
      "Lonely item one",
      "Lonely item two",
      "Lonely definition",
      "Lonely term",
      "Lonely caption",
      "ruby text",
      "Paragraph in a list",
      "Heading",
      "with a rule",
      "inside",
    ]) {
      expect(all).toContain(words);
    }
    for (const document of epub.contentDocuments.values()) {
      for (const heading of findAll(document, (node) => /^h[1-6]$/.test(localName(node)))) expect(byName(heading, "hr")).toEqual([]);
      for (const item of byName(document, "li")) expect(item).toBeDefined();
    }
    const repaired = warnings.filter((warning) => warning.rule === "html-sanitized" && warning.reason.includes("repaired"));
    expect(repaired.length).toBeGreaterThanOrEqual(6);
    expect(repaired.every((warning) => (warning.line ?? 0) > 8)).toBe(true);
    // Repaired, not said to be removed.
    expect(repaired.map((warning) => warning.reason).join("\n")).not.toMatch(/<(li|dd|dt|figcaption|rt|hr)> removed/);
  });

  it("makes no empty footnote: a raw note reference to no note, or an empty note, is reported and left out", () => {
    const asides = [...epub.contentDocuments.values()].flatMap((document) => byName(document, "aside"));
    expect(asides.map((aside) => aside.text.replace(/\s+/g, " ").trim())).toEqual([expect.stringContaining("A real note.")]);
    const noterefs = [...epub.contentDocuments.values()].flatMap((document) => findAll(document, (node) => node.attributes["epub:type"] === "noteref"));
    expect(noterefs).toHaveLength(1);
    const rules = warnings.map((warning) => warning.rule);
    expect(rules).toEqual(expect.arrayContaining(["footnote-empty", "footnote-undefined"]));
  });

  it("percent-encodes a source and links with spaces, drops the one that is no URL, and leaves out a date past 9999", () => {
    const titlePage = [...epub.contentDocuments.entries()].find(([path]) => path.endsWith("titlepage.xhtml"))![1];
    const hrefs = [...epub.contentDocuments.values()].flatMap((document) => byName(document, "a").map((link) => link.attributes.href ?? ""));
    expect(byName(titlePage, "a").map((link) => link.attributes.href)).toContain("https://example.org/a%20page%20with%20spaces.html");
    expect(hrefs).toContain("https://example.org/a%20b");
    expect(hrefs.some((href) => href.includes("exa mple"))).toBe(false);
    expect(epub.metadata("dc:date")).toEqual([]);
    // The clock is held to what a zip entry can date (DOS time ends in 2107), and the OPF to four-digit years.
    expect(epub.metadata("dcterms:modified")).toEqual(["2107-12-31T23:59:58Z"]);
    expect(warnings.map((warning) => warning.rule)).toEqual(expect.arrayContaining(["link-invalid"]));
  });
});

/** RFC 5646 `langtag` (grandfathered and private-use-only tags aside), as EPUBCheck checks `xml:lang`. */
const bcp47 = /^[a-zA-Z]{2,8}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-([a-zA-Z\d]{5,8}|\d[a-zA-Z\d]{3}))*(-[0-9a-wyzA-WYZ](-[a-zA-Z\d]{2,8})+)*(-x(-[a-zA-Z\d]{1,8})+)?$/;

describe("language tags the EPUB writes", () => {
  it("are BCP 47 whatever the document or its raw HTML says", () => {
    const tag = fc.oneof(
      fc.string({ maxLength: 16 }),
      fc.constantFrom("en_US", "EN-us", "zh_Hant_TW", "sr-Latn-RS", "x-klingon", "i-klingon", "en--US", "toolongsubtag", "de-CH-1996", "und"),
    );
    fc.assert(
      fc.property(tag, (value) => {
        expect(bookLanguageTag(value)).toMatch(bcp47);
        const tree = { type: "root" as const, children: [element("span", { lang: value })] };
        repairLanguageTags(tree);
        const lang = tree.children[0]!.properties.lang;
        if (lang !== undefined) expect(lang === "" || bcp47.test(String(lang)), String(lang)).toBe(true);
      }),
      { numRuns: 500, seed: 5646 },
    );
  });
});

describe("EPUB stage with raw HTML that breaks XHTML's nesting, attribute and order rules", () => {
  let folder: string;
  let epub: OpenedEpub;
  let all: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-epub-nesting-"));
    await writeFile(
      join(folder, "book.md"),
      [
        "---",
        "title: Nesting",
        "lang: en",
        "---",
        "",
        "Opening words.",
        "",
        "## Nesting",
        "",
        "<dfn><dfn>Inner definition</dfn></dfn>",
        "",
        "<p><dfn>Outer <b><dfn>deep definition</dfn></b></dfn></p>",
        "",
        '<bdo>No direction</bdo> <bdo dir="sideways">Sideways</bdo> <bdo dir="auto">Auto</bdo> <bdo dir="rtl">Forced</bdo> <bdo dir="LTR">Upper case</bdo>',
        "",
        "Inline <ruby>漢<rt>kan</rt></ruby> ruby in a paragraph.",
        "",
        '<time datetime="2026-01-05"><time datetime="2026">Inner time</time></time>',
        "",
        '<time datetime="2026-99-99">Bad date</time> <time datetime="2026-02-30">February 30</time> <time datetime="24:61">Bad time</time> <time datetime="2024-02-29">Leap day</time>',
        "",
        '<ins datetime="12:00">Time only</ins> <del datetime="2026">Year only</del> <del datetime="2026-01-05T10:00Z">Full</del>',
        "",
        "<table><caption><table><tr><td>Table in caption</td></tr></table></caption><tr><td>x</td></tr></table>",
        "",
        "<dl><dt><h3>Heading in term</h3></dt><dd>d</dd></dl>",
        "",
        "<table><tr><th><h2>Heading in cell</h2></th><td>x</td></tr></table>",
        "",
        "<table><tbody><tr><td>Body</td></tr></tbody><thead><tr><th>Head after body</th></tr></thead><thead><tr><th>Second head</th></tr></thead></table>",
        "",
        "<table><caption>First caption</caption><tr><td>x</td></tr><caption>Second caption</caption><colgroup><col></colgroup></table>",
        "",
        "<table><tfoot><tr><td>Foot first</td></tr></tfoot><tbody><tr><td>Row</td></tr></tbody><tfoot><tr><td>Foot two</td></tr></tfoot></table>",
        "",
        '<table><tr><td colspan="5000" rowspan="70000">Big spans</td></tr></table>',
        "",
        "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> <ruby>Base only</ruby> <ruby><rt>Annotation only</rt></ruby> <ruby>字<rt>ji</rt> Trailing base</ruby>",
        "",
        "<dl><dd>Definition first</dd><dt>Then a term</dt></dl>",
        "",
        "<dl><dt>Term only</dt></dl>",
        "",
        '<header>Header words</header><footer>Footer words</footer><address>Address words</address><label>Label words</label><button>Button words</button><details><summary>Summary words</summary>Details words</details><picture><source srcset="x.png">Picture words</picture>',
        "",
        "<dl><div><dt>Grouped term</dt><dd>Grouped definition</dd></div><dt>Mixed term</dt><dd>Mixed definition</dd><div>Loose text</div></dl>",
        "",
      ].join("\n"),
    );
    const { document } = await readDocument(join(folder, "book.md"));
    const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: (rule, reason) => warnings.push(`${rule}: ${reason}`) });
    epub = openEpubBytes(bytes);
    all = [...epub.contentDocuments.values()].map((document) => document.text).join("\n");
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("passes EPUBCheck without a message", async () => {
    parseEveryXmlFile(epub);
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });

  it("keeps every word", () => {
    for (const words of [
      "Inner definition",
      "deep definition",
      "No direction",
      "Sideways",
      "Auto",
      "Forced",
      "Inner time",
      "Bad date",
      "February 30",
      "Leap day",
      "Time only",
      "Year only",
      "Table in caption",
      "Heading in term",
      "Heading in cell",
      "Head after body",
      "Second head",
      "First caption",
      "Second caption",
      "Foot first",
      "Foot two",
      "Big spans",
      "kan",
      "Base only",
      "Annotation only",
      "Trailing base",
      "Definition first",
      "Then a term",
      "Term only",
      "Grouped term",
      "Grouped definition",
      "Mixed term",
      "Loose text",
      "Header words",
      "Footer words",
      "Address words",
      "Label words",
      "Button words",
      "Summary words",
      "Details words",
      "Picture words",
    ]) {
      expect(all).toContain(words);
    }
  });

  it("unwraps what may not nest, turns a bdo without a direction into a span, drops datetimes that are no date", () => {
    const chapters = [...epub.contentDocuments.values()];
    const nested = (outer: string, inner: string) =>
      chapters.flatMap((document) => byName(document, outer).flatMap((node) => byName(node, inner).filter((found) => found !== node)));
    expect(nested("dfn", "dfn")).toEqual([]);
    expect(nested("time", "time")).toEqual([]);
    expect(nested("caption", "table")).toEqual([]);
    for (const part of ["tbody", "tr", "td"]) expect(nested("caption", part)).toEqual([]);
    // Outside the allow-list, so never nested wrongly: unwrapped by the sanitizer, their text kept.
    for (const name of ["header", "footer", "address", "label", "button", "details", "summary", "picture", "source"]) {
      expect(
        chapters.flatMap((document) => byName(document, name)),
        name,
      ).toEqual([]);
    }
    for (const cell of ["dt", "th"])
      expect(chapters.flatMap((document) => byName(document, cell).flatMap((node) => findAll(node, (child) => /^h[1-6]$/.test(localName(child)))))).toEqual([]);
    const bdos = chapters.flatMap((document) => byName(document, "bdo"));
    expect(bdos.map((bdo) => [bdo.text, bdo.attributes.dir])).toEqual([
      ["Forced", "rtl"],
      ["Upper case", "ltr"],
    ]);
    const datetimes = chapters.flatMap((document) => findAll(document, (node) => node.attributes.datetime !== undefined).map((node) => node.attributes.datetime));
    expect(datetimes.sort()).toEqual(["2024-02-29", "2026-01-05", "2026-01-05T10:00Z"]);
    expect(chapters.flatMap((document) => byName(document, "rp"))).toEqual([]);
    const spans = chapters.flatMap((document) => byName(document, "td")).find((cell) => cell.text.includes("Big spans"))!;
    expect([spans.attributes.colspan, spans.attributes.rowspan]).toEqual(["1000", "65534"]);
    expect(warnings.join("\n")).toMatch(/`<dfn>` inside `<dfn>`[\s\S]*`<bdo>` without a direction/);
    // Inline raw HTML is reported tag by tag (raw-html-report.ts): a lone `<ruby>` tag is no repair,
    // so the well-formed inline ruby draws no warning (nor, seen that way, does the base-only one).
    expect(warnings.filter((warning) => /`<ruby>` with no annotation|`<rt>` outside `<ruby>`/.test(warning))).toEqual([]);
  });

  it("holds ruby to base-then-annotation and definition lists to terms each followed by definitions", () => {
    for (const document of epub.contentDocuments.values()) {
      for (const ruby of byName(document, "ruby")) {
        // Elements only in `children`: the base is the text before the first `rt`, nothing follows the last.
        const annotations = byName(ruby, "rt");
        expect(annotations.length, ruby.text).toBeGreaterThan(0);
        expect(ruby.text.trim().endsWith(annotations.at(-1)!.text.trim()), ruby.text).toBe(true);
        expect(ruby.text.trim().startsWith(annotations[0]!.text.trim()), ruby.text).toBe(false);
      }
      for (const list of byName(document, "dl")) {
        const groups = list.children.every((child) => localName(child) === "div")
          ? list.children.map((div) => div.children.map((child) => localName(child)))
          : [list.children.map((child) => localName(child))];
        for (const group of groups) expect(group.join(" "), list.text).toMatch(/^((dt )+dd( dd)*( |$))*$/);
      }
    }
  });

  it("puts a table's parts in HTML's order: one caption first, column groups, one head, bodies, one foot", () => {
    for (const document of epub.contentDocuments.values()) {
      for (const table of byName(document, "table")) {
        const parts = table.children.map((child) => localName(child));
        const rank = { caption: 0, colgroup: 1, thead: 2, tbody: 3, tr: 3, tfoot: 4 } as Record<string, number>;
        expect(parts, parts.join()).toEqual([...parts].sort((a, b) => (rank[a] ?? 9) - (rank[b] ?? 9)));
        for (const once of ["caption", "thead", "tfoot"]) expect(parts.filter((part) => part === once).length).toBeLessThanOrEqual(1);
      }
    }
  });
});
