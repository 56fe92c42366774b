// Hugo shortcodes and Jekyll Liquid in Markdown (issue 13): removed outside code with one
// warning naming them; a Hugo `figure` whose file is there becomes an image.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Code, InlineCode, Paragraph, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource, readDocument } from "../../src/document/read.js";
import { scriptText, sectionSpeech } from "../../src/document/speech/index.js";
import type { LecternDocument } from "../../src/document/model.js";
import type { Message } from "../../src/messages.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { byName, fakeContext, openEpub, type OpenedEpub } from "../helpers/epub.js";

const hugoPage = join(import.meta.dirname, "../fixtures/markdown/hugo-page/index.md");
const blocksOf = (document: LecternDocument): RootContent[] => document.sections.flatMap((section) => [...section.blocks]);
const bodyText = (document: LecternDocument) =>
  blocksOf(document)
    .map((block) => toString(block))
    .join("\n");
/** The text outside code blocks, where template syntax is removed. */
const proseText = (document: LecternDocument) =>
  blocksOf(document)
    .filter((block) => block.type !== "code")
    .map((block) => toString(block))
    .join("\n");
const speech = (document: LecternDocument) => document.sections.map((section) => scriptText(sectionSpeech(document, section))).join("\n");

describe("a Hugo and Jekyll page", () => {
  let document: LecternDocument;
  let messages: Message[];
  let outDir: string;
  let epub: OpenedEpub;
  let epubMessages: readonly Message[];

  beforeAll(async () => {
    ({ document, messages } = await readDocument(hugoPage));
    outDir = await mkdtemp(join(tmpdir(), "lectern-site-syntax-"));
    const context = fakeContext(outDir);
    const result = await epubStage.write(document, context);
    epubMessages = context.messages;
    epub = await openEpub(join(outDir, String(result.manifest.path)));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("removes shortcodes and Liquid outside code, with one warning naming them at the first one's line", () => {
    const text = proseText(document);
    expect(text).not.toMatch(/youtube|notice|relative_url|site\.title|gist|\{%|endraw|A note for editors/);
    expect(text).toContain("Bring water: there is no kiosk past the lighthouse.");
    const warnings = messages.filter((message) => message.rule === "site-syntax-removed");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: "warning", line: 5, column: 44 });
    for (const name of ["youtube", "notice", "gist", "site.title", '"/about" | relative_url', "raw", "comment"]) {
      expect(warnings[0]!.reason).toContain(`\`${name}\``);
    }
    expect(warnings[0]!.reason).not.toMatch(/^[^:]*`figure`/);
    expect(warnings[0]!.reason).toMatch(/^4 Hugo shortcodes .*, 2 Liquid expressions .* and 2 Liquid tags /);
  });

  it("never touches code spans, code blocks or front matter", () => {
    const blocks = blocksOf(document);
    const inline = blocks.flatMap((block) => (block.type === "paragraph" ? block.children : [])).filter((node): node is InlineCode => node.type === "inlineCode");
    expect(inline.map((node) => node.value)).toEqual(["{{< keep >}}"]);
    expect(blocks.filter((block): block is Code => block.type === "code").map((block) => block.value)).toEqual(["{% include note.html %}"]);
    expect(document.metadata.title).toBe("Harbour Walks");
  });

  it("keeps `{% raw %}` bodies and Hugo's escaped shortcodes as written", () => {
    const text = bodyText(document);
    expect(text).toContain("Templates write {{ page.title }} to print the title.");
    // The apostrophe is curled (src/document/typography.ts); the shortcode's quotes are as written.
    expect(text).toContain('Hugo’s own docs write {{< figure src="x" >}} to show a shortcode.');
    expect(text).toContain("The path is closed in winter.");
  });

  it("keeps every source line where it was, and leaves no indentation that would make code", () => {
    const last = blocksOf(document).find((block) => toString(block).startsWith("The last line"))!;
    expect(last.position?.start.line).toBe(31);
    const gist = blocksOf(document).find((block) => toString(block).includes("The text after it stays"))!;
    expect(gist.type).toBe("paragraph");
  });

  it("a `figure` becomes an image: packaged in the EPUB with its description and caption when its file is there, else its description with the stage's warning", () => {
    const figures = blocksOf(document).filter((block): block is Paragraph => block.type === "paragraph" && block.children[0]?.type === "image");
    expect(figures.map((figure) => figure.children[0])).toMatchObject([
      { type: "image", url: "images/red-square.png", alt: "A red square marking the start", title: "Where the walk begins" },
      { type: "image", url: "images/missing.png", alt: "A missing photo" },
    ]);
    expect(epubMessages.filter((message) => message.rule === "image-missing")).toHaveLength(1);
    expect(epub.manifest.filter((item) => item.mediaType === "image/png" && !item.properties.includes("cover-image"))).toHaveLength(1);
    const chapters = [...epub.contentDocuments.values()];
    const images = chapters.flatMap((chapter) => byName(chapter, "img"));
    expect(images.map((image) => image.attributes.alt)).toContain("A red square marking the start");
    expect(chapters.flatMap((chapter) => byName(chapter, "figcaption")).map((caption) => caption.text)).toEqual(["Where the walk begins"]);
    expect(chapters.map((chapter) => chapter.text).join("\n")).not.toMatch(/\{\{[<%] *(youtube|figure src="\/|notice|gist)|site\.title/);
  });

  it("is not read aloud", () => {
    const said = speech(document);
    expect(said).not.toMatch(/youtube|notice|relative|site\.title|gist|endraw|A note for editors/i);
    expect(said).toContain("Read the about page on.");
    expect(said).toContain("Image: A red square marking the start.");
  });
});

describe("template syntax edge cases", () => {
  const read = (source: string, messages: Message[] = []) => parseSource(source, "/tmp/site/page.md", "markdown", messages);

  it("a page without template syntax gets no warning", () => {
    const messages: Message[] = [];
    read("# Plain\n\nA page with {braces} and {single} ones, and a % sign.\n", messages);
    expect(messages.filter((message) => message.rule === "site-syntax-removed")).toEqual([]);
  });

  it("an opener without its closer, or with a blank line inside, is text", () => {
    const messages: Message[] = [];
    const document = read("Set {{ it here.\n\nAnd {% this\n\ncontinues %} there, and {{< a\n\nb >}}.\n", messages);
    expect(bodyText(document)).toContain("Set {{ it here.");
    expect(bodyText(document)).toContain("And {% this");
    expect(messages.filter((message) => message.rule === "site-syntax-removed")).toEqual([]);
  });

  it("many unclosed openers are read in one pass and kept as text", () => {
    const document = read(`Braces: ${"{{ ".repeat(50_000)}end.\n`);
    expect(bodyText(document).length).toBeGreaterThan(100_000);
  });

  it("a figure pointing outside the document's folder or at the web is an image the stages refuse; one without a src is removed", async () => {
    const messages: Message[] = [];
    const document = read(
      '{{< figure src="../../etc/passwd" alt="x" >}}\n\n{{< figure src="https://example.org/a.png" alt="y" >}}\n\n{{< figure alt="z" >}}\n\nWords here.\n',
      messages,
    );
    const images = blocksOf(document)
      .flatMap((block) => (block.type === "paragraph" ? block.children : []))
      .filter((node) => node.type === "image");
    expect(images.map((image) => image.url)).toEqual(["../../etc/passwd", "https://example.org/a.png"]);
    expect(messages.find((message) => message.rule === "site-syntax-removed")?.reason).toMatch(/^1 Hugo shortcode \(`figure`\)/);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-figure-outside-"));
    try {
      const context = fakeContext(outDir);
      const result = await epubStage.write(document, context);
      const epub = await openEpub(join(outDir, String(result.manifest.path)));
      expect(epub.manifest.filter((item) => item.mediaType.startsWith("image/") && !item.properties.includes("cover-image"))).toEqual([]);
      expect(context.messages.map((message) => message.rule)).toEqual(expect.arrayContaining(["image-outside-folder", "image-remote-dropped"]));
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it("Jekyll's `{% highlight %}` and Hugo's `{{< highlight >}}` become code blocks, their code as written", () => {
    const messages: Message[] = [];
    const document = read(
      'Intro words.\n\n{% highlight ruby linenos %}\nputs "{{ x }}"\nputs `y`\n{% endhighlight %}\n\n{{< highlight go "linenos=table" >}}\nfmt.Println("{{< x >}}")\n{{< /highlight >}}\n\nAfter.\n',
      messages,
    );
    const code = blocksOf(document).filter((block): block is Code => block.type === "code");
    expect(code.map((block) => [block.lang, block.value])).toEqual([
      ["ruby", 'puts "{{ x }}"\nputs `y`'],
      ["go", 'fmt.Println("{{< x >}}")'],
    ]);
    expect(code[1]!.position?.start.line).toBe(8);
    expect(messages.filter((message) => message.rule === "site-syntax-removed")).toEqual([]);
  });

  it("many `{% raw %}` without an end are removed one by one, in one pass", () => {
    const messages: Message[] = [];
    const document = read(`Words ${"{% raw %}a ".repeat(20_000)}end.\n`, messages);
    expect(bodyText(document)).not.toContain("{%");
    expect(messages.find((message) => message.rule === "site-syntax-removed")?.reason).toMatch(/^20,?000 Liquid tags \(`raw`\)/);
  });

  it("inline code and indented code keep template syntax; a `{% comment %}` spanning lines goes whole", () => {
    const document = read("Use `{{ site.url }}` here.\n\n    {% include x.html %}\n\n{% comment %}\nline one\nline two\n{% endcomment %}\nAfter.\n");
    const blocks = blocksOf(document);
    expect(blocks.find((block): block is Code => block.type === "code")?.value).toBe("{% include x.html %}");
    expect(bodyText(document)).toContain("{{ site.url }}");
    expect(bodyText(document)).not.toContain("line one");
    expect(blocks.find((block) => toString(block) === "After.")?.position?.start.line).toBe(9);
  });
});

describe("MDN reference macros", () => {
  // The shapes of mdn/translated-content files/fr/web/html/element/table/index.md (CC-BY-SA-2.5).
  it("keep the name they stand for, so the sentence keeps its words; other macros are removed", () => {
    const messages: Message[] = [];
    const document = parseSource(
      '{{HTMLSidebar}}\n\nL\'élément {{HTMLElement("table")}} devrait être stylisé avec les propriétés {{cssxref("text-align")}} et {{Glossary("CSS", "feuilles de style")}}, pas {{Deprecated_inline}} ainsi.\n',
      "/tmp/mdn.md",
      "markdown",
      messages,
    );
    const paragraph = JSON.stringify(document.sections[0]!.blocks);
    expect(paragraph).toContain('"type":"inlineCode","value":"<table>"');
    expect(paragraph).toContain('"type":"inlineCode","value":"text-align"');
    expect(scriptText(sectionSpeech(document, document.sections[0]!))).toMatch(/propriétés .*text.*align.* et feuilles de style, pas ainsi/);
    const removed = messages.find((message) => message.rule === "site-syntax-removed")!;
    expect(removed.reason).toMatch(/^2 Liquid expressions \(`HTMLSidebar`, `Deprecated_inline`\) removed/);
  });
});
