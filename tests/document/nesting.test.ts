// The nesting guard measures the real tree (mdast containers and raw HTML as parse5 nests it), and what it lets through every stage can build.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { maxNestingDepth } from "../../src/document/nesting.js";
import { parseSource } from "../../src/document/read.js";
import { LecternError } from "../../src/messages.js";
import { build } from "../../src/pipeline.js";

function refusal(source: string): LecternError {
  try {
    parseSource(`Opening words.\n\n${source}`, "/tmp/deep.md", "markdown");
  } catch (error) {
    expect(error).toBeInstanceOf(LecternError);
    return error as LecternError;
  }
  throw new Error("the document was accepted");
}

const lists = (levels: number, indent: number, marker: string) => Array.from({ length: levels }, (_, level) => `${" ".repeat(indent * level)}${marker} item ${level}`).join("\n");

describe("nesting past the limit is a one-line INPUT error with the line, never a stack overflow", () => {
  const cases: [string, string, RegExp, number | undefined][] = [
    ["`> - ` alternating 5,000 levels on one line", "> - ".repeat(2500) + "x\n", /lists or block quotes are nested more than 100 levels deep/, 3],
    ["`> 1. ` alternating 101 levels", "> 1. ".repeat(50) + "> x\n", /lists or block quotes are nested more than 100/, 3],
    ["`- ` then `>` on separate lines", Array.from({ length: 120 }, (_, level) => `${"> ".repeat(level)}- item`).join("\n"), /nested more than 100/, undefined],
    ["5,000 nested <div> lines", "<div>\n".repeat(5000) + "x\n", /HTML elements are nested more than 100 levels deep/, 103],
    ["5,000 nested <blockquote>", "<blockquote>".repeat(5000) + "x\n", /HTML elements are nested/, 3],
    ["5,000 nested inline <span>", "Text " + "<span>".repeat(5000) + "x\n", /HTML elements are nested/, 3],
    ["5,000 nested <template>", "<template>".repeat(5000) + "x\n", /HTML elements are nested/, 3],
    ["tables implied 200 deep", "<table><td>".repeat(200) + "x\n", /HTML elements are nested/, 3],
    ["60 lists holding 60 <div>s", `${lists(60, 2, "-")}\n${" ".repeat(120)}<div>${"<div>".repeat(59)}x\n`, /HTML elements are nested/, undefined],
    ["emphasis 2,500 levels", "*".repeat(5000) + "x" + "*".repeat(5000) + "\n", /emphasis or links are nested/, 3],
    ["emphasis 150 levels", "*".repeat(300) + "x" + "*".repeat(300) + "\n", /emphasis or links are nested/, 3],
  ];
  for (const [name, source, pattern, line] of cases) {
    it(name, () => {
      const error = refusal(source);
      expect(error.code).toBe("INPUT");
      expect(error.format()).toMatch(pattern);
      expect(error.format()).not.toContain("\n");
      expect(error.line).toBeGreaterThan(0);
      if (line !== undefined) expect(error.line).toBe(line);
    });
  }

  it("101 levels of each kind are refused, 100 are read", () => {
    expect(() => parseSource("Words.\n\n" + "> ".repeat(maxNestingDepth) + "x\n", "/tmp/ok.md", "markdown")).not.toThrow();
    expect(refusal("> ".repeat(maxNestingDepth + 1) + "x\n").code).toBe("INPUT");
    expect(() => parseSource("Words.\n\n" + "<div>".repeat(maxNestingDepth) + "x\n", "/tmp/ok.md", "markdown")).not.toThrow();
    expect(refusal("<div>".repeat(maxNestingDepth + 1) + "x\n").code).toBe("INPUT");
    expect(() => parseSource(lists(maxNestingDepth, 2, "-"), "/tmp/ok.md", "markdown")).not.toThrow();
    expect(refusal(lists(maxNestingDepth + 1, 2, "-")).code).toBe("INPUT");
  });

  it("a 3 MB tower of <div>s is refused (parsing stops at the limit)", () => {
    const error = refusal("<div>".repeat(600_000) + "x\n");
    expect(error.format()).toMatch(/HTML elements are nested/);
  });

  it("a long rule line of asterisks is not emphasis", () => {
    expect(parseSource(`Words here.\n\n${"*".repeat(2000)}\n\nMore words.\n`, "/tmp/ok.md", "markdown").words).toBe(4);
  });
});

describe("what passes the guard builds in every stage", () => {
  it("99 levels of each kind: EPUB, PDF and audio are all written", async () => {
    const n = maxNestingDepth - 1;
    const kinds: [string, string][] = [
      ["Quotes", "> ".repeat(n) + "deep quote words\n"],
      ["Bullets", lists(n, 2, "-")],
      ["Numbers", lists(n, 3, "1.")],
      ["Alternating", "> - ".repeat(Math.floor(n / 2)) + "> alternating words\n"],
      ["Divs", "<div>".repeat(n) + "div words" + "</div>".repeat(n) + "\n"],
      ["Blockquotes", "<blockquote>".repeat(n) + "html quote words" + "</blockquote>".repeat(n) + "\n"],
      ["Spans", "Some " + "<span>".repeat(n - 1) + "span words" + "</span>".repeat(n - 1) + " end.\n"],
      ["Emphasis", "Some " + "*".repeat(2 * (n - 1)) + "emphasis words" + "*".repeat(2 * (n - 1)) + " end.\n"],
    ];
    const source = `# Deep\n\nOpening words of the document.\n\n${kinds.map(([title, body]) => `## ${title}\n\n${body}\n\nAfter words.\n`).join("\n")}`;
    const folder = await mkdtemp(join(tmpdir(), "lectern-deep-"));
    await writeFile(join(folder, "deep.md"), source);
    const result = await build(join(folder, "deep.md"), { outDir: join(folder, "out"), cacheDir: false, concurrency: 2 });
    const stages = result.manifest.stages as Record<string, { status: string; error?: unknown }>;
    expect(Object.fromEntries(Object.entries(stages).map(([name, stage]) => [name, stage.status]))).toEqual({ epub: "ok", pdf: "ok", audio: "ok", "talking-epub": "skipped" });
    expect(result.ok).toBe(true);
  }, 180_000);
});
