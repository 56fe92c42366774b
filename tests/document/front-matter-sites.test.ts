// Front matter as static-site generators and Pandoc write it: real blocks copied from public
// repositories (each names its source), read into the model and back out of the EPUB and PDF.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/messages.js";
import type { LecternDocument } from "../../src/document/model.js";
import { parseFrontMatter } from "../../src/document/front-matter.js";
import { checkOverrides } from "../../src/document/metadata-sources.js";
import { parseSource } from "../../src/document/read.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { pdfStage } from "../../src/stages/pdf/index.js";
import { fakeContext, openEpub } from "../helpers/epub.js";
import { readPdfStructure } from "../helpers/pdf.js";

function read(frontMatter: string) {
  const all: Message[] = [];
  const document = parseSource(`---\n${frontMatter.trim()}\n---\n\nSome words of the page itself.\n`, "/tmp/page.md", "markdown", all);
  // The page is six words: too few to tell its language, which is another test's concern.
  const messages = all.filter((message) => message.rule !== "language-undetected");
  return { document, messages, rules: messages.map((message) => message.rule) };
}

// gohugoio/hugoDocs content/en/content-management/front-matter.md (Hugo's own documentation).
const hugoDocs = `
title: Front matter
description: Use front matter to add metadata to your content.
categories: []
keywords: [front matter, metadata]
aliases: [/content/front-matter/]
`;
// YDD9/YDD9-YDD9.github.io _posts/2016-12-07-welcome-to-jekyll.markdown (Jekyll's new-site post).
const jekyllPost = `
layout: post
title:  "Welcome to Jekyll!"
date:   2016-12-07 14:51:39 +0100
categories: jekyll update
`;
// brandonling27/personal-website _posts/2026-02-09-welcome-to-jekyll.markdown: a zone west of UTC.
const jekyllWest = `
layout: default
title: "Welcome to Jekyll!"
date: 2026-02-09 14:05:57 -0500
categories: jekyll update
`;
// facebook/docusaurus website/blog/releases/3.0/index.mdx: authors are keys of authors.yml.
const docusaurusRelease = `
title: Announcing Docusaurus 3.0
authors:
  - slorber
tags: [release]
image: ./img/social-card.png
date: 2023-10-25
unlisted: true
`;
// facebook/docusaurus, the new-site tutorial's blog/2021-02-28-greetings.md: inline authors.
const docusaurusGreetings = `
slug: greetings
title: Greetings!
authors:
  - name: Joel Marcey
    title: Co-creator of Docusaurus 1
    url: https://github.com/JoelMarcey
    image_url: https://github.com/JoelMarcey.png
  - name: Sébastien Lorber
    title: Docusaurus maintainer
    url: https://sebastienlorber.com
    image_url: https://github.com/slorber.png
tags: [greetings]
`;
// jgm/pandoc MANUAL.txt, Extension: yaml_metadata_block (its closing \`...\` is \`---\` here, as remark needs).
const pandocManual = `
title:  'This is the title: it contains a colon'
author:
- Author One
- Author Two
keywords: [nothing, nothingness]
abstract: |
  This is the abstract.

  It consists of two paragraphs.
`;

describe("real front matter", () => {
  it("Hugo's docs: title, description, keywords (an empty `categories` adds none)", () => {
    const { document, messages } = read(hugoDocs);
    expect(document.metadata).toMatchObject({ title: "Front matter", description: "Use front matter to add metadata to your content.", keywords: ["front matter", "metadata"] });
    expect(document.metadataSources?.keywords).toBe("front matter");
    expect(messages).toEqual([]);
  });

  it("Jekyll's post: the day as written in its own zone, categories split at spaces", () => {
    expect(read(jekyllPost).document.metadata).toMatchObject({ title: "Welcome to Jekyll!", date: "2016-12-07", keywords: ["jekyll", "update"] });
    expect(read(jekyllWest).document.metadata.date).toBe("2026-02-09");
  });

  it("Docusaurus authors.yml keys are left out with a warning naming them; tags are keywords", () => {
    const { document, messages } = read(docusaurusRelease);
    expect(document.metadata.author).toBeUndefined();
    expect(document.metadata.keywords).toEqual(["release"]);
    expect(messages.map((message) => [message.rule, message.line])).toEqual([["front-matter-author-key", 3]]);
    expect(messages[0]!.reason).toBe(
      "`authors` in front matter names `slorber`: a key of the site's authors.yml, which Lectern does not read; left out (write the name, e.g. `author: Jane Doe`)",
    );
  });

  it("Docusaurus inline authors: their names", () => {
    expect(read(docusaurusGreetings).document.metadata).toMatchObject({ title: "Greetings!", author: "Joel Marcey and Sébastien Lorber", keywords: ["greetings"] });
  });

  it("Pandoc's manual: a list of authors, keywords, the abstract as the description", () => {
    expect(read(pandocManual).document.metadata).toMatchObject({
      title: "This is the title: it contains a colon",
      author: "Author One and Author Two",
      keywords: ["nothing", "nothingness"],
      description: "This is the abstract. It consists of two paragraphs.",
    });
  });
});

describe("authors, dates, keywords and drafts in every shape", () => {
  it("an author as a mapping (Jekyll), with affiliation (Pandoc), or given names and surname (Pandoc JATS)", () => {
    expect(read("author:\n  name: Jane Doe\n  email: jane@example.org").document.metadata.author).toBe("Jane Doe");
    expect(read("author:\n  - name: Jane Doe\n    affiliation: Example University\n  - name: John Roe").document.metadata.author).toBe("Jane Doe and John Roe");
    expect(read("author:\n  - given-names: Josiah\n    surname: Carberry").document.metadata.author).toBe("Josiah Carberry");
  });

  it("a one-word name under `authors` stays a name; a mapping without a name is an error with its line", () => {
    expect(read("authors: [Madonna, 李明]").document.metadata.author).toBe("Madonna and 李明");
    expect(() => read("title: T\nauthor:\n  twitter: jdoe")).toThrow(/Expected `author` in front matter to be text or a list of names \(or of `name:` entries\)/);
  });

  it("a date with a time and zone keeps its own day, also as a YAML 1.1 timestamp", () => {
    expect(read("date: 2023-04-05T23:30:00-05:00").document.metadata.date).toBe("2023-04-05");
    expect(read("date: 2023-04-06T00:30:00+02:00").document.metadata.date).toBe("2023-04-06");
    // A metadata file may declare YAML 1.1, whose timestamps the parser reads as instants in UTC.
    const { metadata } = parseFrontMatter("%YAML 1.1\n---\ndate: 2023-04-05T23:30:00-05:00\n", "/tmp/meta.yaml", 0, { where: "in meta.yaml", rulePrefix: "metadata" });
    expect(metadata.date).toBe("2023-04-05");
  });

  it("tags, keywords and categories together, cleaned, without repeats", () => {
    const { document } = read('keywords: "Soil, compost"\ntags: [soil, "winter\\u202E", 2023]\ncategories: Gardening');
    expect(document.metadata.keywords).toEqual(["Soil", "compost", "winter", "2023", "Gardening"]);
  });

  it("past 50 keywords the rest are left out with a warning; a keyword past 100 characters is cut", () => {
    const many = read(`tags: [${Array.from({ length: 60 }, (_, index) => `t${index}`).join(", ")}]`);
    expect(many.document.metadata.keywords).toHaveLength(50);
    expect(many.rules).toEqual(["front-matter-too-many-keywords"]);
    const long = read(`tags: ["${"word ".repeat(40)}"]`);
    expect(long.document.metadata.keywords![0]!.length).toBeLessThanOrEqual(100);
    expect(long.rules).toEqual(["front-matter-too-long"]);
  });

  it("`--metadata keywords=a,b` on the command line wins over the front matter's tags", () => {
    const messages: Message[] = [];
    const overrides = checkOverrides({ keywords: "soil, winter" }, "command line", "/tmp/page.md", messages);
    const document = parseSource("---\ntags: [other]\n---\n\nWords.\n", "/tmp/page.md", "markdown", messages, { overrides, files: [] });
    expect(document.metadata.keywords).toEqual(["soil", "winter"]);
    expect(document.metadataSources?.keywords).toBe("command line");
  });

  it("a keyword list of mappings is an error naming the key", () => {
    expect(() => read("tags:\n  - name: x")).toThrow(/Expected `tags` in front matter to be a word or a list of words/);
  });

  it("`draft: true` is converted with a warning and its line; `draft: false` says nothing", () => {
    const draft = read("title: T\ndraft: true");
    expect(draft.messages.map((message) => [message.rule, message.line])).toEqual([["front-matter-draft", 3]]);
    expect(read("title: T\ndraft: false").messages).toEqual([]);
  });
});

describe("keywords in the outputs", () => {
  let document: LecternDocument;
  let outDir: string;
  beforeAll(async () => {
    document = read(`title: Soil\n${'tags: [soil, compost, "leaf & mould"]'}`).document;
    outDir = await mkdtemp(join(tmpdir(), "lectern-keywords-"));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("one EPUB dc:subject each, in order", async () => {
    const result = await epubStage.write(document, fakeContext(outDir));
    const epub = await openEpub(join(outDir, String(result.manifest.path)));
    expect(epub.metadata("dc:subject")).toEqual(["soil", "compost", "leaf & mould"]);
  });

  it("the PDF's Info /Keywords and XMP pdf:Keywords, the same text", async () => {
    const result = await pdfStage.write(document, fakeContext(outDir));
    const pdf = await readPdfStructure(join(outDir, String(result.manifest.path)));
    expect(pdf.info.Keywords).toBe("soil, compost, leaf & mould");
    expect(pdf.xmp).toContain("<pdf:Keywords>soil, compost, leaf &amp; mould</pdf:Keywords>");
  });
});
