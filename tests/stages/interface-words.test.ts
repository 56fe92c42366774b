// Lectern's own words in the EPUB and the MP3 tags of a French, German and Japanese book:
// each output read back (unzipped and parsed; ID3 read by music-metadata).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { audioStage, type AudioTrackManifest } from "../../src/stages/audio/index.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import type { StageContext } from "../../src/stages/stage.js";
import { byName, epubCheckMessages, findAll, localName, openEpubBytes, type OpenedEpub, type XmlTree } from "../helpers/epub.js";
import { id3Frame, probeMp3 } from "../helpers/mp3.js";

const now = new Date("2026-01-05T00:00:00Z");

const book = (language: string, title: string, author: string) =>
  [
    "---",
    `title: ${title}`,
    `author: ${author}`,
    `lang: ${language}`,
    "source: https://example.org/livre",
    "---",
    "",
    "Intro.",
    "",
    "## Un",
    "",
    "Texte.[^1]",
    "",
    "- [x] un",
    "- [ ] deux",
    "",
    "[^1]: Note.",
  ].join("\n");

async function epubOf(language: string, title: string, author: string): Promise<OpenedEpub> {
  const document = parseSource(book(language, title, author), `/tmp/book-${language}.md`, "markdown");
  return openEpubBytes((await renderEpub(document, { now, report: () => {} })).bytes);
}

function landmarkLabels(epub: OpenedEpub): string[] {
  const nav = findAll(epub.nav, (node) => localName(node) === "nav" && node.attributes["epub:type"] === "landmarks")[0]!;
  return byName(nav, "a").map((link) => link.text);
}

function coverImage(epub: OpenedEpub): XmlTree {
  const cover = [...epub.contentDocuments.entries()].find(([path]) => path.endsWith("cover.xhtml"))![1];
  return byName(cover, "img")[0]!;
}

const marked = (root: XmlTree) => findAll(root, (node) => node.attributes.lang === "en" || node.attributes["xml:lang"] === "en").map((node) => node.text);

describe("EPUB navigation, landmarks, cover and title page in the book's language", () => {
  let french: OpenedEpub;
  let german: OpenedEpub;
  let japanese: OpenedEpub;
  beforeAll(async () => {
    [french, german, japanese] = await Promise.all([
      epubOf("fr-FR", "Le Horla", "Guy de Maupassant"),
      epubOf("de", "Die Verwandlung", "Franz Kafka"),
      epubOf("ja", "こころ", "夏目漱石"),
    ]);
  });

  it("French: « Table des matières », French landmarks and cover alt text, nothing marked English", async () => {
    expect(byName(french.nav, "h1")[0]?.text).toBe("Table des matières");
    expect(byName(french.nav, "h2")[0]?.text).toBe("Repères");
    expect(landmarkLabels(french)).toEqual(["Couverture", "Page de titre", "Table des matières", "Début du contenu"]);
    expect(coverImage(french).attributes.alt).toBe("Couverture\u00a0: Le Horla, par Guy de Maupassant");
    expect(marked(french.nav)).toEqual([]);
    const titlePage = [...french.contentDocuments.entries()].find(([path]) => path.endsWith("titlepage.xhtml"))![1];
    expect(findAll(titlePage, (node) => (node.attributes.class ?? "").includes("source"))[0]?.text).toBe("Source\u00a0: https://example.org/livre");
    expect(marked(titlePage)).toEqual([]);
    const backLinks = [...french.contentDocuments.values()].flatMap((document) => findAll(document, (node) => node.attributes.role === "doc-backlink"));
    expect(backLinks.map((link) => link.attributes["aria-label"])).toEqual(["Retour à l'appel de note 1"]);
    const taskMarks = [...french.contentDocuments.values()].flatMap((document) => findAll(document, (node) => (node.attributes.class ?? "").includes("task-state")));
    expect(taskMarks.map((mark) => mark.attributes["aria-label"])).toEqual(["Fait", "À faire"]);
    expect(await epubCheckMessages(french.bytes)).toEqual([]);
  });

  it("German: Inhaltsverzeichnis, German landmarks and cover alt text", () => {
    expect(byName(german.nav, "h1")[0]?.text).toBe("Inhaltsverzeichnis");
    expect(landmarkLabels(german)).toEqual(["Cover", "Titelseite", "Inhaltsverzeichnis", "Beginn des Inhalts"]);
    expect(coverImage(german).attributes.alt).toBe("Cover: Die Verwandlung von Franz Kafka");
    expect(german.metadata("dc:description")).toEqual(["Die Verwandlung von Franz Kafka"]);
    expect(marked(german.nav)).toEqual([]);
  });

  it('Japanese (no catalogue): English words, each marked lang="en"', async () => {
    expect(byName(japanese.nav, "h1")[0]?.text).toBe("Contents");
    expect(marked(japanese.nav)).toEqual(["Contents", "Landmarks", "Cover", "Title page", "Contents", "Start of content"]);
    expect(coverImage(japanese).attributes.alt).toBe("Cover: こころ, by 夏目漱石");
    expect(await epubCheckMessages(japanese.bytes)).toEqual([]);
  });
});

describe("MP3 tags in the book's language", () => {
  let outDir: string;
  let tracks: AudioTrackManifest[];
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "lectern-words-audio-"));
    // One short French section, no author: the one audio build of this file.
    const document = parseSource(["---", "title: Court", "lang: fr-FR", "source: https://example.org/court", "---", "", "Bonjour."].join("\n"), "/tmp/court-fr.md", "markdown");
    const context: StageContext = {
      outDir,
      options: { engine: "espeak", concurrency: 1, ttsTimeoutMs: 5000, now },
      signal: new AbortController().signal,
      run: async (_label, task) => task(),
      report: () => undefined,
      progress: () => undefined,
    };
    const result = await audioStage.write(document, context);
    tracks = result.manifest.tracks as AudioTrackManifest[];
  }, 120_000);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('names no author "Auteur inconnu", credits the voice in French, labels the cover picture in French', async () => {
    expect(tracks.length).toBeGreaterThan(0);
    const { metadata } = await probeMp3(join(outDir, tracks[0]!.path));
    expect(metadata.common.artist).toBe("Auteur inconnu");
    expect(id3Frame(metadata, "COMM")).toMatchObject({ language: "fra", text: expect.stringMatching(/^Source\s: https:\/\/example\.org\/court Lu par espeak/) });
    expect(metadata.common.picture?.[0]?.description).toBe("Couverture");
  });
});
