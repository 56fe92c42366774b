// Sentence nodes with stable ids (src/document/sentences.ts): what every writer names a sentence by.
import fc from "fast-check";
import type { Nodes as HastNodes } from "hast";
import type { Nodes, PhrasingContent, RootContent } from "mdast";
import { describe, expect, it } from "vitest";
import { endsWithAbbreviation } from "../../src/document/abbreviations.js";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource, readDocument } from "../../src/document/read.js";
import { icuBreaks, isSentence, sentenceSections, type Sentence, type SentencedSection } from "../../src/document/sentences.js";
import { sectionSpeech } from "../../src/document/speech/index.js";

const markdown = (source: string, language?: string): LecternDocument =>
  parseSource(language ? `---\nlang: ${language}\n---\n\n${source}` : source, "/tmp/sentences.md", "markdown");

/** The texts of a document's units, section by section. */
const texts = (doc: LecternDocument): string[] => sentenceSections(doc).flatMap((section) => section.sentences.map((sentence) => sentence.text));

/** Every node of a tree, depth first, without recursion. */
function nodesOf(roots: readonly Nodes[]): Nodes[] {
  const found: Nodes[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    if ("children" in node) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as Nodes);
  }
  return found;
}

/** The characters of phrasing as written in the tree: text and code values (what a split must never lose). */
function characters(nodes: readonly Nodes[]): string {
  return nodesOf(nodes)
    .map((node) => (node.type === "text" || node.type === "inlineCode" ? node.value : ""))
    .join("");
}

/** Ids in the order the section's heading, blocks and footnotes hold them. */
function idsInTree(section: SentencedSection): string[] {
  const roots: Nodes[] = [...(section.heading ? [section.heading] : []), ...section.blocks, ...section.footnotes.values()];
  return nodesOf(roots).flatMap((node) =>
    isSentence(node) ? [node.data.id] : node.data && "unitId" in node.data && typeof node.data.unitId === "string" ? [node.data.unitId] : [],
  );
}

const sentencesOf = (block: RootContent | undefined): Sentence[] => (block && "children" in block ? (block.children as Nodes[]).filter(isSentence) : []);

describe("sentence ids", () => {
  const source = [
    "# Book",
    "",
    "## The U.S. Position",
    "",
    "Dr. Smith went to Washington. He said no.[^a] Then he left!",
    "",
    "- Item one. Item two.",
    "- Item three",
    "",
    "| Name | Note |",
    "|------|------|",
    "| Ada | First. Second. |",
    "",
    "```sh",
    "ls -la",
    "```",
    "",
    "<div>Some <b>HTML</b> text.</div>",
    "",
    "## Second Part",
    "",
    "More text here. And more.",
    "",
    "[^a]: A note. With two sentences.",
    "",
  ].join("\n");

  it("are stable across two reads, unique, in document order, and name the nodes in the tree", () => {
    const first = sentenceSections(markdown(source));
    const second = sentenceSections(markdown(source));
    expect(second.map((section) => section.sentences)).toEqual(first.map((section) => section.sentences));
    const ids = first.flatMap((section) => section.sentences.map((sentence) => sentence.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const section of first) {
      expect(section.sentences.map((sentence) => sentence.id)).toEqual(section.sentences.map((_, index) => `${section.section.slug}-s${index + 1}`));
      expect(idsInTree(section)).toEqual(section.sentences.map((sentence) => sentence.id));
    }
  });

  it("are computed once per document, and leave the document's blocks unchanged", () => {
    const doc = markdown(source);
    const before = JSON.stringify(doc.sections);
    expect(sentenceSections(doc)).toBe(sentenceSections(doc));
    expect(JSON.stringify(doc.sections)).toBe(before);
  });

  it("cover the heading, each sentence, list item, cell, code block, HTML block, then the section's footnotes", () => {
    const [section] = sentenceSections(markdown(source));
    expect(section!.sentences.map((sentence) => [sentence.kind, sentence.text])).toEqual([
      ["heading", "The U.S. Position"],
      ["paragraph", "Dr. Smith went to Washington."],
      ["paragraph", "He said no."],
      ["paragraph", "Then he left!"],
      ["list-item", "Item one."],
      ["list-item", "Item two."],
      ["list-item", "Item three"],
      ["table-cell", "Ada"],
      ["table-cell", "First."],
      ["table-cell", "Second."],
      ["code", "ls -la"],
      ["paragraph", "Some HTML text."],
      ["footnote", "A note."],
      ["footnote", "With two sentences."],
    ]);
    expect(section!.sentences.map((sentence) => sentence.line)).toEqual([3, 5, 5, 5, 7, 7, 8, 12, 12, 12, 14, 18, 24, 24]);
    expect([...section!.footnotes.keys()]).toEqual(["a"]);
  });

  it("render as spans with their ids through mdast-util-to-hast, with no handler of their own", async () => {
    const { toHast } = await import("mdast-util-to-hast");
    // Elements and text only: all this tree holds.
    const toHtml = (node: HastNodes): string =>
      node.type === "text"
        ? node.value
        : node.type === "element"
          ? `<${node.tagName}${node.properties.id ? ` id="${String(node.properties.id)}"` : ""}>${node.children.map(toHtml).join("")}</${node.tagName}>`
          : node.type === "root"
            ? node.children.map(toHtml).join("")
            : "";
    const [section] = sentenceSections(markdown("Intro.\n\nOne. *Two. Three.* Four.\n"));
    const html = toHtml(toHast({ type: "root", children: [...section!.blocks] }));
    expect(html).toBe(
      `<p><span id="${section!.section.slug}-s1">Intro.</span></p>\n<p><span id="${section!.section.slug}-s2">One. </span><span id="${section!.section.slug}-s3"><em>Two. </em></span><span id="${section!.section.slug}-s4"><em>Three.</em> </span><span id="${section!.section.slug}-s5">Four.</span></p>`,
    );
  });
});

describe("sentence boundaries", () => {
  it("never cross a block: a paragraph, a list item's paragraph, a cell, a heading", () => {
    const doc = markdown("## A heading. With. Stops\n\nEnds here\n\n- runs on\n- into this\n\n| a |\n|---|\n| no stop |\n| next |\n");
    expect(texts(doc)).toEqual(["A heading. With. Stops", "Ends here", "runs on", "into this", "no stop", "next"]);
  });

  it("keep a heading whole, and a cell without a full stop", () => {
    const [section] = sentenceSections(markdown("## Dr. No. The Film! Part II?\n\n| A | B |\n|---|---|\n| Mr Smith, aged 40 | x |\n"));
    expect(section!.sentences.filter((sentence) => sentence.kind === "heading").map((sentence) => sentence.text)).toEqual(["Dr. No. The Film! Part II?"]);
    expect(section!.sentences.filter((sentence) => sentence.kind === "table-cell").map((sentence) => sentence.text)).toEqual(["Mr Smith, aged 40", "x"]);
  });

  it("go on after a question or exclamation a lower-case word continues", () => {
    expect(texts(markdown("»Was ist mit mir geschehen?« dachte er. Es war kein Traum.\n", "de"))).toEqual(["»Was ist mit mir geschehen?« dachte er.", "Es war kein Traum."]);
    expect(texts(markdown('"Why?" she asked. "Stop!" He left.\n'))).toEqual(["“Why?” she asked.", "“Stop!”", "He left."]);
  });

  it("do not follow a soft line break", () => {
    expect(texts(markdown("A sentence that runs\nover two lines. And another.\n"))).toEqual(["A sentence that runs over two lines.", "And another."]);
  });

  it.each([
    ["en", "Dr. Smith met Mr. Jones in the U.S. capital, e.g. Washington. They talked.", ["Dr. Smith met Mr. Jones in the U.S. capital, e.g. Washington.", "They talked."]],
    ["en", "J. R. R. Tolkien wrote it. Read it.", ["J. R. R. Tolkien wrote it.", "Read it."]],
    ["fr", "M. Dupont est venu, p. ex. Lundi il pleuvait. Mme. Durand aussi.", ["M. Dupont est venu, p. ex. Lundi il pleuvait.", "Mme. Durand aussi."]],
    ["de", "Es gibt z. B. Wasser. Am 3. Oktober feiern wir. Dr. Müller kommt.", ["Es gibt z. B. Wasser.", "Am 3. Oktober feiern wir.", "Dr. Müller kommt."]],
    ["es", "La Sra. García llegó. El Dr. Pérez no.", ["La Sra. García llegó.", "El Dr. Pérez no."]],
    ["it", "Il Sig. Rossi e il Dott. Bianchi. Poi basta.", ["Il Sig. Rossi e il Dott. Bianchi.", "Poi basta."]],
    ["pt", "O Sr. Silva chegou. A Dra. Costa também.", ["O Sr. Silva chegou.", "A Dra. Costa também."]],
    ["nl", "Dhr. Jansen kwam, bijv. Gisteren. Het regende.", ["Dhr. Jansen kwam, bijv. Gisteren.", "Het regende."]],
  ])("in %s keep abbreviations inside their sentence: %s", (language, text, expected) => {
    expect(texts(markdown(`${text}\n`, language))).toEqual(expected);
  });

  it("use one table per language: a French abbreviation ends an English sentence", () => {
    expect(endsWithAbbreviation("Il est venu, p. ex.", "fr")).toBe(true);
    expect(endsWithAbbreviation("He came, p. ex.", "en")).toBe(false);
    expect(endsWithAbbreviation("Es gibt z. B.", "de-AT")).toBe(true);
    expect(endsWithAbbreviation("It was hydr.", "en")).toBe(false);
    expect(endsWithAbbreviation("(Dr.", "en")).toBe(true);
  });

  it("split markup a boundary falls inside, keeping its formatting on both sides", () => {
    const [section] = sentenceSections(markdown("*One. Two.* **Three _four. Five_ six.**\n"));
    const sentences = sentencesOf(section!.blocks[0]);
    expect(sentences.map((sentence) => sentence.children.map((child) => child.type))).toEqual([["emphasis"], ["emphasis", "text"], ["strong"], ["strong"]]);
    expect(sentences.map((sentence) => characters([sentence]))).toEqual(["One. ", "Two. ", "Three four. ", "Five six."]);
    const emphasis = nodesOf([sentences[3]!]).find((node) => node.type === "emphasis");
    expect(emphasis).toMatchObject({ type: "emphasis", children: [{ type: "text", value: "Five" }] });
  });

  it("never cut a link, which a screen reader would announce as two", () => {
    const [section] = sentenceSections(markdown("See [Purple. The third color](https://example.com) here. Next [one. Two][ref].\n\n[ref]: https://example.org\n"));
    expect(section!.sentences.map((sentence) => sentence.text)).toEqual(["See Purple. The third color here.", "Next one. Two."]);
    const links = nodesOf(section!.blocks as Nodes[]).filter((node) => node.type === "link" || node.type === "linkReference");
    expect(links.map((link) => characters([link]))).toEqual(["Purple. The third color", "one. Two"]);
  });

  it("keep a closing guillemet or quote with the sentence it closes, and go on after one a lower-case word follows", () => {
    expect(texts(markdown('Il a dit "Je viens." Puis il est parti.\n', "fr"))).toEqual(["Il a dit « Je viens. »", "Puis il est parti."]);
    expect(texts(markdown('"Pourquoi ?" demanda-t-il. Il part.\n', "fr"))).toEqual(["« Pourquoi ? » demanda-t-il.", "Il part."]);
    expect(texts(markdown("Il a dit « Oui. » « Non. » Fin.\n", "fr"))).toEqual(["Il a dit « Oui. »", "« Non. »", "Fin."]);
    // A mark before a letter opens a word, and stays with it.
    expect(texts(markdown("It ended. \u2019Tis time.\n"))).toEqual(["It ended.", "\u2019Tis time."]);
  });

  it("read no-break and thin spaces in an abbreviation as plain ones", () => {
    expect(texts(markdown("Voir (p.&nbsp;ex. ~/.bashrc) et voilà. Fin.\n", "fr"))).toEqual(["Voir (p. ex. ~/.bashrc) et voilà.", "Fin."]);
    expect(endsWithAbbreviation("Il est venu, p.\u00a0ex.", "fr")).toBe(true);
    expect(endsWithAbbreviation("Es gibt z.\u202fb.", "de")).toBe(true);
    expect(endsWithAbbreviation("Es gibt z.\u2009B.", "de", "Wasser")).toBe(true);
  });

  it("join a piece with nothing to say to the sentence before it, or after it when first", () => {
    expect(texts(markdown('Hello there. """. Next one.\n'))).toEqual(['Hello there. """.', "Next one."]);
    expect(texts(markdown('""". Next one. Last.\n'))).toEqual(['""". Next one.', "Last."]);
  });

  it("join a lone enumerator to the sentence it numbers", () => {
    expect(texts(markdown("**1. Build as if the attacker is fast.** Then test.\n"))).toEqual(["1. Build as if the attacker is fast.", "Then test."]);
    expect(texts(markdown("Rules: first. 2. Test it. (3) Ship it.\n"))).toEqual(["Rules: first.", "2. Test it.", "(3) Ship it."]);
    expect(texts(markdown("b) Then it ships. Done.\n"))).toEqual(["b) Then it ships.", "Done."]);
  });

  it("end a sentence at etc. before a capital, at -al. in a command, and at a single initial a sentence follows", () => {
    expect(texts(markdown("Apples, pears etc. The rest is fine. Apples etc. are good.\n"))).toEqual(["Apples, pears etc.", "The rest is fine.", "Apples etc. are good."]);
    expect(texts(markdown("Run ls -al. To iterate, go. Smith et al. Showed it.\n"))).toEqual(["Run ls -al.", "To iterate, go.", "Smith et al. Showed it."]);
    expect(texts(markdown("Use plan B. It works. See Appendix A. The results.\n"))).toEqual(["Use plan B.", "It works.", "See Appendix A.", "The results."]);
    expect(texts(markdown("J. Smith came. John F. Kennedy spoke. J. R. R. Tolkien wrote. The U.S. Army.\n"))).toEqual([
      "J. Smith came.",
      "John F. Kennedy spoke.",
      "J. R. R. Tolkien wrote.",
      "The U.S. Army.",
    ]);
    expect(texts(markdown("A plate with ‘W. RABBIT’ on it. Heng, K. (Stephen) came. He said I. That was all.\n"))).toEqual([
      "A plate with ‘W. RABBIT’ on it.",
      "Heng, K. (Stephen) came.",
      "He said I.",
      "That was all.",
    ]);
    expect(endsWithAbbreviation("Bring fruit etc.", "en")).toBe(true);
    expect(endsWithAbbreviation("Bring fruit etc.", "en", "The next")).toBe(false);
    expect(texts(markdown("Äpfel, Birnen usw. Danach kam nichts.\n", "de"))).toEqual(["Äpfel, Birnen usw.", "Danach kam nichts."]);
  });

  it("never cut inline code, and keep a footnote reference with the sentence it ends", () => {
    const [section] = sentenceSections(markdown("Run `a. B c. D` now. Done.[^n] Next.\n\n[^n]: Note.\n"));
    const sentences = sentencesOf(section!.blocks[0]);
    expect(sentences.map((sentence) => sentence.children.map((child) => child.type))).toEqual([["text", "inlineCode", "text"], ["text", "footnoteReference", "text"], ["text"]]);
    expect(section!.sentences.map((sentence) => sentence.text)).toEqual(["Run a. B c. D now.", "Done.", "Next.", "Note."]);
  });

  it("keep an inline HTML element the reader leaves raw in the sentence it opens in", () => {
    const [section] = sentenceSections(markdown("Say <abbr>Bonjour. Merci.</abbr> to all. Then go.\n"));
    expect(section!.sentences.map((sentence) => sentence.text)).toEqual(["Say Bonjour. Merci. to all.", "Then go."]);
  });

  it("split a language span (a typed node, src/document/language-spans.ts) like emphasis, its language on both sides", () => {
    const [section] = sentenceSections(markdown('Say <span lang="fr">Bonjour. Merci.</span> Then go.\n'));
    const sentences = sentencesOf(section!.blocks[0]);
    expect(section!.sentences.map((sentence) => sentence.text)).toEqual(["Say Bonjour.", "Merci.", "Then go."]);
    const spans = sentences.slice(0, 2).map((sentence) => sentence.children.find((child) => child.type === "languageSpan"));
    expect(spans.map((span) => (span?.type === "languageSpan" ? span.data.lang : undefined))).toEqual(["fr", "fr"]);
  });

  it("give a source position to each piece of a split text", () => {
    const [section] = sentenceSections(markdown("First line. Second\nline here. Third.\n"));
    const sentences = sentencesOf(section!.blocks[0]);
    expect(sentences.map((sentence) => sentence.position?.start)).toMatchObject([
      { line: 1, column: 1 },
      { line: 1, column: 13 },
      { line: 2, column: 12 },
    ]);
  });

  // Phrasing of text, emphasis, strong, links and code, with sentence ends anywhere in it.
  const word = fc.constantFrom("One", "two", "Dr.", "U.S.", "end.", "Why?", "yes!", "z. B.", "e.g.", "x", "A.", "fin…", "“Hi.”", "3.");
  const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((list) => list.join(" "));
  const phrase: fc.Arbitrary<string> = fc.letrec((tie) => ({
    phrase: fc.oneof(
      { depthSize: "small" },
      words,
      tie("phrase").map((inner) => `*${inner}*`),
      tie("phrase").map((inner) => `**${inner}**`),
      tie("phrase").map((inner) => `[${inner}](https://example.com)`),
      words.map((inner) => `\`${inner}\``),
      fc.tuple(tie("phrase"), tie("phrase")).map(([a, b]) => `${a} ${b}`),
    ),
  })).phrase as fc.Arbitrary<string>;

  it("lose no character: the sentence nodes of a block hold exactly the block's text (property)", () => {
    fc.assert(
      fc.property(phrase, fc.constantFrom("en", "de", "fr"), (text, language) => {
        // A word first, so no generated text opens a list ("3.") instead of a paragraph.
        const doc = markdown(`Now ${text}\n`, language);
        const original = doc.sections.flatMap((section) => section.blocks);
        const sentenced = sentenceSections(doc).flatMap((section) => section.blocks);
        expect(sentenced).toHaveLength(original.length);
        sentenced.forEach((block, index) => {
          if (!("children" in block)) return;
          const children = block.children as PhrasingContent[];
          if (block.type === "paragraph") expect(children.every(isSentence)).toBe(true);
          expect(characters(children)).toBe(characters([original[index]!]));
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("hostile input stays linear", () => {
  it("finds ICU's breaks window by window exactly as in one piece (property)", () => {
    const piece = fc.constantFrom("Go. ", "Dr. ", "and so on ", "(yes.) ", "Why? ", "“Hi.” ", "x ", "   ", "e.g. ", "End.\u00A0", "A");
    fc.assert(
      fc.property(fc.array(piece, { minLength: 900, maxLength: 3_000 }), fc.constantFrom("en", "de"), (pieces, language) => {
        const text = pieces.join("");
        const whole = [...new Intl.Segmenter(language, { granularity: "sentence" }).segment(text)].map((segment) => segment.index).filter((index) => index > 0);
        expect(icuBreaks(text, language)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });

  // Each would take minutes if splitting sliced or scanned the text once per sentence.
  it("a 200 KB paragraph, 10,000 one-word sentences, and emphasis nested deep", () => {
    const long = `${"word ".repeat(40_000)}end.\n`;
    expect(sentenceSections(markdown(long))[0]!.sentences).toHaveLength(1);

    // 200 KB of 50,000 sentences: slicing the text before each break would copy gigabytes.
    const short = `${"Go. ".repeat(50_000)}\n`;
    expect(sentenceSections(markdown(short))[0]!.sentences).toHaveLength(50_000);

    const many = `${Array.from({ length: 10_000 }, (_, index) => `W${index}.`).join(" ")}\n`;
    const [section] = sentenceSections(markdown(many));
    expect(section!.sentences).toHaveLength(10_000);
    expect(section!.sentences.at(-1)!.text).toBe("W9999.");

    // As deep as the reader allows (src/document/nesting.ts), a sentence ending at every level.
    const nested = `${"*Go. ".repeat(90)}End.${"*".repeat(90)}\n`;
    const deep = sentenceSections(markdown(nested))[0]!;
    expect(characters(deep.blocks as Nodes[])).toBe(characters(markdown(nested).sections[0]!.blocks as Nodes[]));
    expect(deep.sentences).toHaveLength(91);

    // Every break moved past a closing guillemet, or joined because its piece has nothing to say.
    const quoted = sentenceSections(markdown(`${"« Go. » ".repeat(20_000)}\n`, "fr"))[0]!;
    expect(quoted.sentences).toHaveLength(20_000);
    expect(quoted.sentences.at(-1)!.text).toBe("« Go. »");
    expect(sentenceSections(markdown(`Start. ${"!. ".repeat(50_000)}\n`))[0]!.sentences).toHaveLength(1);

    const emphasised = `${Array.from({ length: 10_000 }, (_, index) => `W${index}.`).join(" ")}`;
    const inside = sentenceSections(markdown(`*${emphasised}*\n`))[0]!;
    expect(inside.sentences).toHaveLength(10_000);
    expect(sentencesOf(inside.blocks[0]).every((sentence) => sentence.children[0]!.type === "emphasis")).toBe(true);
  });
});

describe("speech reads the sentence nodes", () => {
  it.each(["../fixtures/every-construct/document.md", "../corpus/nvm-readme.md", "../corpus/otel-docs-fr-php-zero-code.md", "../corpus/gutenberg-yellow-wallpaper.txt"])(
    "%s: every utterance with an id voices a unit of its section, each in one run of utterances, in document order",
    async (file) => {
      const { document } = await readDocument(new URL(file, import.meta.url).pathname);
      for (const sentenced of sentenceSections(document)) {
        const ids = sentenced.sentences.map((sentence) => sentence.id);
        // A unit's utterances are adjacent (an announcement joins the unit it introduces): one run each.
        const spoken = sectionSpeech(document, sentenced.section, { readCode: "all" })
          .flatMap((utterance) => (utterance.id === undefined ? [] : [utterance.id]))
          .filter((id, index, all) => index === 0 || all[index - 1] !== id);
        expect(new Set(spoken).size).toBe(spoken.length);
        const positions = spoken.map((id) => ids.indexOf(id));
        expect(positions.every((position) => position >= 0)).toBe(true);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
    },
  );

  it("reads a list item's number and a note's number before its first sentence, not in its caption", () => {
    const doc = markdown("Intro text.[^n]\n\n1. First. Second.\n\n[^n]: The note. Its end.\n");
    const utterances = sectionSpeech(doc, doc.sections[0]!).filter((utterance) => utterance.id !== undefined && utterance.kind !== "announcement");
    expect(utterances.map((utterance) => [utterance.kind, utterance.segments.map((segment) => segment.text).join(" "), utterance.caption?.[0]])).toEqual([
      ["paragraph", "Intro text.", "Intro text."],
      ["list-item", "one: First.", "First."],
      ["list-item", "Second.", "Second."],
      ["footnote", "Note one: The note.", "The note."],
      ["footnote", "Its end.", "Its end."],
    ]);
    expect(utterances.map((utterance) => utterance.id)).toEqual(sentenceSections(doc)[0]!.sentences.map((sentence) => sentence.id));
  });

  it("one utterance per sentence, with its id and written text, a short pause between, the paragraph's after the last", () => {
    const doc = markdown("## Title Here\n\nUp to 20,000 left. Dr. Lee counted them.\n\n| Name | Age |\n|---|---|\n| Ada | 36 |\n");
    const [section] = sentenceSections(doc);
    const utterances = sectionSpeech(doc, doc.sections[0]!);
    const voiced = utterances.filter((utterance) => utterance.id !== undefined && utterance.kind !== "announcement");
    expect(voiced.map((utterance) => utterance.id)).toEqual(section!.sentences.map((sentence) => sentence.id));
    // A caption shows the sentence as written, without the column's name Lectern says before a cell.
    expect(voiced.map((utterance) => utterance.caption)).toEqual([["Title Here."], ["Up to 20,000 left."], ["Dr. Lee counted them."], ["Ada."], ["36."]]);
    const [, first, second] = voiced;
    expect(first!.pauseAfterMs).toBeLessThan(second!.pauseAfterMs);
    // Lectern's own announcement of the table is no sentence of the text: it joins the first cell's unit, whose clip plays it.
    expect(utterances.find((utterance) => utterance.kind === "announcement")!.id).toBe(section!.sentences[3]!.id);
    expect(
      voiced
        .at(-1)!
        .segments.map((segment) => segment.text)
        .join(" "),
    ).toBe("Age: thirty-six.");
  });
});
