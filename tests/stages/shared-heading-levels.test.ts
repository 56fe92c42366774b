// One heading outline for both outputs: the EPUB's h1–h6 and the PDF's H1–H6 agree, and so do their warnings.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import type { Message } from "../../src/messages.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { pdfStage } from "../../src/stages/pdf/index.js";
import { HeadingLevels } from "../../src/stages/shared/heading-levels.js";
import { findAll, localName, openEpubBytes } from "../helpers/epub.js";
import { flattenStructure, readPdfStructure } from "../helpers/pdf.js";

describe("HeadingLevels", () => {
  it("never nests a shallower heading under a deeper one whose level was raised", () => {
    const levels = new HeadingLevels(2);
    levels.section(2);
    expect(levels.subheading(5)).toEqual({ level: 3, requested: 5 });
    // `####` after `#####`: not a child of it, whatever level that one was given.
    expect(levels.subheading(4)).toEqual({ level: 3, requested: 4 });
    expect(levels.subheading(5)).toEqual({ level: 4, requested: 5 });
    expect(levels.subheading(3)).toEqual({ level: 3 });
  });

  it("in the lead, headings follow the title, a section's depth counting as level 2", () => {
    const levels = new HeadingLevels(1);
    levels.lead();
    // Sections are `#` (level 2), so `###` implies level 4 and `##` level 3: both skip from the title.
    expect(levels.subheading(3)).toEqual({ level: 2, requested: 4 });
    expect(levels.subheading(2)).toEqual({ level: 2, requested: 3 });
    expect(levels.subheading(4)).toEqual({ level: 3, requested: 5 });
    const article = new HeadingLevels(2);
    article.lead();
    expect(article.subheading(2)).toEqual({ level: 2 });
    expect(article.subheading(3)).toEqual({ level: 3 });
  });
});

const documents: Record<string, string> = {
  "skips in a section": ["---", "title: Skips", "---", "", "Lead.", "", "## One", "", "##### Five", "", "Text.", "", "#### Four", "", "Text.", "", "### Three", "", "Text."].join(
    "\n",
  ),
  "headings in the lead, sections at depth 1": [
    "---",
    "title: Heads",
    "---",
    "",
    "Lead text.",
    "",
    "### Lead sub",
    "",
    "More.",
    "",
    "## Body part",
    "",
    "Text.",
    "",
    "#### Deep",
    "",
    "Text.",
    "",
    "# Top level later",
    "",
    "Text.",
  ].join("\n"),
};

describe.each(Object.entries(documents))("the EPUB and the PDF agree on the outline: %s", (name, source) => {
  let outDir: string;
  let epubLevels: number[];
  let pdfLevels: number[];
  let epubWarnings: (number | undefined)[];
  let pdfWarnings: (number | undefined)[];
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "lectern-headings-"));
    const document = parseSource(source, join(outDir, `${name.replace(/\W+/g, "-")}.md`), "markdown");
    const epubMessages: [string, number | undefined][] = [];
    const epub = openEpubBytes((await renderEpub(document, { now: new Date("2026-01-05T00:00:00Z"), report: (rule, _reason, line) => epubMessages.push([rule, line]) })).bytes);
    epubLevels = epub.spine
      .filter((path) => path !== epub.navPath && epub.contentDocuments.has(path))
      .flatMap((path) => findAll(epub.contentDocuments.get(path)!, (node) => /^h[1-6]$/.test(localName(node))).map((node) => Number(localName(node).slice(1))));
    epubWarnings = epubMessages.filter(([rule]) => rule === "heading-level-skipped").map(([, line]) => line);
    const pdfMessages: Message[] = [];
    const result = await pdfStage.write(document, {
      outDir,
      options: { engine: "espeak", concurrency: 1, ttsTimeoutMs: 30_000, now: new Date("2026-01-05T00:00:00Z") },
      signal: new AbortController().signal,
      run: (_label, task) => task(),
      report: (message) => pdfMessages.push({ source: "pdf", ...message }),
      progress: () => {},
    });
    const pdf = await readPdfStructure(join(outDir, String(result.manifest.path)));
    pdfLevels = flattenStructure(pdf.structure)
      .filter((node) => /^H[1-6]$/.test(node.role))
      .map((node) => Number(node.role.slice(1)));
    pdfWarnings = pdfMessages.filter((message) => message.rule === "heading-level-skipped").map((message) => message.line);
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("same levels, in the same order, never skipping", () => {
    expect(epubLevels).toEqual(pdfLevels);
    for (let index = 1; index < pdfLevels.length; index++) expect(pdfLevels[index]! - pdfLevels[index - 1]!).toBeLessThanOrEqual(1);
  });

  it("the same source lines are reported as skipped levels", () => {
    expect(epubWarnings.length).toBeGreaterThan(0);
    expect(epubWarnings).toEqual(pdfWarnings);
  });
});
