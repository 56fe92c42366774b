// The document's date, written the same way on the EPUB title page and in the PDF byline.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { longDate, packageDate, validTimestamp } from "../../src/stages/shared/dates.js";
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

describe("dates a package can record", () => {
  it.each([
    ["2026", "2026"],
    ["2026-01", "2026-01"],
    ["2026-01-05", "2026-01-05"],
    ["0001-01-01", "0001-01-01"],
    ["12026-01-05", undefined],
    ["+012026-01", undefined],
    ["2026-13", undefined],
    ["2026-02-30", undefined],
    ["2024-02-29", "2024-02-29"],
    ["soon", undefined],
  ])("packageDate(%s) → %s", (date, expected) => {
    expect(packageDate(date)).toBe(expected);
  });

  it("validTimestamp holds a clock to four-digit years", () => {
    expect(validTimestamp(new Date("2026-01-05T10:20:30.456Z"))).toBe("2026-01-05T10:20:30Z");
    expect(validTimestamp(new Date("+012026-01-05T00:00:00Z"))).toBe("9999-12-31T23:59:59Z");
    expect(validTimestamp(new Date("-000100-01-01T00:00:00Z"))).toBe("0000-01-01T00:00:00Z");
    expect(validTimestamp(new Date(Number.NaN))).toBe("1970-01-01T00:00:00Z");
  });
});
