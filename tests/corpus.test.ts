// The real-world corpus against what a human editor expects of it (tests/corpus/expected.json).
//
// Each document in tests/corpus/ is read through the library as a user's file would be
// (`readDocument`: no EPUB, PDF or audio, so the whole corpus reads in seconds) and compared
// with the expectations written by reading the document, not by copying Lectern's output.
// Comparison is deliberately plain: whitespace collapsed and one trailing period dropped
// (a heading's closing `.` is typography, `I.` and `I` are the same part); letter case is
// ignored only for documents marked `caseInsensitive`, whose originals are in capitals
// (`CHAPTER I.`, `THE YELLOW WALLPAPER`). Nothing fuzzier: a wrong word fails.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Heading, Nodes, RootContent } from "mdast";
import { beforeAll, describe, expect, it } from "vitest";
import { readDocument, type ReadResult } from "../src/document/read.js";

const corpusDir = new URL("./corpus/", import.meta.url).pathname;

interface Expectation {
  readonly title: string;
  readonly language: string;
  readonly author?: string;
  readonly sections: readonly string[];
  readonly lead?: boolean;
  readonly caseInsensitive?: boolean;
  readonly note?: string;
}

const expected = (JSON.parse(readFileSync(join(corpusDir, "expected.json"), "utf8")) as { documents: Record<string, Expectation> }).documents;

/** The corpus documents: every file in tests/corpus/ except the two files about them. */
const documentFiles = readdirSync(corpusDir)
  .filter((name) => name !== "SOURCES.md" && name !== "expected.json")
  .sort();

/**
 * The expectations are the sources' typed text; Lectern curls quotes and apostrophes
 * (src/document/typography.ts), a rendering choice, so ’ ‘ and “ ” compare as ' and ".
 */
function normalise(text: string, caseInsensitive: boolean): string {
  const collapsed = text.replace(/\s+/gu, " ").trim().replace(/\.$/u, "").replace(/[‘’]/gu, "'").replace(/[“”]/gu, '"');
  return caseInsensitive ? collapsed.toLowerCase() : collapsed;
}

/** Markup that must never reach a title, author, description or section title. */
const markup = ["<", ">", "](", "{{", "{%", "**", "`"];

function markupIn(text: string): string[] {
  return markup.filter((token) => text.includes(token));
}

/**
 * Alt texts of badges in the source, found independently of Lectern's badge rules: an image
 * that is the whole content of a link, in Markdown (`[![Tests](…)](…)`, `[![nvm version](…)][4]`)
 * or HTML (`<a …><img alt="Discord Server" …></a>`).
 */
function badgeAltTexts(source: string): string[] {
  const alts = new Set<string>();
  for (const match of source.matchAll(/\[!\[([^\]]+)\]\([^)]*\)\]/gu)) alts.add(match[1]!.trim());
  for (const match of source.matchAll(/<a\b[^>]*>\s*<img\b[^>]*?\balt="([^"]+)"[^>]*>\s*<\/a>/gu)) alts.add(match[1]!.trim());
  return [...alts].filter((alt) => alt.length >= 3);
}

/** A heading's text without its images: what the author typed as the heading's words. */
function textWithoutImages(node: Nodes): string {
  if (node.type === "image" || node.type === "imageReference") return "";
  if (node.type === "text" || node.type === "inlineCode") return node.value;
  if (node.type === "html") return node.value.replace(/<img\b[^>]*>/gu, "");
  return "children" in node ? (node.children as Nodes[]).map(textWithoutImages).join("") : "";
}

function isComment(node: RootContent): boolean {
  return node.type === "html" && /^\s*<!--[\s\S]*-->\s*$/u.test(node.value);
}

describe("the corpus is complete", () => {
  it("every document in tests/corpus/ has expectations", () => {
    expect(documentFiles.filter((name) => !(name in expected))).toEqual([]);
  });

  it("every expectation names a document that is there", () => {
    expect(Object.keys(expected).filter((name) => !documentFiles.includes(name))).toEqual([]);
  });
});

for (const name of documentFiles) {
  const expectation = expected[name];
  if (!expectation) continue;
  const caseInsensitive = expectation.caseInsensitive === true;
  const same = (text: string) => normalise(text, caseInsensitive);

  describe(name, () => {
    let result: ReadResult;
    let source: string;
    beforeAll(async () => {
      source = readFileSync(join(corpusDir, name), "utf8");
      result = await readDocument(join(corpusDir, name));
    });
    const document = () => result.document;
    const body = () => document().sections.filter((section) => section.role === "body");

    it("title", () => {
      expect(same(document().metadata.title)).toBe(same(expectation.title));
    });

    it("language", () => {
      expect(document().metadata.language.split("-")[0]!.toLowerCase()).toBe(expectation.language);
    });

    if (expectation.author !== undefined) {
      const author = expectation.author;
      it("author", () => {
        expect(same(document().metadata.author ?? "(none)")).toBe(same(author));
      });
    }

    it("top-level sections", () => {
      expect(body().map((section) => same(section.title))).toEqual(expectation.sections.map(same));
    });

    if (expectation.lead === true) {
      it("a lead section before the first heading", () => {
        expect(document().sections[0]?.role).toBe("lead");
      });
    }

    it("no markup in title, author, description or section titles", () => {
      const { title, author, description } = document().metadata;
      const fields: [string, string | undefined][] = [
        ["title", title],
        ["author", author],
        ["description", description],
        ...document().sections.map((section): [string, string] => [`section ${section.index}`, section.title]),
      ];
      const found = fields.flatMap(([field, value]) =>
        value === undefined || markupIn(value).length === 0 ? [] : [`${field}: ${JSON.stringify(value)} has ${markupIn(value).join(" ")}`],
      );
      expect(found).toEqual([]);
    });

    it("the description is not the title", () => {
      const { title, description } = document().metadata;
      if (description !== undefined) expect(normalise(description, true)).not.toBe(normalise(title, true));
    });

    it("no badge alt text in the title or a section title", () => {
      const alts = badgeAltTexts(source);
      const problems: string[] = [];
      for (const alt of alts) {
        if (document().metadata.title.includes(alt)) problems.push(`title ${JSON.stringify(document().metadata.title)} has badge ${JSON.stringify(alt)}`);
      }
      for (const section of document().sections) {
        const written = section.heading ? textWithoutImages(section.heading as Heading) : "";
        for (const alt of alts) {
          if (section.title.includes(alt) && !written.includes(alt)) problems.push(`section ${JSON.stringify(section.title)} has badge ${JSON.stringify(alt)}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("no empty sections", () => {
      const empty = document()
        .sections.filter((section) => !section.blocks.some((block) => !isComment(block)))
        .map((section) => `${section.index} ${section.title}`);
      expect(empty).toEqual([]);
    });

    it("section slugs are unique", () => {
      const slugs = document().sections.map((section) => section.slug);
      expect(slugs.filter((slug, index) => slugs.indexOf(slug) !== index)).toEqual([]);
    });
  });
}
