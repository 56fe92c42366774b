// More of what real sites write: heading attribute blocks (`{#id}`), authors written as
// Markdown links with an employer, and Hugo's TOML front matter (`+++`). The shapes are taken
// from the corpus (tests/corpus/otel-*.md, CC-BY-4.0, open-telemetry/opentelemetry.io).
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { LecternError, type Message } from "../../src/messages.js";
import { scriptText, sectionSpeech } from "../../src/document/speech/index.js";

const prose = "Las métricas son la columna vertebral cuantitativa de la observabilidad: los números que nos dicen cómo se comportan nuestros sistemas.";

describe("heading attribute blocks", () => {
  it.each([
    ["## Prérequis {#requirements}", "Prérequis"],
    ["## Errores comunes a evitar {#common-pitfalls-to-avoid}", "Errores comunes a evitar"],
    ["## Setup {: #setup .wide}", "Setup"],
    ["## Options {#options .table data-x=1}", "Options"],
    ["## Keep {braces} in words", "Keep {braces} in words"],
    ["## Sets {a, b}", "Sets {a, b}"],
  ])("%s is titled %j, in titles and in speech", (heading, title) => {
    const document = parseSource(`# Page\n\n${prose}\n\n${heading}\n\n${prose}\n`, "/tmp/page.md", "markdown");
    expect(document.sections.map((section) => section.title)).toEqual(["Page", title]);
    expect(scriptText(sectionSpeech(document, document.sections[1]!))).not.toMatch(/\{#|\{:/);
  });
});

describe("authors written in Markdown", () => {
  it.each([
    ["'[Martin Kuba](https://github.com/martinkuba) (Lightstep)'", "Martin Kuba"],
    [">-\n  [Juraci Paixão Kröhling](https://github.com/jpkrohling) (OllyGarden)", "Juraci Paixão Kröhling"],
    ["'**Jane Doe**'", "Jane Doe"],
    ["'Jane Doe (ed.)'", "Jane Doe (ed.)"],
    ["['[Ann Lee](https://a.example)', 'Bo Chen']", "Ann Lee and Bo Chen"],
  ])("author: %s is %j", (value, name) => {
    const document = parseSource(`---\nauthor: ${value}\n---\n\n${prose}\n`, "/tmp/page.md", "markdown");
    expect(document.metadata.author).toBe(name);
  });
});

describe("TOML front matter", () => {
  it("is read with the same keys and checks as YAML, the date as written in its zone", () => {
    const messages: Message[] = [];
    const document = parseSource(
      `+++\ntitle = "Cómo nombrar tus métricas"\ndate = 2023-04-05T23:30:00-05:00\ntags = ["metrics", "naming"]\nauthor = "[Juraci Paixão Kröhling](https://github.com/jpkrohling) (OllyGarden)"\ndraft = true\n+++\n\n${prose}\n\n## Unidades\n\n${prose}\n`,
      "/tmp/page.md",
      "markdown",
      messages,
    );
    expect(document.metadata).toMatchObject({ title: "Cómo nombrar tus métricas", date: "2023-04-05", keywords: ["metrics", "naming"], author: "Juraci Paixão Kröhling" });
    expect(document.metadataSources).toMatchObject({ title: "front matter", date: "front matter", author: "front matter" });
    expect(messages.filter((message) => message.rule === "front-matter-draft").map((message) => message.line)).toEqual([6]);
    // Front matter is never text: not in a section, not spoken.
    expect(document.sections.map((section) => section.title)).toEqual(["Cómo nombrar tus métricas", "Unidades"]);
    expect(scriptText(sectionSpeech(document, document.sections[0]!))).not.toMatch(/\+\+\+|draft/);
  });

  it("that does not parse is a CONFIG error with its line", () => {
    let error: unknown;
    try {
      parseSource(`+++\ntitle = "A"\ndate = \n+++\n\n${prose}\n`, "/tmp/page.md", "markdown");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LecternError);
    expect((error as LecternError).message).toMatch(/not valid TOML/);
    expect((error as LecternError).line).toBe(3);
  });
});

describe("what real posts put around their text", () => {
  const english = "The guidance computer flew every Apollo mission, and its software was written by a small team under great pressure.";

  it("a byline under the title names the author when nothing else does, with an info line", () => {
    const messages: Message[] = [];
    // tests/corpus/bssw-blog-apollo-guidance-computer.md (MIT, betterscientificsoftware/bssw.io) opens so.
    const document = parseSource(
      `# Apollo\n\n#### Contributed by [Mark C. Miller](https://github.com/markcmiller86)\n\n${english}\n\n## Rope core\n\n${english}\n`,
      "/tmp/post.md",
      "markdown",
      messages,
    );
    expect(document.metadata.author).toBe("Mark C. Miller");
    expect(document.metadataSources?.author).toBe("inferred");
    expect(messages.find((message) => message.rule === "author-from-bio")?.reason).toMatch(/taken from the byline at line 3/);
    for (const line of ["By default the camp is open.", "Written by hand in the field."]) {
      expect(parseSource(`# Apollo\n\n${line}\n\n${english}\n`, "/tmp/post.md", "markdown").metadata.author).toBeUndefined();
    }
    expect(parseSource(`---\nauthor: Ada Lovelace\n---\n\n# Apollo\n\nBy Mark Miller\n\n${english}\n`, "/tmp/post.md", "markdown").metadata.author).toBe("Ada Lovelace");
  });

  it("a byline with a date names its person; a group's byline names no author; neither is the description", () => {
    // The reviewer's /tmp/review/byline2.md: a team line, then a dated byline, then the text.
    const messages: Message[] = [];
    const document = parseSource(`# Release Notes\n\nBy Design Team\n\nPosted by Alice Smith on March 3, 2024\n\nWe shipped it.\n`, "/tmp/notes.md", "markdown", messages);
    expect(document.metadata.author).toBe("Alice Smith");
    expect(messages.find((message) => message.rule === "author-from-bio")?.reason).toMatch(/"Alice Smith" is taken from the byline at line 5/);
    expect(document.metadata.description).toBeUndefined();
    for (const line of ["By Design Team", "Written by The Editors", "By Staff", "Posted by Core Maintainers on May 2, 2024"]) {
      expect(parseSource(`# Apollo\n\n${line}\n\n${english}\n`, "/tmp/post.md", "markdown").metadata.author).toBeUndefined();
    }
    for (const line of ["Written by Jane Doe, 2024-03-03", "By Jane Doe · 5 min read", "Published by Jane Doe on 3 March 2024."]) {
      expect(parseSource(`# Apollo\n\n${line}\n\n${english}\n`, "/tmp/post.md", "markdown").metadata.author).toBe("Jane Doe");
    }
    expect(parseSource(`# Apollo\n\nPosted by Alice Smith on March 3, 2024\n\n${english}\n`, "/tmp/post.md", "markdown").metadata.description).toBe(english);
  });

  it("the description skips paragraphs that read as headings: in capitals or all bold", () => {
    for (const line of ["THE GUIDANCE COMPUTER THAT FLEW EVERY APOLLO MISSION TO THE MOON", "**What you will learn in this long guide about the guidance computer**"]) {
      expect(parseSource(`# Apollo\n\n${line}\n\n${english}\n`, "/tmp/post.md", "markdown").metadata.description).toBe(english);
    }
  });

  it("superscripts and subscripts in a title: powers as Unicode, a note call after a word left out", () => {
    const document = parseSource(
      `# Page\n\n${english}\n\n## A leap in FLOPS<sup>a</sup> per W, Kg, m<sup>3</sup>\n\n${english}\n\n## H<sub>2</sub>O and 2<sup>53</sup>\n\n${english}\n`,
      "/tmp/post.md",
      "markdown",
    );
    expect(document.sections.map((section) => section.title)).toEqual(["Page", "A leap in FLOPS per W, Kg, m³", "H₂O and 2⁵³"]);
  });

  it("a `## License` section holding only its licence notice stays a section of its own, not emptied", () => {
    // tests/corpus/jq-readme.md (MIT, jqlang/jq) ends so.
    const document = parseSource(
      `# jq\n\n${english}\n\n## Install\n\n${english}\n\n## License\n\n\`jq\` is released under the [MIT License](COPYING). Its documentation is licensed under the Creative Commons CC BY 3.0.\n`,
      "/tmp/readme.md",
      "markdown",
    );
    expect(document.sections.map((section) => [section.title, section.role])).toEqual([
      ["jq", "lead"],
      ["Install", "body"],
      ["License", "body"],
    ]);
    expect(document.sections.at(-1)!.words).toBeGreaterThan(10);
  });

  it("a site's own title key gives the title when there is no `title` (never `subtitle`)", () => {
    // tests/corpus/eleventy-blog-canary-v3.md (MIT, 11ty/11ty-website) names its title `newstitle:`.
    expect(parseSource(`---\nnewstitle: "Calling all courageous canary testers"\n---\n\n${english}\n`, "/tmp/canary-v3.md", "markdown").metadata.title).toBe(
      "Calling all courageous canary testers",
    );
    expect(parseSource(`---\nsubtitle: "A subtitle"\n---\n\n${english}\n`, "/tmp/canary-v3.md", "markdown").metadata.title).toBe("Canary v3");
    expect(parseSource(`---\ntitle: Real\npageTitle: SEO\n---\n\n${english}\n`, "/tmp/canary-v3.md", "markdown").metadata.title).toBe("Real");
  });
});
