// The document's date, written the same way on the EPUB title page and in the PDF byline.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { longDate } from "../../src/stages/shared/dates.js";
import { byName, openEpubBytes } from "../helpers/epub.js";

describe("longDate", () => {
  it.each([
    ["2026-01-05", "en-GB", "5 January 2026"],
    ["2026-01-05", "en-US", "January 5, 2026"],
    ["2026-01-05", "fr", "5 janvier 2026"],
    ["2026", "en", "2026"],
    ["2026-01", "en", "2026-01"],
    ["2026-13-40", "en", "2026-13-40"],
    ["2026-01-05", "not a tag", "2026-01-05"],
  ])("%s in %s → %s", (date, language, expected) => {
    expect(longDate(date, language)).toBe(expected);
  });
});

describe("EPUB title page", () => {
  it("shows the date as the PDF byline does, keeping the ISO form in datetime", async () => {
    const { document } = await readDocument(join(import.meta.dirname, "../fixtures/every-construct/document.md"));
    const epub = openEpubBytes((await renderEpub(document, { now: new Date("2026-01-05T00:00:00Z"), report: () => {} })).bytes);
    const titlePage = [...epub.contentDocuments.entries()].find(([path]) => path.endsWith("titlepage.xhtml"))![1];
    const [time] = byName(titlePage, "time");
    expect(time?.attributes.datetime).toBe("2026-01-05");
    expect(time?.text).toBe("5 January 2026");
  });
});
