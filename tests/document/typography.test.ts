// Smart typography (src/document/typography.ts) on real sentences, typed with straight quotes
// as a Markdown author would type them. Sources, all public domain:
//   en  Jane Austen, Pride and Prejudice (1813), ch. 1 (Project Gutenberg #1342).
//   fr  Voltaire, Candide (1759), ch. 1; Déclaration des droits de l'homme et du citoyen
//       (1789), art. 1.
//   de  Franz Kafka, Die Verwandlung (1915), ch. 1 (Kafka printed »…«; typed here as "…").
//   es  Miguel de Cervantes, Don Quijote (1605), I, ch. 1 (the quotes around the two names
//       are added here, as an editor would mark them).
import type { Heading, Paragraph, Text } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { sectionSpeech, utteranceText } from "../../src/document/speech/index.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { frenchQuoteSpace, placeQuotes, quotePass, quoteStyleFor, resolveQuotes, typesetString } from "../../src/document/typography.js";

const nnbsp = frenchQuoteSpace;

function read(body: string, lang: string, smart = true) {
  const source = `---\ntitle: Typography\nlang: ${lang}\n---\n\n${body}\n`;
  return parseSource(source, "/tmp/lectern-typography/doc.md", "markdown", [], { files: [] }, smart);
}

/** The text of every block of every section, joined by blank lines. */
function bodyText(body: string, lang: string, smart = true): string {
  return read(body, lang, smart)
    .sections.flatMap((section) => section.blocks.map((block) => toString(block)))
    .join("\n\n");
}

describe("quotes by language, on real sentences", () => {
  it("English: “ ” and ‘ ’, apostrophes ’ (Austen)", () => {
    expect(bodyText(`"My dear Mr. Bennet," said his lady to him one day, "have you heard that Netherfield Park is let at last?"`, "en")).toBe(
      "“My dear Mr. Bennet,” said his lady to him one day, “have you heard that Netherfield Park is let at last?”",
    );
    expect(
      bodyText(
        `"You want to tell me, and I have no objection to hearing it." This was invitation enough. "Why, my dear, you must know, Mrs. Long says that Netherfield is taken by a young man of large fortune from the north of England; that he came down on Monday in a chaise and four to see the place, and was so much delighted with it, that he agreed with Mr. Morris immediately; that he is to take possession before Michaelmas, and some of his servants are to be in the house by the end of next week." 'Tis a truth, she'd say, that Mr. Bingley's "four or five thousand a year" won't last.`,
        "en-GB",
      ),
    ).toBe(
      "“You want to tell me, and I have no objection to hearing it.” This was invitation enough. “Why, my dear, you must know, Mrs. Long says that Netherfield is taken by a young man of large fortune from the north of England; that he came down on Monday in a chaise and four to see the place, and was so much delighted with it, that he agreed with Mr. Morris immediately; that he is to take possession before Michaelmas, and some of his servants are to be in the house by the end of next week.” ‘Tis a truth, she’d say, that Mr. Bingley’s “four or five thousand a year” won’t last.",
    );
  });

  it("French: « » with a narrow no-break space inside, “ ” within, l’homme (Voltaire, the 1789 Declaration)", () => {
    expect(
      bodyText(
        `Pangloss prouvait admirablement qu'il n'y a point d'effet sans cause, et que "dans ce meilleur des mondes possibles, le château de monseigneur le baron était le plus beau des châteaux".`,
        "fr",
      ),
    ).toBe(
      `Pangloss prouvait admirablement qu’il n’y a point d’effet sans cause, et que «${nnbsp}dans ce meilleur des mondes possibles, le château de monseigneur le baron était le plus beau des châteaux${nnbsp}».`,
    );
    // A typed space inside the quotes (French keyboards' habit) becomes the narrow no-break one.
    expect(
      bodyText(`L'article premier de la "Déclaration des droits de l'homme et du citoyen" dit : " Les hommes naissent et demeurent libres et égaux en droits. "`, "fr-FR"),
    ).toBe(
      `L’article premier de la «${nnbsp}Déclaration des droits de l’homme et du citoyen${nnbsp}» dit : «${nnbsp}Les hommes naissent et demeurent libres et égaux en droits.${nnbsp}»`,
    );
    expect(bodyText(`Il dit : "C'est 'le meilleur' des mondes."`, "fr")).toBe(`Il dit : «${nnbsp}C’est “le meilleur” des mondes.${nnbsp}»`);
  });

  it("German: „ “ and ‚ ‘, the apostrophe stays ’ (Kafka)", () => {
    expect(
      bodyText(
        `"Was ist mit mir geschehen?", dachte er. Es war kein Traum. "Wie wäre es, wenn ich noch ein wenig weiterschliefe und alle Narrheiten vergäße", dachte er, aber das war gänzlich undurchführbar. Er sagte 'nein', denn wie geht's ihm?`,
        "de-DE",
      ),
    ).toBe(
      "„Was ist mit mir geschehen?“, dachte er. Es war kein Traum. „Wie wäre es, wenn ich noch ein wenig weiterschliefe und alle Narrheiten vergäße“, dachte er, aber das war gänzlich undurchführbar. Er sagte ‚nein‘, denn wie geht’s ihm?",
    );
    expect(bodyText(`"Grüezi", sagte er.`, "de-CH")).toBe("«Grüezi», sagte er.");
  });

  it("Spanish: « » then “ ” (Cervantes)", () => {
    expect(
      bodyText(
        `Quieren decir que tenía el sobrenombre de "Quijada", o "Quesada", que en esto hay alguna diferencia en los autores que deste caso escriben; aunque por conjeturas verosímiles se deja entender que se llamaba "Quijana, 'el bueno'".`,
        "es",
      ),
    ).toBe(
      "Quieren decir que tenía el sobrenombre de «Quijada», o «Quesada», que en esto hay alguna diferencia en los autores que deste caso escriben; aunque por conjeturas verosímiles se deja entender que se llamaba «Quijana, “el bueno”».",
    );
  });

  it("Portuguese by region, Italian, and a language without a known style", () => {
    expect(bodyText(`Ele disse "obrigado".`, "pt-BR")).toBe("Ele disse “obrigado”.");
    expect(bodyText(`Ele disse "obrigado".`, "pt-PT")).toBe("Ele disse «obrigado».");
    expect(bodyText(`Disse "grazie" all'amico.`, "it")).toBe("Disse «grazie» all’amico.");
    // No style for Welsh here: its straight quotes stay, its apostrophes and dashes do not.
    expect(bodyText(`Dywedodd "diolch" -- a'r ci...`, "cy")).toBe(`Dywedodd "diolch" – a’r ci…`);
    expect(quoteStyleFor("de-AT")).toBe(quoteStyleFor("de"));
    expect(quoteStyleFor("de-ch")?.double).toEqual(["«", "»"]);
  });
});

describe("apostrophes, primes, dashes and ellipses", () => {
  it("don't, l'homme, '90s, 1990's, the dogs' bowls", () => {
    expect(bodyText(`Don't go back to the '90s, or to 1990's music; the dogs' bowls are 'full'.`, "en")).toBe(
      "Don’t go back to the ’90s, or to 1990’s music; the dogs’ bowls are ‘full’.",
    );
  });

  it("feet and inches after a digit are primes, but a quote closing after a digit is a quote", () => {
    expect(bodyText(`He is 5'10" tall and the board is 8' long.`, "en")).toBe("He is 5′10″ tall and the board is 8′ long.");
    expect(bodyText(`The year was "1990" and the page '42'.`, "en")).toBe("The year was “1990” and the page ‘42’.");
  });

  it("-- is an en dash, --- an em dash, ... and . . . an ellipsis", () => {
    expect(bodyText("Pages 10--20 --- and then... nothing . . . at all.", "en")).toBe("Pages 10–20 — and then… nothing … at all.");
  });

  it("pairs quotes across emphasis and links; leaves inline code, URLs and raw HTML attributes as typed", () => {
    const text = bodyText(
      `"*Emphasised*" and "[a link](https://example.org/it's--here)" and \`echo "it's" -- ...\` and <https://example.org/a--b'c> and <abbr title="it's -- 'raw'">"HTML"</abbr>.`,
      "en",
    );
    expect(text).toBe(`“Emphasised” and “a link” and echo "it's" -- ... and https://example.org/a--b'c and <abbr title="it's -- 'raw'">“HTML”</abbr>.`);
    const paragraph = read(`"[a link](https://example.org/it's--here)"`, "en").sections[0]!.blocks.find((block) => block.type === "paragraph") as Paragraph;
    expect(paragraph.children.find((child) => child.type === "link")).toMatchObject({ url: "https://example.org/it's--here" });
  });

  it("keeps ASCII arrows and command-line options in prose as typed (template syntax: markdown-site-syntax.test.ts)", () => {
    expect(bodyText(`Click Save --> Export, or <-- back; run with --no-cache or '--verbose' -- not both.`, "en")).toBe(
      `Click Save --> Export, or <-- back; run with --no-cache or ‘--verbose’ – not both.`,
    );
  });

  it("never changes code blocks or math", () => {
    const document = read("Before.\n\n```sh\necho \"it's\" -- ... 'x'\n```\n\n$$\nf'(x) -- \"y\"\n$$\n", "en");
    const code = document.sections.flatMap((section) => section.blocks).filter((block) => block.type === "code");
    expect(code.map((block) => block.value)).toEqual([`echo "it's" -- ... 'x'`]);
  });
});

describe("titles, metadata and footnotes", () => {
  it("a section title matches its heading's text in the body; the document title is curled alike", () => {
    const source = `---\ntitle: Don't "panic"\nauthor: Flann O'Brien\nlang: en\n---\n\nLead text.\n\n## Don't say "\`x\`"\n\nBody.[^1]\n\n[^1]: A "note" -- it's short.\n`;
    const document = parseSource(source, "/tmp/lectern-typography/doc.md", "markdown");
    expect(document.metadata.title).toBe("Don’t “panic”");
    expect(document.metadata.author).toBe("Flann O’Brien");
    const section = document.sections.find((candidate) => candidate.heading)!;
    expect(section.title).toBe(toString(section.heading as Heading));
    expect(section.title).toBe("Don’t say “x”");
    // The inline code inside the heading is as typed.
    expect(((section.heading as Heading).children[1] as { value: string }).value).toBe("x");
    expect(toString(document.footnotes.get("1")!)).toBe("A “note” – it’s short.");
    // Slugs come from the typed text, so anchors do not change with --no-smart.
    const straight = parseSource(source, "/tmp/lectern-typography/doc.md", "markdown", [], { files: [] }, false);
    expect(document.sections.map((candidate) => candidate.slug)).toEqual(straight.sections.map((candidate) => candidate.slug));
  });

  it("typesetString treats a title as one paragraph", () => {
    expect(typesetString(`"Don't" -- a story...`, quoteStyleFor("en"), false)).toBe("“Don’t” – a story…");
  });
});

describe("--no-smart (smartTypography: false)", () => {
  it("keeps every straight quote, -- and ... of the source, and changes the source digest", () => {
    const body = `"Don't" -- it's 5'10"... '90s`;
    expect(bodyText(body, "en", false)).toBe(body);
    expect(read(body, "en", false).metadata.title).toBe("Typography");
    expect(read(body, "en", false).sourceDigest).not.toBe(read(body, "en", true).sourceDigest);
  });
});

describe("speech and captions read the curled text", () => {
  it("the speech text has no curly marks espeak would name, and captions show the curled text", () => {
    const document = read(`"Don't go," she said -- "it's late..." He said 'no' in the '90s.`, "en");
    const section = document.sections[0]!;
    const utterances = sectionSpeech(document, section);
    const paragraph = utterances.find((utterance) => utterance.kind === "paragraph")!;
    const spoken = utteranceText(paragraph);
    // The normalizer turns curly quotes back to straight ones and dashes and ellipses into pauses.
    expect(spoken).not.toMatch(/[“”‘’–—…]/);
    expect(spoken).toContain("Don't go");
    expect(spoken).toContain("nineties");
    expect(paragraph.caption?.join(" ")).toContain("“Don’t go,” she said – “it’s late…”");
  });

  it("French guillemets and their narrow spaces are not spoken", () => {
    const document = read(`Il dit : "Je n'y vais pas."`, "fr");
    const paragraph = sectionSpeech(document, document.sections[0]!).find((utterance) => utterance.kind === "paragraph")!;
    expect(utteranceText(paragraph)).not.toMatch(/[«»\u202F]/);
  });
});

describe("placeQuotes", () => {
  it("decides every quote of the corpus as retext-smartypants does on the whole paragraph", () => {
    const corpus = join(import.meta.dirname, "../corpus");
    const paragraphs = readdirSync(corpus)
      .filter((name) => /\.(md|txt)$/.test(name))
      .flatMap((name) => readFileSync(join(corpus, name), "utf8").split(/\n\s*\n/))
      .filter((paragraph) => /['"]/.test(paragraph));
    expect(paragraphs.length).toBeGreaterThan(1000);
    const differing = paragraphs.filter((paragraph) => placeQuotes(paragraph) !== String(quotePass.processSync(paragraph)));
    expect(differing).toEqual([]);
  });
});

describe("resolveQuotes", () => {
  it("is what the placeholders become, one character each (offsets into the block stay true)", () => {
    const style = quoteStyleFor("fr")!;
    const placeholders = "\uE000a\uE001 \uE002b\uE003 l\uE003h";
    const resolved = resolveQuotes(placeholders, style);
    expect(resolved).toBe("«a» “b” l’h");
    expect(resolved.length).toBe(placeholders.length);
    const text: Text = { type: "text", value: resolved };
    expect(text.value).not.toMatch(/[\uE000-\uE003]/);
  });
});
