// Property tests: any text either reads into a well-formed document or is refused in one line.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LecternDocument } from "../../src/document/model.js";
import { parseSource } from "../../src/document/read.js";
import { LecternError } from "../../src/messages.js";

/** Markdown-ish lines: headings, list items, quotes, fences, tables, HTML, front matter, prose. */
const markdownLine = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.string({ maxLength: 30 })).map(([depth, text]) => `${"#".repeat(depth)} ${text}`),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.string({ maxLength: 20 })).map(([indent, text]) => `${"  ".repeat(indent)}- ${text}`),
  fc.string({ maxLength: 20 }).map((text) => `1. ${text}`),
  fc.string({ maxLength: 20 }).map((text) => `> ${text}`),
  fc.constantFrom("```", "---", "***", "| a | b |", "| - | - |", "[^1]: note", "text[^1]", "<script>x</script>", "![alt](img.png)", "<span lang=\"ar\">عربي</span>", "\t", ""),
);

const markdownDocument = fc.array(markdownLine, { maxLength: 40 }).map((lines) => lines.join("\n"));

function checkInvariants(document: LecternDocument): void {
  expect(document.metadata.title.trim()).not.toBe("");
  expect(document.sections.length).toBeGreaterThan(0);
  expect(document.sections.map((section) => section.index)).toEqual(document.sections.map((_, offset) => offset + 1));
  const slugs = document.sections.map((section) => section.slug);
  expect(new Set(slugs).size).toBe(slugs.length);
  for (const slug of slugs) expect(slug).toMatch(/^[\p{L}\p{N}_-]+$/u);
  expect(document.slug).toMatch(/^[\p{L}\p{N}_-]+$/u);
  expect(document.words).toBe(document.sections.reduce((sum, section) => sum + section.words, 0));
  for (const section of document.sections) {
    expect(section.words).toBeGreaterThanOrEqual(0);
    expect(section.title.trim()).not.toBe("");
  }
}

function readOrRefuse(source: string, format: "markdown" | "text"): void {
  let document: LecternDocument;
  try {
    document = parseSource(source, `/tmp/fuzz.${format === "markdown" ? "md" : "txt"}`, format);
  } catch (error) {
    expect(error).toBeInstanceOf(LecternError);
    expect((error as LecternError).format()).not.toContain("\n");
    return;
  }
  checkInvariants(document);
}

describe("reader properties", () => {
  it("Markdown: every input reads into a well-formed document or is refused in one line", () => {
    fc.assert(fc.property(markdownDocument, (source) => readOrRefuse(source, "markdown")), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });

  it("plain text: the same holds for arbitrary text", () => {
    const text = fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("", "CHAPTER I. A Title", "  *   *   *", "- item", "The Heading Line")), { maxLength: 40 });
    fc.assert(fc.property(text, (lines) => readOrRefuse(lines.join("\n"), "text")), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });
});
