// Code blocks in the PDF: long lines wrap between tokens with a continuation sign that is
// an Artifact, and the text copied or read is the source, whole (nvm's install commands,
// tests/fixtures/pdf/SOURCES.md).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import type { Code } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { wrapCodeLine } from "../../src/stages/pdf/block-handlers.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { flattenStructure, readPdfStructure, type PdfStructure } from "../helpers/pdf.js";

const fixture = resolve("tests/fixtures/pdf/nvm-install.md");
let outDir: string;
let path: string;
let pdf: PdfStructure;
let sources: string[];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-pdf-code-"));
  const { document } = await readDocument(fixture);
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
  path = join(outDir, "nvm-install.pdf");
  await writeFile(path, rendered.bytes);
  pdf = await readPdfStructure(path);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(readFileSync(fixture, "utf8"));
  sources = tree.children.filter((node): node is Code => node.type === "code").map((node) => node.value);
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("wrapCodeLine", () => {
  const measure = (text: string): number => [...text].length;

  it("breaks a command between tokens, the strongest break that fills the line well", () => {
    const line = "curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.6/install.sh | bash";
    expect(wrapCodeLine(line, 70, 68, measure)).toEqual(["curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.6/", "install.sh | bash"]);
    expect(wrapCodeLine("erronée erronée erronée", 10, 10, measure)).toEqual(["erronée ", "erronée ", "erronée"]);
  });

  it("loses or adds no character, fits every part, and cuts inside a token only when the token is wider than the line", () => {
    const token = fc.stringMatching(/^[a-zé0-9]{1,30}$/);
    const joint = fc.constantFrom(" ", "/", ".", "-", "|", ",", "  ", "://");
    fc.assert(
      fc.property(fc.array(fc.tuple(token, joint), { minLength: 1, maxLength: 12 }), fc.integer({ min: 4, max: 40 }), (pieces, width) => {
        const line = pieces.map(([word, separator]) => word + separator).join("");
        const parts = wrapCodeLine(line, width, width - 2, measure);
        expect(parts.join("")).toBe(line);
        parts.forEach((part, index) => expect(measure(part)).toBeLessThanOrEqual(index === 0 ? width : width - 2));
        const longest = Math.max(...pieces.map(([word]) => word.length));
        if (longest + 3 <= width - 2) {
          // No part ends inside a word: the character after a part's end is not a letter following a letter.
          for (let index = 0; index < parts.length - 1; index++) expect(/[a-zé0-9]$/.test(parts[index]!) && /^[a-zé0-9]/.test(parts[index + 1]!)).toBe(false);
        }
      }),
    );
  });
});

describe("code blocks of the nvm README", () => {
  it("wraps its long lines (the fixture has some)", () => {
    expect(pdf.artifactText.join("")).toContain("\u21AA");
  });

  it("copies each block as its source: the read text (with /ActualText) has every character, no space or line break added where a line was wrapped", () => {
    // Code blocks, not inline code (a Code inside a paragraph).
    const codes = flattenStructure(pdf.structure)
      .filter((node) => node.role !== "P" && node.role !== "Code")
      .flatMap((node) => node.children.filter((child) => child.role === "Code"));
    expect(codes.map((code) => code.readText.replace(/\n/g, ""))).toEqual(sources.map((source) => source.replace(/\n/g, "")));
    // Each wrapped line is one Span whose /ActualText is the source line.
    const lines = new Set(sources.flatMap((source) => source.split("\n")));
    const spans = codes.flatMap((code) => code.children.filter((child) => child.role === "Span"));
    expect(spans.length).toBeGreaterThan(3);
    for (const span of spans) expect(lines.has(span.alt!)).toBe(true);
  });

  it("keeps the continuation sign out of the text: it is an Artifact, and nothing is painted unmarked", () => {
    expect(pdf.text).not.toContain("\u21AA");
    expect(pdf.untaggedText.join("")).toBe("");
    expect(pdf.unmarkedPaint.flat()).toEqual([]);
  });

  it.skipIf(!hasPdftotext())("gives every source line whole on a line of its own in pdftotext", () => {
    const lines = new Set(
      execFileSync("pdftotext", [path, "-"], { encoding: "utf8" })
        .split("\n")
        .map((line) => line.trim()),
    );
    const missing = sources.flatMap((source) => source.split("\n")).filter((line) => line.trim() !== "" && !lines.has(line.trim()));
    expect(missing).toEqual([]);
    expect([...lines].some((line) => line.includes("\u21AA"))).toBe(false);
  });
});

function hasPdftotext(): boolean {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
