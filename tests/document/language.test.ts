// Language detection: a document that declares no language is tagged, voiced, numbered and laid
// out in the language its prose is written in — read back from the EPUB, the PDF, the speech
// script and the manifest — or, when the prose is too short to tell, in English with a warning.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guessLanguage, minimumLetters, proseSample, sampleWindows, windowCharacters, bcp47FromIso6393 } from "../../src/document/language.js";
import { parseSource, readDocument } from "../../src/document/read.js";
import { scriptText, sectionSpeech } from "../../src/document/speech/index.js";
import type { Message } from "../../src/messages.js";
import { build } from "../../src/pipeline.js";
import { openEpub } from "../helpers/epub.js";
import { readPdfStructure } from "../helpers/pdf.js";
import * as texts from "./language-texts.js";

const words = (text: string, count: number) => text.split(/\s+/).slice(0, count).join(" ");

/** A French page as it arrives from a site export: a title, a few sections, no `lang`. */
const frenchPage = [
  "# Le Tour du monde en quatre-vingts jours",
  "",
  texts.frenchVerne,
  "",
  "## Article premier",
  "",
  texts.frenchDeclaration[0],
  "",
  "## Les droits naturels",
  "",
  `- ${texts.frenchDeclaration[1]}`,
  `- ${texts.frenchDeclaration[2]}`,
  "",
  texts.frenchDeclaration[3],
  "",
].join("\n");

/** A German plain-text file: a title line, then Kafka's first paragraphs. */
const germanText = `Die Verwandlung\n\n${texts.germanKafka.join("\n\n")}\n\n${texts.germanBasicLaw}\n`;

function read(text: string, name = "page.md") {
  const messages: Message[] = [];
  const document = parseSource(text, `/virtual/${name}`, name.endsWith(".txt") ? "text" : "markdown", messages);
  const languageMessages = messages.filter((message) => message.rule.startsWith("language-"));
  return { document, messages: languageMessages };
}

describe("franc on real paragraphs, with Lectern's candidate languages", () => {
  it.each(Object.entries(texts.textsByLanguage).flatMap(([tag, list]) => list.map((_text, index) => [tag, index] as const)))(
    "%s text %i is detected as itself, whole and cut to its first 40 words",
    (tag, index) => {
      const text = texts.textsByLanguage[tag]![index]!;
      for (const sample of [text, words(text, 40)]) {
        const guess = guessLanguage([sample]);
        expect(guess).toMatchObject({ kind: "detected", language: tag });
      }
    },
  );

  it("does not confuse the close pairs: Spanish, Portuguese and Catalan; German and Dutch; Danish, Bokmål and Swedish", () => {
    const pairs: [string, string][] = [
      [texts.spanishConstitution, "es"],
      [texts.portugueseConstitution, "pt"],
      [texts.catalanStatute, "ca"],
      [texts.germanBasicLaw, "de"],
      [texts.dutchConstitution, "nl"],
      [texts.danishConstitution, "da"],
      [texts.norwegianConstitution, "nb"],
      [texts.swedishConstitution, "sv"],
    ];
    // The whole paragraph, and one or two sentences of it (25 words, 100–160 letters).
    for (const [text, tag] of pairs) {
      expect(guessLanguage([text]), tag).toMatchObject({ kind: "detected", language: tag });
      expect(guessLanguage([words(text, 25)]), `${tag}, 25 words`).toMatchObject({ kind: "detected", language: tag });
    }
  });

  it("refuses to guess under the letter threshold, and between two languages mixed half and half", () => {
    expect(guessLanguage(["Remember to buy milk and call the plumber."])).toMatchObject({ kind: "too-little" });
    expect(guessLanguage([words(texts.danishAndersen, 15)])).toMatchObject({ kind: "too-little" });
    const mixed = `${words(texts.danishConstitution, 30)} ${words(texts.norwegianConstitution, 30)}`;
    expect(guessLanguage([mixed])).toMatchObject({ kind: "too-close", candidates: ["da", "nb"] });
    expect(minimumLetters).toBe(100);
  });

  it("maps ISO 639-3 to the BCP 47 tag outputs use: the 639-1 code where there is one, the macrolanguage's for Mandarin and Standard Arabic", () => {
    expect(["fra", "deu", "cmn", "arb", "nob", "pes", "ceb"].map(bcp47FromIso6393)).toEqual(["fr", "de", "zh", "ar", "nb", "fa", "ceb"]);
  });

  it("answers scripts with one language from the script, in a short text too", () => {
    expect(
      guessLanguage([
        "Οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα δικαιώματα. Είναι προικισμένοι με λογική και συνείδηση, και οφείλουν να συμπεριφέρονται μεταξύ τους με πνεύμα αδελφοσύνης.",
      ]),
    ).toMatchObject({ kind: "detected", language: "el" });
  });
});

describe("what is sampled", () => {
  it("is the prose a listener hears: not code blocks, inline code, URLs, raw HTML or badges", () => {
    const readme = [
      "# tool",
      "",
      "[![Build](https://ci.example.org/badge.svg)](https://ci.example.org) [![npm](https://img.example.org/npm.svg)](https://npm.example.org)",
      "",
      "Ce programme convertit un document en livre. Voir https://example.org/documentation/installation/guide-complet pour les détails.",
      "",
      "```sh",
      "npm install --save-dev the-tool && npx the-tool build --out output --formats epub,pdf",
      "```",
      "",
      '<div align="center"><img src="logo.png" alt="The tool logo"></div>',
      "",
      "Lancez `npx the-tool build --watch` et ouvrez le fichier.",
      "",
    ].join("\n");
    const { document } = read(readme);
    const sample = proseSample(document.sections).join(" ");
    expect(sample).toContain("Ce programme convertit un document en livre.");
    expect(sample).toContain("Lancez et ouvrez le fichier.");
    for (const absent of ["npm install", "https://", "example.org", "Build", "logo", "--watch", "div"]) expect(sample).not.toContain(absent);
  });

  it("is bounded, and spread from the start to the end of a long book", () => {
    const chapter = (index: number) => `## Kapitel ${index}\n\n${texts.germanKafka.join("\n\n")}\n\n`;
    const book =
      Array.from({ length: 4000 }, (_, index) => chapter(index + 1)).join("") + "## Schluss\n\nDas Ende des Buches ist hier erreicht, und die letzte Seite ist gelesen.\n";
    const { document, messages } = read(book);
    const sample = proseSample(document.sections);
    expect(book.length).toBeGreaterThan(3_000_000);
    expect(sample.length).toBeLessThanOrEqual(sampleWindows);
    for (const window of sample) expect(window.length).toBeLessThanOrEqual(windowCharacters);
    // The chapters the windows read from: the first, and some near the end.
    const chapters = sample.flatMap((window) => [...window.matchAll(/Kapitel (\d+)/g)].map((match) => Number(match[1])));
    expect(chapters[0]).toBe(1);
    expect(Math.max(...chapters)).toBeGreaterThan(3500);
    expect(document.metadata.language).toBe("de");
    expect(messages.map((message) => message.rule)).toEqual(["language-detected"]);
  });
});

describe("the reader decides the language once", () => {
  it("a French page without lang is French, with an info line saying so and how to change it", () => {
    const { document, messages } = read(frenchPage);
    expect(document.metadata.language).toBe("fr");
    expect(document.metadataSources?.language).toBe("detected");
    expect(messages).toEqual([
      { severity: "info", rule: "language-detected", reason: "no lang given; the text reads as French (fr), use --lang to set it", source: "read", file: "/virtual/page.md" },
    ]);
  });

  it("a German .txt without a Language: header is German", () => {
    const { document, messages } = read(germanText, "verwandlung.txt");
    expect(document.metadata.language).toBe("de");
    expect(document.metadataSources?.language).toBe("detected");
    expect(messages.map((message) => message.reason)).toEqual(["no lang given; the text reads as German (de), use --lang to set it"]);
  });

  it.each([
    ["a short English note", "Remember to buy milk and call the plumber about the sink.\n"],
    ["a 3-word file", "Hello there, friend.\n"],
  ])("%s is English, with a warning that the language could not be told", (_name, text) => {
    const { document, messages } = read(text, "note.txt");
    expect(document.metadata.language).toBe("en");
    expect(document.metadataSources?.language).toBe("default");
    expect(messages).toEqual([
      {
        severity: "warning",
        rule: "language-undetected",
        reason: "no lang given and too little text to tell the language; it is read as English (en), use --lang to set it",
        source: "read",
        file: "/virtual/note.txt",
      },
    ]);
  });

  it("a declared language is kept as it is: no detection, no message", () => {
    const { document, messages } = read(`---\nlang: fr\n---\n\n${texts.englishAlice}\n`);
    expect(document.metadata.language).toBe("fr");
    expect(document.metadataSources?.language).toBe("front matter");
    expect(messages).toEqual([]);
    const gutenberg = read(
      `Title: Alice\nLanguage: English\n\n*** START OF THE PROJECT GUTENBERG EBOOK ALICE ***\n\n${texts.frenchVerne}\n\n*** END OF THE PROJECT GUTENBERG EBOOK ALICE ***\n`,
      "alice.txt",
    );
    expect(gutenberg.document.metadata.language).toBe("en");
    expect(gutenberg.messages).toEqual([]);
  });

  it("an English README full of code blocks is English: the code is not read", async () => {
    // The project's own README: prose around many shell and JSON blocks.
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const { document, messages } = read(readme, "README.md");
    expect(document.metadata.language).toBe("en");
    expect(messages.map((message) => message.rule)).toEqual(["language-detected"]);
    // Code whose comments and strings are French outweighs the English prose many times over.
    const codeHeavy = ["# Setup", "", "Install the tool and run it on your files, then open the output folder to find the book.", ""];
    for (let index = 0; index < 12; index++)
      codeHeavy.push("```python", `# ${texts.frenchDeclaration[index % 4]}`, `message = "${texts.frenchDeclaration[(index + 1) % 4]}"`, "```", "");
    codeHeavy.push("Each command writes its files into the folder you give it, and prints what it did.");
    const heavy = read(codeHeavy.join("\n"), "setup.md");
    expect(heavy.document.metadata.language).toBe("en");
    expect(heavy.document.metadataSources?.language).toBe("detected");
  });
});

describe("the outputs follow the detected language", () => {
  it("a French Markdown page: EPUB dc:language and xml:lang fr, PDF /Lang (fr) on A4, French speech without English number words, manifest `detected`", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-language-fr-"));
    const source = join(folder, "tour-du-monde.md");
    await writeFile(source, frenchPage);
    const outDir = join(folder, "out");
    const result = await build(source, { outDir, formats: ["epub", "pdf"], cacheDir: false });
    expect(result.ok).toBe(true);

    const epub = await openEpub(join(outDir, "tour-du-monde.epub"));
    expect(epub.metadata("dc:language")).toEqual(["fr"]);
    expect(epub.opf.attributes["xml:lang"]).toBe("fr");
    const chapters = [...epub.contentDocuments.keys()].map((path) => epub.text(path));
    expect(chapters.length).toBeGreaterThan(0);
    for (const xhtml of chapters) expect(xhtml).toMatch(/<html[^>]* xml:lang="fr"/);

    const pdf = await readPdfStructure(join(outDir, "tour-du-monde.pdf"));
    expect(pdf.language).toBe("fr");
    expect(pdf.raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);

    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.language).toBe("fr");
    expect(manifest.metadataSources.language).toBe("detected");

    const { document } = await readDocument(source);
    const lead = sectionSpeech(document, document.sections[0]!);
    expect(new Set(lead.flatMap((utterance) => utterance.segments.map((segment) => segment.language)))).toEqual(new Set(["fr"]));
    const script = scriptText(lead);
    // "en 1872, au numéro 7": an English rule table would say "eighteen seventy-two" and "seven".
    expect(script).toContain("1872");
    expect(script).toContain("numéro 7");
    expect(script).not.toMatch(/\b(?:seven|eighteen|seventy)\b/i);
  });

  it("a German .txt: EPUB and PDF de on A4, German speech, manifest `detected`", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-language-de-"));
    const source = join(folder, "verwandlung.txt");
    await writeFile(source, germanText);
    const outDir = join(folder, "out");
    const result = await build(source, { outDir, formats: ["epub", "pdf"], cacheDir: false });
    expect(result.ok).toBe(true);
    const epub = await openEpub(join(outDir, "verwandlung.epub"));
    expect(epub.metadata("dc:language")).toEqual(["de"]);
    const pdf = await readPdfStructure(join(outDir, "verwandlung.pdf"));
    expect(pdf.language).toBe("de");
    expect(pdf.raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.metadataSources.language).toBe("detected");
    const { document } = await readDocument(source);
    const languages = document.sections.flatMap((section) => sectionSpeech(document, section).flatMap((utterance) => utterance.segments.map((segment) => segment.language)));
    expect(new Set(languages)).toEqual(new Set(["de"]));
  });

  it("a short English note stays English on Letter paper, and the warning reaches the build's messages", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-language-en-"));
    const source = join(folder, "note.txt");
    await writeFile(source, "Remember to buy milk and call the plumber about the sink.\n");
    const outDir = join(folder, "out");
    const result = await build(source, { outDir, formats: ["pdf"], cacheDir: false });
    expect(result.ok).toBe(true);
    expect(result.messages.filter((message) => message.rule === "language-undetected")).toHaveLength(1);
    const pdf = await readPdfStructure(join(outDir, "note.pdf"));
    expect(pdf.language).toBe("en");
    expect(pdf.raw).toMatch(/\/MediaBox \[0 0 612 792\]/);
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.metadataSources.language).toBe("default");
  });

  it("the audio of a short French page is read with espeak's French voice (one short synthesis)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-language-audio-"));
    const source = join(folder, "article.md");
    await writeFile(source, `${texts.frenchDeclaration[0]} ${texts.frenchDeclaration[1]}\n`);
    const outDir = join(folder, "out");
    const result = await build(source, { outDir, formats: ["audio"], cacheDir: false });
    expect(result.ok).toBe(true);
    expect(result.messages.filter((message) => message.rule === "audio-language-unvoiced")).toEqual([]);
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.language).toBe("fr");
    expect(manifest.outputs.audio.voice).toMatch(/(^|\/)fr(-|$)/);
  }, 120_000);
});

describe("text that mixes scripts", () => {
  const fixture = (name: string) => join(import.meta.dirname, "../fixtures/language", name);
  it.each([
    ["rfc8259-ko-excerpt.txt", "ko"],
    ["ja-technical.md", "ja"],
  ])("%s reads as %s, not as the English of its names and header", async (name, language) => {
    const { document } = await readDocument(fixture(name));
    expect(document.metadata.language).toBe(language);
    expect(document.metadataSources?.language).toBe("detected");
  });

  it("an English text quoting a little Japanese and Greek stays English", () => {
    const text =
      "The word 木漏れ日 describes sunlight filtering through the leaves of trees, and translators have long argued about it. " +
      "Greek has a similar word, φως, for light itself, but nothing so particular. Most English readers meet such words in essays about untranslatable ideas.";
    expect(guessLanguage([text])).toMatchObject({ kind: "detected", language: "en" });
  });
});
