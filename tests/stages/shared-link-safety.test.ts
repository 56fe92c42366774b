// The link rule both outputs share: which URLs stay links, and the warning when one is dropped.
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { inlineRuns } from "../../src/stages/pdf/inline-runs.js";
import { classifyLink, followableHref, unsafeLinkReason } from "../../src/stages/shared/link-safety.js";
import { byName, openEpubBytes } from "../helpers/epub.js";

describe("classifyLink", () => {
  it.each([
    ["https://example.org", "followable"],
    ["HTTP://example.org", "followable"],
    ["mailto:someone@example.org", "followable"],
    ["javascript:alert(1)", "unsafe"],
    [" JavaScript:alert(1)", "unsafe"],
    ["\u0001javascript:alert(1)", "unsafe"],
    ["data:text/html,<script>", "unsafe"],
    ["ftp://example.org/file", "unsafe"],
    ["tel:+123", "unsafe"],
    ["#heading", "fragment"],
    ["notes.md", "relative"],
    ["../index.html#top", "relative"],
  ])("%j is %s", (url, kind) => {
    expect(classifyLink(url).kind).toBe(kind);
  });

  it("names the URL, shortened, in the warning", () => {
    expect(unsafeLinkReason("javascript:alert(1)")).toBe("link to `javascript:alert(1)` is not a web or mail address; its text is kept without the link");
    expect(unsafeLinkReason(`data:${"x".repeat(200)}`)).toMatch(/^link to `data:x+…` /);
  });
});

describe("the EPUB and the PDF drop the same Markdown links, with the same warning", () => {
  const source = [
    "---",
    "title: Links",
    "---",
    "",
    "## One",
    "",
    "[js](javascript:alert(1)) [ftp](ftp://example.org/f) [tel](tel:+1) [web](https://example.org) [mail](mailto:a@example.org)",
  ].join("\n");
  const document = parseSource(source, "/tmp/links.md", "markdown");
  const paragraph = document.sections.find((section) => section.role === "body")!.blocks[0]!;

  it("EPUB: only web and mail links survive; each dropped one is reported with its line", async () => {
    const warnings: [string, string, number | undefined][] = [];
    const { bytes } = await renderEpub(document, { now: new Date("2026-01-05T00:00:00Z"), report: (rule, reason, line) => warnings.push([rule, reason, line]) });
    const epub = openEpubBytes(bytes);
    const chapter = [...epub.contentDocuments.entries()].find(([path]) => path.endsWith("-one.xhtml"))![1];
    expect(byName(chapter, "a").map((link) => link.attributes.href)).toEqual(["https://example.org", "mailto:a@example.org"]);
    expect(chapter.text).toContain("js ftp tel web mail");
    expect(warnings.filter(([rule]) => rule === "link-unsafe-dropped")).toEqual([
      ["link-unsafe-dropped", unsafeLinkReason("javascript:alert(1)"), 7],
      ["link-unsafe-dropped", unsafeLinkReason("ftp://example.org/f"), 7],
      ["link-unsafe-dropped", unsafeLinkReason("tel:+1"), 7],
    ]);
  });

  it("EPUB: warnings carry the column as well as the line, as the PDF's do", async () => {
    const positions: [string, number | undefined, number | undefined][] = [];
    await renderEpub(document, { now: new Date("2026-01-05T00:00:00Z"), report: (rule, _reason, line, column) => positions.push([rule, line, column]) });
    expect(positions.filter(([rule]) => rule === "link-unsafe-dropped")).toEqual([
      ["link-unsafe-dropped", 7, 1],
      ["link-unsafe-dropped", 7, 27],
      ["link-unsafe-dropped", 7, 54],
    ]);
  });

  it("PDF: the same links are dropped with the same reasons", () => {
    const warnings: [string, string][] = [];
    let id = 0;
    const runs = inlineRuns(paragraph.type === "paragraph" ? paragraph.children : [], {
      warn: (rule, reason) => warnings.push([rule, reason]),
      noteNumber: () => 1,
      nextId: () => ++id,
    });
    const linked = runs.flatMap((run) => (run.kind === "text" && run.container?.kind === "link" ? [run.container.url] : []));
    expect(linked).toEqual(["https://example.org", "mailto:a@example.org"]);
    expect(warnings).toEqual([
      ["link-unsafe-dropped", unsafeLinkReason("javascript:alert(1)")],
      ["link-unsafe-dropped", unsafeLinkReason("ftp://example.org/f")],
      ["link-unsafe-dropped", unsafeLinkReason("tel:+1")],
    ]);
  });
});

describe("followableHref", () => {
  it.each([
    ["https://example.org", "https://example.org"],
    [' https://example.org/a b?q="x"&y=<z> ', "https://example.org/a%20b?q=%22x%22&y=%3Cz%3E"],
    ["mailto:a b@example.org", "mailto:a%20b@example.org"],
    ["https://exa mple.org/", undefined],
    ["http://", undefined],
    ["javascript:alert(1)", undefined],
    ["#fragment", undefined],
  ])("%s → %s", (url, expected) => {
    expect(followableHref(url)).toBe(expected);
  });
});
