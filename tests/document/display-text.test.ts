// Titles, author and description are plain, clean, bounded text in the model, and every output shows that text.
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boundDisplayText, cleanDisplayText, maxDescriptionLength, maxTitleLength } from "../../src/document/display-text.js";
import { parseSource } from "../../src/document/read.js";
import type { Message } from "../../src/messages.js";
import { build } from "../../src/pipeline.js";
import { openEpub } from "../helpers/epub.js";
import { probeMp3 } from "../helpers/mp3.js";
import { readPdfStructure, type PdfOutlineEntry } from "../helpers/pdf.js";

const markdown = (source: string, messages: Message[] = []) => parseSource(source, "/tmp/titles.md", "markdown", messages);

/** Bidi embeddings, overrides and isolates, line/paragraph separators, invisible format characters. */
const spoofing = /[\u202A-\u202E\u2066-\u2069\u2028\u2029\u200B\u200E\u200F\u061C\uFEFF\u00AD\p{Cc}]/u;

const hostile = `---
author: "Ann\\u202E Lee"
---

# The <img src=x onerror="alert(1)" alt="glued">Book <script>alert(2)</script>

Press <kbd>B</kbd> and <b onclick="steal()">hold</b> it <!-- hidden --> to read the rest of the opening paragraph.

## Chapter <img src=y onerror=alert(3)>One <style>h2{}</style>\u202Eevil\u202C

Chapter one has words in it, enough to be read aloud.

### Sub <script>alert(4)</script>\u202Eheading\u2066 <kbd>K</kbd>

Sub-section words.

## Two\u2028Lines\u0007 &amp; <template><p>never</p></template><span lang="fr">deux</span>

Chapter two has words too.
`;

describe("titles and description are plain text from the parsed HTML", () => {
  it("drops tags, scripts, styles, templates, comments and images; keeps the text of inline elements", () => {
    const document = markdown(hostile);
    expect(document.metadata.title).toBe("The Book");
    expect(document.sections.map((section) => section.title)).toEqual(["The Book", "Chapter One evil", "Two Lines & deux"]);
    expect(document.sections.map((section) => section.slug)).toEqual(["the-book", "chapter-one-evil", "two-lines--deux".replace("--", "-")]);
    expect(document.metadata.description).toBe("Press B and hold it to read the rest of the opening paragraph.");
    expect(document.metadata.author).toBe("Ann Lee");
  });

  it("a heading that is only an image is named by the image's description", () => {
    const document = markdown("## ![Chapter One](one.png)\n\nWords of the chapter.\n");
    expect(document.sections[0]!.title).toBe("Chapter One");
  });

  it("a heading that is only a raw <img> is named by its alt text", () => {
    const document = markdown('## <img src="logo.png" alt="Chapter \u202ETwo"><script>x</script>\n\nWords of the chapter.\n');
    expect(document.sections[0]!.title).toBe("Chapter Two");
  });

  it("a heading of markup alone falls back to a name", () => {
    const document = markdown("## <img src=x onerror=alert(1)><script>x</script>\n\nWords of the chapter.\n");
    expect(document.sections[0]!.title).toBe("Section 1");
    expect(document.sections[0]!.slug).toBe("section-1");
  });

  it("cleans without losing what scripts need", () => {
    // Persian's zero-width non-joiner, emoji joiners and a subdivision flag's tag characters stay.
    expect(cleanDisplayText("می\u200Cخواهم 👩\u200D💻 \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}")).toBe(
      "می\u200Cخواهم 👩\u200D💻 \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
    );
    expect(cleanDisplayText("a\u0000b\tc\u2029d\u00ADe\u200Bf\u2067g\u{E0041}h \uD800")).toBe("ab c defgh \uFFFD");
    expect(cleanDisplayText(`e${"\u0301".repeat(500)}`)).toBe(`e${"\u0301".repeat(8)}`);
  });
});

describe("titles, author and description are bounded", () => {
  it("cuts a huge heading at a word with an ellipsis, warns with its line, keeps the full text in the body", () => {
    const messages: Message[] = [];
    const words = "word ".repeat(4400).trim(); // 22 KB
    const document = markdown(`Intro paragraph.\n\n## ${words}\n\nBody text.\n`, messages);
    const title = document.sections[1]!.title;
    expect(title.length).toBeLessThanOrEqual(maxTitleLength);
    expect(title).toMatch(/^word( word)*…$/);
    const warning = messages.find((message) => message.rule === "title-too-long");
    expect(warning?.line).toBe(3);
    expect(warning?.reason).toMatch(/21,999 characters long; its first 300/);
    expect(document.sections[1]!.heading!.children).toEqual([expect.objectContaining({ value: words })]);
  });

  it("a huge `# title` stays in the body as a heading; the document title is the cut one", () => {
    const words = "long ".repeat(1000).trim();
    const document = markdown(`# ${words}\n\nSome text here.\n`);
    expect(document.metadata.title.length).toBeLessThanOrEqual(maxTitleLength);
    // The lone top `#` is never a section level (issue 13): it stays as a heading in the lead's body.
    expect(document.sections.flatMap((section) => section.blocks).some((block) => block.type === "heading" && block.depth === 1)).toBe(true);
  });

  it("front matter title, author and description are cut with a warning naming the key and line", () => {
    const messages: Message[] = [];
    const document = markdown(`---\ntitle: ${"T".repeat(50_000)}\nauthor: [${"A".repeat(5000)}, Bo Chen]\ndescription: ${"d ".repeat(5000)}\n---\n\nText.\n`, messages);
    expect(document.metadata.title.length).toBeLessThanOrEqual(maxTitleLength);
    expect(document.metadata.author!.length).toBeLessThanOrEqual(200 + " and Bo Chen".length);
    expect(document.metadata.author).toMatch(/… and Bo Chen$/);
    expect(document.metadata.description!.length).toBeLessThanOrEqual(maxDescriptionLength);
    const warnings = messages.filter((message) => message.rule === "front-matter-too-long");
    expect(warnings.map((warning) => warning.line)).toEqual([2, 3, 4]);
  });

  it("a plain-text title line too long is cut", () => {
    const messages: Message[] = [];
    const document = parseSource(
      `Title: ${"Big ".repeat(200)}\n\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\nSome words of the book itself go here.\n`,
      "/tmp/book.txt",
      "text",
      messages,
    );
    expect(document.metadata.title.length).toBeLessThanOrEqual(maxTitleLength);
    expect(messages.find((message) => message.rule === "title-too-long")?.line).toBe(1);
  });

  it("boundDisplayText never splits a grapheme and never returns more than the limit", () => {
    const flags = "🇫🇷".repeat(200);
    const cut = boundDisplayText(flags, 51);
    expect(cut.text.length).toBeLessThanOrEqual(51);
    expect(cut.text).toBe(`${"🇫🇷".repeat(12)}…`);
    const joined = "👩\u200D".repeat(400);
    expect(boundDisplayText(joined, 300).text.length).toBeLessThanOrEqual(300);
  });
});

function outlineTitles(entries: readonly PdfOutlineEntry[]): string[] {
  return entries.flatMap((entry) => [entry.title, ...outlineTitles(entry.children)]);
}

describe("every output shows the clean title and description", () => {
  it("EPUB nav, titles and dc:description; PDF bookmarks, Info and XMP; M3U, VTT, ID3 and file names", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-titles-"));
    const source = join(folder, "hostile.md");
    await writeFile(source, hostile);
    const outDir = join(folder, "out");
    const result = await build(source, { outDir, cacheDir: false, concurrency: 2 });
    expect(result.ok).toBe(true);

    const leaked = (text: string) => {
      expect(text).not.toMatch(/<img|onerror|<script|alert\(|<kbd|<style|<template|never|glued/);
      expect(text).not.toMatch(spoofing);
    };

    const epub = await openEpub(join(outDir, "hostile.epub"));
    const navLabels = epub.toc.flatMap(function labels(entry): string[] {
      return [entry.label, ...entry.children.flatMap(labels)];
    });
    expect(navLabels).toEqual(expect.arrayContaining(["The Book", "Chapter One evil", "Sub heading K", "Two Lines & deux"]));
    for (const label of navLabels) leaked(label);
    expect(epub.metadata("dc:title")).toEqual(["The Book"]);
    expect(epub.metadata("dc:description")).toEqual(["Press B and hold it to read the rest of the opening paragraph."]);
    expect(epub.metadata("dc:creator")).toEqual(["Ann Lee"]);
    for (const [, document] of epub.contentDocuments) {
      const titles = document.children.flatMap((child) => child.children ?? []).filter((node) => node.name === "title");
      for (const title of titles) leaked(JSON.stringify(title));
    }

    const pdf = await readPdfStructure(join(outDir, "hostile.pdf"));
    const bookmarks = outlineTitles(pdf.outline);
    expect(bookmarks).toEqual(expect.arrayContaining(["Chapter One evil", "Sub heading K", "Two Lines & deux"]));
    for (const title of bookmarks) leaked(title);
    expect(pdf.info.Title).toBe("The Book");
    expect(pdf.info.Subject).toBe("Press B and hold it to read the rest of the opening paragraph.");
    // The packet itself opens with U+FEFF and holds line breaks; its values must hold neither markup nor bidi controls.
    const xmpValues = [...(pdf.xmp ?? "").matchAll(/<rdf:li[^>]*>([^<]*)</g)].map((match) => match[1]!);
    expect(xmpValues).toEqual(expect.arrayContaining(["The Book", "Ann Lee"]));
    for (const value of xmpValues) leaked(value);

    const audio = join(outDir, "audio");
    const files = await readdir(audio);
    for (const file of files) leaked(file);
    expect(files).toEqual(expect.arrayContaining(["hostile.m3u8", "01-the-book.mp3", "02-chapter-one-evil.mp3"]));
    for (const line of (await readFile(join(audio, "hostile.m3u8"), "utf8")).split("\n")) leaked(line);
    for (const file of files.filter((name) => name.endsWith(".vtt"))) {
      for (const line of (await readFile(join(audio, file), "utf8")).split("\n\n")[0]!.split("\n")) leaked(line);
    }
    const track = await probeMp3(join(audio, "02-chapter-one-evil.mp3"));
    expect(track.metadata.common.title).toBe("Chapter One evil");
    expect(track.metadata.common.album).toBe("The Book");
    const book = await probeMp3(join(audio, "hostile.mp3"));
    for (const chapter of book.metadata.native["ID3v2.4"] ?? book.metadata.native["ID3v2.3"] ?? []) leaked(JSON.stringify(chapter.value).slice(0, 2000));
  }, 120_000);
});
