// The message catalogues (src/document/words): complete in every language, plurals by CLDR, and
// speech that says Lectern's words in the document's language, or in English by the English voice.
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { sectionSpeech, utteranceText, type Utterance } from "../../src/document/speech/index.js";
import { catalogues, count, fill, spokenWordsLanguage, templateParts, wordsFor, type Words } from "../../src/document/words/index.js";

/** Every key path of a catalogue ("columns.one", "code.symbols.~"). */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key));
}

/** Every slot a template names, in every string of a catalogue. */
function slots(words: Words): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string")
      found.set(
        path,
        templateParts(value)
          .flatMap((part) => (typeof part === "string" ? [] : [part.slot]))
          .sort(),
      );
    else if (typeof value === "object" && value !== null) for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
  };
  walk(words, "");
  return found;
}

describe("the catalogues", () => {
  const english = catalogues.en!;

  it("cover English, French, German, Spanish, Italian, Portuguese and Dutch", () => {
    expect(Object.keys(catalogues).sort()).toEqual(["de", "en", "es", "fr", "it", "nl", "pt"]);
  });

  it.each(Object.keys(catalogues).filter((language) => language !== "en"))("%s has every key English has, and no other (the plural forms its language uses)", (language) => {
    const words = catalogues[language]!;
    const withoutPlurals = (paths: string[]) => paths.filter((path) => !/\.(zero|one|two|few|many)$/.test(path) && path !== "code.languageExampleAn").sort();
    expect(withoutPlurals(keyPaths(words))).toEqual(withoutPlurals(keyPaths(english)));
    // A translated template fills the same slots as the English one.
    const englishSlots = slots(english);
    for (const [path, named] of slots(words)) {
      const reference = englishSlots.get(path) ?? englishSlots.get(path.replace(/\.\w+$/, ".other"));
      expect(named, `${language} ${path}`).toEqual(reference);
    }
  });

  it("says counts with the language's plural rules and number format", () => {
    expect(count(catalogues.fr!.rows, 0, "fr")).toBe("0 ligne");
    expect(count(catalogues.fr!.rows, 1, "fr")).toBe("1 ligne");
    expect(count(catalogues.en!.rows, 0, "en")).toBe("0 rows");
    expect(count(catalogues.de!.columns, 1200, "de")).toBe("1.200 Spalten");
    expect(fill(catalogues.de!.table, { columns: count(catalogues.de!.columns, 2, "de"), rows: count(catalogues.de!.rows, 1, "de") })).toBe("Tabelle mit 2 Spalten und 1 Zeile.");
  });

  it("fall back to English, marked, for a language Lectern has no words for", () => {
    expect(wordsFor("fr-CA")).toMatchObject({ language: "fr-CA", fallback: false, words: { contents: "Table des matières" } });
    expect(wordsFor("ja")).toMatchObject({ language: "en", fallback: true, words: { contents: "Contents" } });
    expect(spokenWordsLanguage("ja", (tag) => tag === "en" || tag === "ja")).toBe("en");
    expect(spokenWordsLanguage("ja", (tag) => tag === "ja")).toBe("ja");
  });
});

const source = (language: string, author = "") =>
  [
    "---",
    "title: Le Livre",
    ...(author ? [`author: ${author}`] : []),
    `lang: ${language}`,
    "---",
    "",
    "Intro.",
    "",
    "## Un",
    "",
    "Voir <https://example.org/page> et ![Un port](https://example.org/port.png) ici.[^1]",
    "",
    "> Une pensée.",
    "",
    "| A | B |",
    "|---|---|",
    "| 1 | 2 |",
    "",
    "- [x] fait",
    "- [ ] à faire",
    "",
    "```sh",
    "ls -la ~/",
    "```",
    "",
    "[^1]: Une note.",
  ].join("\n");

function speech(language: string, canVoice: readonly string[], author = ""): { all: Utterance[]; text: string } {
  const document = parseSource(source(language, author), `/tmp/livre-${language}.md`, "markdown");
  const all = document.sections.flatMap((section) => sectionSpeech(document, section, { canVoice: (tag) => canVoice.includes(tag.split("-")[0]!) }));
  return { all, text: all.map(utteranceText).join("\n") };
}

/** Words Lectern used to say in English whatever the document's language ("Image" and "Note" are French words too). */
const englishFiller = /\b(link|Quote|End quote|Table with|columns?|rows?|Done|Not done|By|example|lines?)\b/;

describe("speech says Lectern's words in the document's language", () => {
  it("French: no English filler, every segment in French", () => {
    const { all, text } = speech("fr-FR", ["fr", "en"], "Marie Curie");
    expect(text).not.toMatch(englishFiller);
    for (const utterance of all) for (const segment of utterance.segments) expect(segment.language, segment.text).toBe("fr-FR");
    expect(text).toContain("Par Marie Curie.");
    expect(text).toContain("lien");
    expect(text).toMatch(/Image\s?: Un port\./);
    expect(text).toContain("Citation");
    expect(text).toContain("Fin de citation.");
    // French numbers stay digits, for the French voice to read (no French number normalisation yet).
    expect(text).toContain("Tableau de 2 colonnes et 1 ligne.");
    expect(text).toMatch(/Fait\s?: fait\./);
    expect(text).toMatch(/À faire\s?: à faire\./);
    expect(text).toContain("Un exemple de code shell, 1 ligne.");
    expect(text).toMatch(/Note 1\s?: Une note\./);
  });

  it("German: no English filler", () => {
    const { all, text } = speech("de", ["de", "en"], "Lise Meitner");
    expect(text).not.toMatch(englishFiller);
    for (const utterance of all) for (const segment of utterance.segments) expect(segment.language, segment.text).toBe("de");
    expect(text).toContain("Von Lise Meitner.");
    expect(text).toContain("Bild: Un port.");
    expect(text).toContain("Zitatende.");
    expect(text).toMatch(/Tabelle mit (2|zwei) Spalten und (1|eine?) Zeile\./);
    expect(text).toContain("Erledigt: fait.");
    expect(text).toContain("Offen: à faire.");
    expect(text).toContain("Anmerkung");
  });

  it("Japanese: the words are English, given to the English voice; the document's text stays Japanese", () => {
    const { all } = speech("ja", ["ja", "en"], "夏目漱石");
    const byAuthor = all.find((utterance) => utterance.segments.some((segment) => segment.text.includes("夏目漱石")))!;
    expect(byAuthor.segments.map((segment) => [segment.language, segment.text])).toEqual([
      ["en", "By"],
      ["ja", "夏目漱石."],
    ]);
    const table = all.find((utterance) => utterance.kind === "announcement" && utteranceText(utterance).startsWith("Table"))!;
    expect(table.segments).toEqual([{ text: "Table with two columns and one row.", language: "en" }]);
    const image = all.find((utterance) => utteranceText(utterance).includes("Un port"))!;
    expect(image.segments.find((segment) => segment.text.startsWith("Image"))?.language).toBe("en");
  });

  it("Japanese without an English voice: the English words go to the document's voice rather than being dropped", () => {
    const { all } = speech("ja", ["ja"]);
    const table = all.find((utterance) => utterance.kind === "announcement" && utteranceText(utterance).startsWith("Table"))!;
    expect(table.segments.map((segment) => segment.language)).toEqual(["ja"]);
  });

  it("names an unvoiced language in the words' language", () => {
    const document = parseSource(["---", "title: T", "lang: fr", "---", "", "## Un", "", 'Le nom <span lang="ar">مخيم</span> est arabe.'].join("\n"), "/tmp/t.md", "markdown");
    const text = document.sections
      .flatMap((section) => sectionSpeech(document, section))
      .map(utteranceText)
      .join("\n");
    expect(text).toContain("(un passage en arabe)");
  });
});

describe("the end-matter section's title", () => {
  it("is in the document's language, detected or declared, and English where Lectern has no catalogue", async () => {
    const { parseSource } = await import("../../src/document/read.js");
    const bio = (name: string, text: string) =>
      `${text}\n\n${name} est journaliste et écrit sur la Syrie depuis vingt ans pour plusieurs journaux.\n\n© 2026 ${name}. Tous droits réservés.\n`;
    const french = parseSource(
      bio("Claire Dubois", "## Le camp\n\nLe camp a été vidé en quelques semaines, et personne ne sait où sont allées les familles qui y vivaient depuis des années."),
      "/tmp/fr.md",
      "markdown",
    );
    expect(french.metadata.language).toBe("fr");
    // The bio is French, which the English bio patterns do not read; the copyright line is the end matter.
    expect(french.sections.at(-1)).toMatchObject({ role: "end-matter", title: "Droits d’auteur" });
    const polish = parseSource(
      `---\nlang: pl\n---\n\n## Obóz\n\nObóz opustoszał w ciągu kilku tygodni.\n\nJan Kowalski is a reporter who has covered Syria for twenty years.\n\n© 2026 Jan Kowalski.\n`,
      "/tmp/pl.md",
      "markdown",
    );
    expect(polish.sections.at(-1)).toMatchObject({ role: "end-matter", title: "About the Author" });
  });
});
