// MDX pages (Docusaurus): `.mdx` is read as Markdown; imports/exports and `mdx-code-block`
// fences are taken out with one warning, `:::` admonitions become labelled block quotes.
// The fixture is the reviewer's reconstruction of a Docusaurus doc page (installation.mdx).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Blockquote, Paragraph, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { findSources } from "../../src/batch.js";
import { readDocument } from "../../src/document/read.js";
import { parseMarkdown } from "../../src/document/markdown.js";
import { scriptText, sectionSpeech } from "../../src/document/speech/index.js";
import type { LecternDocument } from "../../src/document/model.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { byName, fakeContext, openEpub } from "../helpers/epub.js";

const page = join(import.meta.dirname, "../fixtures/markdown/mdx/installation.mdx");
const blocksOf = (document: LecternDocument): RootContent[] => document.sections.flatMap((section) => [...section.blocks]);
const speech = (document: LecternDocument) => document.sections.map((section) => scriptText(sectionSpeech(document, section))).join("\n");

describe("a Docusaurus doc page (.mdx)", () => {
  it("is read as Markdown, alone and in a folder build", async () => {
    const { document } = await readDocument(page);
    expect(document.metadata.title).toBe("Installation");
    expect(document.sections.map((section) => section.title)).toEqual(["Installation", "Requirements", "Scaffold project website"]);
    const { files } = await findSources(join(import.meta.dirname, "../fixtures/markdown/mdx"));
    expect(files.map((file) => file.split(/[\\/]/).at(-1))).toEqual(["installation.mdx"]);
  });

  it("drops imports and mdx-code-block fences with one warning at the first one's line", async () => {
    const { document, messages } = await readDocument(page);
    const text = blocksOf(document)
      .map((block) => toString(block))
      .join("\n");
    expect(text).not.toMatch(/import |@theme|BrowserWindow/);
    expect(blocksOf(document).some((block) => block.type === "code" && block.lang === "mdx-code-block")).toBe(false);
    const warnings = messages.filter((message) => message.rule === "mdx-syntax-removed");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: "warning", line: 10 });
    expect(warnings[0]!.reason).toMatch(/2 import\/export statements and 1 `mdx-code-block` fence removed.*2 admonitions/);
    expect(speech(document)).not.toMatch(/:::|import|Tabs|TabItem/);
  });

  it("turns admonitions into block quotes labelled with their kind or their title, heard as such", async () => {
    const { document } = await readDocument(page);
    const quotes = blocksOf(document).filter((block): block is Blockquote => block.type === "blockquote");
    expect(quotes.map((quote) => toString(quote.children[0]!).split("\n")[0])).toEqual(["Tip", "Info"]);
    expect(toString(quotes[1]!)).toContain("This command will install all the necessary dependencies.");
    expect(speech(document)).toMatch(/Quote:\nTip\.\nUse the Fast Track/);
  });
});

describe("the EPUB of a Docusaurus doc page", () => {
  it("shows each admonition as a block quote with its label, and no import, JSX tag or fence wrapper", async () => {
    const { document } = await readDocument(page);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-mdx-epub-"));
    try {
      const result = await epubStage.write(document, fakeContext(outDir));
      const epub = await openEpub(join(outDir, String(result.manifest.path)));
      const chapters = [...epub.contentDocuments.values()];
      const quotes = chapters.flatMap((chapter) => byName(chapter, "blockquote"));
      expect(quotes.map((quote) => byName(quote, "strong")[0]?.text)).toEqual(["Tip", "Info"]);
      const text = chapters.map((chapter) => chapter.text).join("\n");
      expect(text).toContain("npx create-docusaurus@latest my-website classic");
      expect(text).not.toMatch(/import |@theme|BrowserWindow|:::|mdx-code-block/);
      expect(chapters.flatMap((chapter) => [...byName(chapter, "tabs"), ...byName(chapter, "tabitem")])).toEqual([]);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});

describe("MDX edge cases", () => {
  const parse = (source: string) => parseMarkdown(source, "page.mdx");

  it("a titled admonition, nested ones and one without a blank line keep their lines and labels", () => {
    const source = ["::::warning[Mind the gap]", "Outer text.", "", ":::note", "Inner text.", ":::", "::::", "", "After."].join("\n");
    const { tree } = parse(source);
    const outer = tree.children[0] as Blockquote;
    expect(outer.type).toBe("blockquote");
    // The label is a paragraph of its own, even with the text right under the opener.
    expect(outer.children.slice(0, 2).map((child) => [child.type, toString(child)])).toEqual([
      ["paragraph", "Mind the gap"],
      ["paragraph", "Outer text."],
    ]);
    expect(outer.children[1]!.position?.start.line).toBe(2);
    const inner = outer.children.find((child) => child.type === "blockquote") as Blockquote;
    expect(inner.children.map((child) => toString(child))).toEqual(["Note", "Inner text."]);
    expect(tree.children.at(-1)).toMatchObject({ type: "paragraph", position: { start: { line: 9 } } });
  });

  it("leaves code, prose that says import, unknown `:::` kinds and unclosed openers alone", () => {
    const source = [
      "import the data first, then export it.",
      "",
      "```mdx",
      ":::tip",
      "import X from 'x';",
      ":::",
      "```",
      "",
      ":::unknown",
      "text",
      ":::",
      "",
      ":::tip",
      "never closed",
    ].join("\n");
    const { tree, messages } = parse(source);
    expect(messages).toEqual([]);
    expect(tree.children.some((node) => node.type === "blockquote")).toBe(false);
    expect(toString(tree.children[0]!)).toBe("import the data first, then export it.");
    expect(tree.children[1]).toMatchObject({ type: "code", value: ":::tip\nimport X from 'x';\n:::" });
  });

  it("an untitled admonition's label is in the document's language; a given title stays as written", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-mdx-"));
    const french = "La documentation explique comment installer le site sur votre machine, puis comment le publier pour vos lecteurs.";
    await writeFile(join(folder, "page.mdx"), `---\nlang: fr\n---\n\n# Installation\n\n${french}\n\n:::tip\n${french}\n:::\n\n:::warning Mise en garde\n${french}\n:::\n`);
    const { document } = await readDocument(join(folder, "page.mdx"));
    const labels = blocksOf(document)
      .filter((block): block is Blockquote => block.type === "blockquote")
      .map((quote) => toString((quote.children[0] as Paragraph).children[0]!));
    expect(labels).toEqual(["Astuce", "Mise en garde"]);
    expect(speech(document)).toMatch(/Citation[\s\u00a0\u202f]*:\nAstuce\.\nLa documentation/);
    // English stays English, and the parse shared with other readers is not changed.
    const english = await readDocument(page);
    expect(
      blocksOf(english.document)
        .filter((block) => block.type === "blockquote")
        .map((quote) => toString((quote as Blockquote).children[0]!)),
    ).toEqual(["Tip", "Info"]);
  });

  it("an .md page of a Docusaurus site gets the same treatment", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-mdx-"));
    await writeFile(join(folder, "doc.md"), "# Doc\n\nimport A from '@site/a';\n\nSome words in the page body here.\n\n:::caution\nCareful.\n:::\n");
    const { document } = await readDocument(join(folder, "doc.md"));
    expect(blocksOf(document).map((block) => block.type)).toEqual(["paragraph", "blockquote"]);
  });
});
