// Headings written as raw HTML blocks, as GitHub READMEs write them: the title and sections they are.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Heading } from "mdast";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource, readDocument } from "../../src/document/read.js";
import { scriptText, sectionSpeech } from "../../src/document/speech/index.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { byName, epubCheckMessages, fakeContext, openEpub } from "../helpers/epub.js";

const markdown = (source: string) => parseSource(source, "/tmp/readme.md", "markdown");
const titles = (document: LecternDocument) => document.sections.map((section) => section.title);
const body = "It converts one thing into another, quickly and well, on every platform.";
const speech = (document: LecternDocument) => document.sections.map((section) => scriptText(sectionSpeech(document, section))).join("\n");

describe("a README's HTML title", () => {
  it("`<h1 align=center>` after a centred logo block: the title, the logo kept in the body", () => {
    const document = markdown(`<p align="center"><img src="logo.png" alt="Acme logo" width="120"></p>\n\n<h1 align="center">Acme</h1>\n\n${body}\n\n## Install\n\nRun it.\n`);
    expect(document.metadata.title).toBe("Acme");
    expect(titles(document)).toEqual(["Acme", "Install"]);
    expect(document.sections[0]!.blocks.some((block) => block.type === "html" && block.value.includes("logo.png"))).toBe(true);
  });

  it("`<div align=center><h1>…</h1><p>tagline</p> badges</div>`: the title, the tagline and badges stay as written", () => {
    const document = markdown(
      `<div align="center">\n<h1>Acme</h1>\n<p>The tagline of the tool.</p>\n<a href="https://ci.example"><img src="https://img.shields.io/badge/build-passing-green" alt="build"></a>\n</div>\n\n${body}\n\n## Usage\n\nRun it.\n`,
    );
    expect(document.metadata.title).toBe("Acme");
    expect(titles(document)).toEqual(["Acme", "Usage"]);
    // The block around the heading stays as written, before and after it.
    const raw = document.sections[0]!.blocks.flatMap((block) => (block.type === "html" ? [block.value] : []));
    expect(raw).toEqual([
      '<div align="center">\n',
      '\n<p>The tagline of the tool.</p>\n<a href="https://ci.example"><img src="https://img.shields.io/badge/build-passing-green" alt="build"></a>\n</div>',
    ]);
    expect(speech(document).split("\n")[0]).toBe("Acme.");
  });

  it("`<h1><img …> Name</h1>`: the title is the name, the image stays in the body at its place", () => {
    const document = markdown(`<h1><img src="logo.png" alt="" width="32"> Acme</h1>\n\n${body}\n\n## Usage\n\nRun it.\n`);
    expect(document.metadata.title).toBe("Acme");
    const first = document.sections[0]!.blocks[0]!;
    expect(first.type).toBe("paragraph");
    expect(first.type === "paragraph" && first.children).toEqual([expect.objectContaining({ type: "html", value: '<img src="logo.png" alt="" width="32">' })]);
  });

  it("keeps the heading's source line", () => {
    const document = markdown(`<div align="center">\n  <img src="logo.png" alt="">\n  <h2>Install</h2>\n</div>\n\n${body}\n`);
    const section = document.sections.find((candidate) => candidate.title === "Install")!;
    expect(section.start).toEqual({ line: 3, column: 3 });
  });
});

describe("HTML headings elsewhere", () => {
  it("`<h2 align=center>` blocks are sections like `##`", () => {
    const document = markdown(`# Tool\n\n${body}\n\n<h2 align="center">Features</h2>\n\nMany.\n\n## Licence\n\nMIT.\n`);
    expect(titles(document)).toEqual(["Tool", "Features", "Licence"]);
    expect((document.sections[1]!.heading as Heading).depth).toBe(2);
  });

  it("its code, emphasis and links are Markdown's: named and read aloud in full", () => {
    const document = markdown(`# Tool\n\n${body}\n\n<h2 id="use"><a href="#use">Use</a> the <code>--fast</code> <em>flag</em></h2>\n\nMany.\n`);
    const section = document.sections[1]!;
    expect(section.title).toBe("Use the --fast flag");
    expect(section.heading!.children.map((child) => child.type)).toEqual(["link", "text", "inlineCode", "text", "emphasis"]);
    expect(scriptText(sectionSpeech(document, section)).split("\n")[0]).toMatch(/^Use the .*fast.* flag\.$/);
  });

  it("a heading inside HTML with words before it, or inside `<details>`, stays HTML", () => {
    expect(titles(markdown(`# Tool\n\n${body}\n\n<p>Read this first.</p>\n<h2>Hidden</h2>\n\n## Real\n\nText.\n`))).toEqual(["Tool", "Real"]);
    expect(titles(markdown(`# Tool\n\n${body}\n\n<details><summary>More</summary>\n<h2>Folded</h2>\n</details>\n\n## Real\n\nText.\n`))).toEqual(["Tool", "Real"]);
  });

  it("a heading written in a code block is code", () => {
    expect(titles(markdown(`# Tool\n\n${body}\n\n\`\`\`html\n<h2>Example</h2>\n\`\`\`\n`))).toEqual(["Tool"]);
  });
});

describe("in the EPUB", () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "lectern-html-title-"));
    await mkdir(join(outDir, "src"));
    await copyFile(join(import.meta.dirname, "../fixtures/every-construct/images/red-square.png"), join(outDir, "src/logo.png"));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("the logo is shown on the title page, the title is the book's, EPUBCheck is silent", async () => {
    const file = join(outDir, "src/readme.md");
    await writeFile(file, `<p align="center"><img src="logo.png" alt="Acme logo" width="120"></p>\n\n<h1 align="center">Acme</h1>\n\n${body}\n\n<h2>Install</h2>\n\nRun it.\n`);
    const { document } = await readDocument(file);
    const result = await epubStage.write(document, fakeContext(outDir));
    const epub = await openEpub(join(outDir, String(result.manifest.path)));
    expect(epub.metadata("dc:title")).toEqual(["Acme"]);
    expect(epub.toc.map((entry) => entry.label)).toEqual(["Acme", "Install"]);
    const images = [...epub.contentDocuments.values()].flatMap((chapter) => byName(chapter, "img")).map((image) => image.attributes.alt);
    expect(images).toContain("Acme logo");
    expect(await epubCheckMessages(epub.bytes)).toEqual([]);
  });
});
