// Property tests: any text either reads into a well-formed document or is refused in one line.
import fc from "fast-check";
import { raw } from "hast-util-raw";
import type { Root as HastRoot } from "hast";
import { toHast } from "mdast-util-to-hast";
import { describe, expect, it } from "vitest";
import { boundDisplayText, cleanDisplayText, maxAuthorsLength, maxDescriptionLength, maxTitleLength } from "../../src/document/display-text.js";
import type { LecternDocument } from "../../src/document/model.js";
import { maxNestingDepth, parseSource } from "../../src/document/read.js";
import { LecternError } from "../../src/messages.js";

/** Markdown-ish lines: headings, list items, quotes, fences, tables, HTML, front matter, prose. */
const markdownLine = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.string({ maxLength: 30 })).map(([depth, text]) => `${"#".repeat(depth)} ${text}`),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.string({ maxLength: 20 })).map(([indent, text]) => `${"  ".repeat(indent)}- ${text}`),
  fc.string({ maxLength: 20 }).map((text) => `1. ${text}`),
  fc.string({ maxLength: 20 }).map((text) => `> ${text}`),
  fc.constantFrom("```", "---", "***", "| a | b |", "| - | - |", "[^1]: note", "text[^1]", "<script>x</script>", "![alt](img.png)", '<span lang="ar">عربي</span>', "\t", ""),
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
    fc.assert(
      fc.property(markdownDocument, (source) => readOrRefuse(source, "markdown")),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it("plain text: the same holds for arbitrary text", () => {
    const text = fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("", "CHAPTER I. A Title", "  *   *   *", "- item", "The Heading Line")), { maxLength: 40 });
    fc.assert(
      fc.property(text, (lines) => readOrRefuse(lines.join("\n"), "text")),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});

/** One level of nesting: Markdown containers and the raw HTML elements hast-util-raw turns into a tree. */
const nestingLevel = fc.constantFrom("> ", "- ", "1. ", "* ", "<div>", "<blockquote>", "<span>", "<ul><li>", "**", "_");

/** Many levels, written either on one line or one level a line (Markdown levels indented under the previous). */
const deepDocument = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.array(nestingLevel, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.string({ maxLength: 10 }))
  .map(([depth, pattern, oneLine, words]) => {
    // A random alternation, repeated to a random depth (fast-check's arrays stay short on their own).
    const levels = Array.from({ length: depth }, (_, index) => pattern[index % pattern.length]!);
    if (oneLine) return `Opening words.\n\n${levels.join("")}deep ${words}\n`;
    let prefix = "";
    const lines = levels.map((level) => {
      const line = `${prefix}${level}item`;
      if (level === "> ") prefix += "> ";
      else if (level === "- " || level === "* ") prefix += "  ";
      else if (level === "1. ") prefix += "   ";
      return line;
    });
    return `Opening words.\n\n${lines.join("\n")}\n`;
  });

/** Depth of a tree, walked without recursion. */
function treeDepth(root: { children?: unknown[] }): number {
  let deepest = 0;
  const stack: [{ children?: unknown[] }, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of node.children ?? []) stack.push([child as { children?: unknown[] }, depth + 1]);
  }
  return deepest;
}

/**
 * Every block as the EPUB makes it: mdast → hast with raw HTML parsed (recursive throughout, so
 * it overflows on what is too deep), no deeper than the guard allows: each level is at most two
 * elements (`<ul><li>`), plus a few for the paragraph and inline content around them.
 */
function toHtmlTree(document: LecternDocument): void {
  for (const section of document.sections) {
    for (const block of section.blocks) {
      const hast = toHast({ type: "root", children: [block] }, { allowDangerousHtml: true }) as HastRoot;
      const strip = (node: { position?: unknown; children?: unknown[] }): void => {
        delete node.position;
        for (const child of node.children ?? []) strip(child as typeof node);
      };
      strip(hast);
      expect(treeDepth(raw(hast) as { children?: unknown[] })).toBeLessThanOrEqual(2 * maxNestingDepth + 10);
    }
  }
}

describe("deep mixed nesting", () => {
  it("any mix of >, -, 1., raw <div>/<blockquote> and emphasis, thousands deep: a clean INPUT error or a document the stages can walk, never a RangeError", () => {
    fc.assert(
      fc.property(deepDocument, (source) => {
        let document: LecternDocument;
        try {
          document = parseSource(source, "/tmp/deep.md", "markdown");
        } catch (error) {
          expect(error).toBeInstanceOf(LecternError);
          expect((error as LecternError).code).toBe("INPUT");
          expect((error as LecternError).format()).toMatch(/deep\.md:\d+: .* nested more than 100 levels deep/);
          return;
        }
        checkInvariants(document);
        toHtmlTree(document);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
  }, 60_000);
});

/** Pieces of hostile titles: markup, scripts, comments, controls, bidi overrides, invisible characters, huge runs. */
const hostilePiece = fc.oneof(
  // No `\\`, backtick, `&` or `<`: those would make the markup pieces after them literal text, legitimately shown.
  fc.string({ maxLength: 12 }).filter((text) => !/[\\`&<]/.test(text)),
  fc.constantFrom(
    '<img src=x onerror="alert(1)" alt="glued">',
    "<script>alert(2)</script>",
    "<style>h1{}</style>",
    "<template><b>tmpl</b></template>",
    "<!-- comment -->",
    "<kbd>K</kbd>",
    "<em>e</em>",
    "<span dir=rtl>s</span>",
    "&amp;",
    "\u202E",
    "\u202D",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\u200B",
    "\u00AD",
    "\uFEFF",
    "\u0007",
    "\u001B[31m",
    "\u0085",
    "\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
    "👩\u200D💻",
    "`code`",
    "![pic](p.png)",
  ),
  fc.tuple(fc.constantFrom("word ", "x", "ß", "🇫🇷", "e\u0301"), fc.integer({ min: 1, max: 5000 })).map(([unit, count]) => unit.repeat(count)),
);
const hostileText = fc.array(hostilePiece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(""));

/** Characters that make a string display as something else. */
const spoofing = /[\u202A-\u202E\u2066-\u2069\u2028\u2029\u200B\u200E\u200F\u061C\uFEFF\u00AD\p{Cc}]/u;

/** A shown string: `fromMarkup` when it comes from the Markdown (front matter is plain text, where `<` is a character). */
function checkShown(text: string, max: number, fromMarkup = true): void {
  expect(text.trim()).not.toBe("");
  expect(text.length).toBeLessThanOrEqual(max);
  expect(text).not.toMatch(spoofing);
  if (fromMarkup) expect(text).not.toMatch(/<img|onerror|<script|alert\(|<style|<template|<!--|<kbd|<em>|<span/);
  expect(text).toBe(text.trim());
  expect(text).not.toMatch(/\s{2}/);
}

describe("hostile titles", () => {
  it("document and section titles, author and description are plain, bounded and non-empty", () => {
    const source = fc.tuple(hostileText, hostileText, hostileText, hostileText, fc.boolean()).map(([title, heading, paragraph, author, yamlTitle]) => {
      const quoted = (text: string) => JSON.stringify(text);
      const frontMatter = `---\nauthor: ${quoted(author)}\n${yamlTitle ? `title: ${quoted(title)}\n` : ""}---\n\n`;
      return `${yamlTitle ? "Y" : "N"}${frontMatter}${yamlTitle ? "" : `# ${title.replace(/\n/g, " ")}\n\n`}${paragraph} and then enough plain words to be a description here.\n\n## ${heading.replace(/\n/g, " ")}\n\nBody words.\n`;
    });
    fc.assert(
      fc.property(source, (marked) => {
        const [yamlTitle, text] = [marked.startsWith("Y"), marked.slice(1)];
        let document: LecternDocument;
        try {
          document = parseSource(text, "/tmp/titles.md", "markdown");
        } catch (error) {
          expect(error).toBeInstanceOf(LecternError);
          expect((error as LecternError).format()).not.toContain("\n");
          return;
        }
        checkInvariants(document);
        checkShown(document.metadata.title, maxTitleLength, !yamlTitle);
        for (const section of document.sections) checkShown(section.title, maxTitleLength, !(yamlTitle && section.role === "lead"));
        if (document.metadata.author !== undefined) checkShown(document.metadata.author, maxAuthorsLength, false);
        if (document.metadata.description !== undefined) checkShown(document.metadata.description, maxDescriptionLength);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 80) },
    );
  });

  it("cleaning is idempotent and bounding never exceeds the limit", () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 2, max: 400 }), (text, max) => {
        const clean = cleanDisplayText(text);
        expect(cleanDisplayText(clean)).toBe(clean);
        const bounded = boundDisplayText(clean, max);
        expect(bounded.text.length).toBeLessThanOrEqual(max);
        expect(bounded.cut).toBe(clean.length > max);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
