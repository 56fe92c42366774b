// Huge and pathological input: every case finishes, or is refused with a clear limit message.
import { mkdir, mkdtemp, readFile, realpath, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSource } from "../src/document/read.js";
import { LecternError } from "../src/messages.js";
import { build } from "../src/pipeline.js";

async function source(name: string, text: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "lectern-huge-"));
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
}

describe("huge input", () => {
  it("lists nested 1,000 levels deep are refused with the line, not a stack overflow", () => {
    const nested = Array.from({ length: 1000 }, (_, level) => `${"  ".repeat(level)}- item ${level}`).join("\n");
    try {
      parseSource(`Intro.\n\n${nested}\n`, "/tmp/deep.md", "markdown");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LecternError);
      expect((error as LecternError).format()).toMatch(/deep\.md:\d+: lists or block quotes are nested more than 100 levels deep/);
    }
    const quotes = Array.from({ length: 1000 }, (_, level) => `${">".repeat(level + 1)} quote`).join("\n");
    expect(() => parseSource(quotes, "/tmp/quotes.md", "markdown")).toThrow(/nested more than 100 levels/);
  });

  it("lists nested 30 levels deep are read", () => {
    const nested = Array.from({ length: 30 }, (_, level) => `${"  ".repeat(level)}- item ${level}`).join("\n");
    expect(parseSource(nested, "/tmp/ok.md", "markdown").words).toBe(60);
  });

  it("10,000 headings become 10,000 sections", () => {
    const text = Array.from({ length: 10_000 }, (_, index) => `## Heading ${index}\n\nText ${index}.\n`).join("\n");
    const document = parseSource(text, "/tmp/many.md", "markdown");
    expect(document.sections).toHaveLength(10_000);
    expect(new Set(document.sections.map((section) => section.slug)).size).toBe(10_000);
  });

  it("a 100,000-character paragraph and a 200,000-character word build into EPUB and PDF", async () => {
    const longParagraph = await source("long.md", `# Long\n\n${"word ".repeat(20_000)}\n\n${"x".repeat(200_000)}\n`);
    const outDir = await mkdtemp(join(tmpdir(), "lectern-huge-out-"));
    const result = await build(longParagraph, { outDir, formats: ["epub", "pdf"], cacheDir: false });
    expect(result.stages.epub?.status).toBe("ok");
    expect(result.stages.pdf?.status).toBe("ok");
    expect(result.document.words).toBe(20_001);
  });
});

describe("huge output folders", () => {
  it("an earlier manifest listing 10,000 audio files: a build that skips audio carries them all forward", async () => {
    const document = await source("many.md", "# Many\n\nWords.\n");
    const outDir = await mkdtemp(join(tmpdir(), "lectern-huge-out-"));
    await mkdir(join(outDir, "audio"));
    const files = Array.from({ length: 10_000 }, (_, index) => `audio/${String(index).padStart(5, "0")}-section.mp3`);
    await Promise.all(files.map((file) => writeFile(join(outDir, file), "x")));
    const earlier = {
      generator: "Lectern 0.1.0",
      input: relative(await realpath(outDir), await realpath(document)),
      stages: { audio: { status: "ok", seconds: 1, warnings: [], files } },
    };
    await writeFile(join(outDir, "manifest.json"), JSON.stringify(earlier));
    const result = await build(document, { outDir, cacheDir: false, stages: [{ name: "audio", write: async () => ({ manifest: {}, files: [] }) }], formats: [] });
    expect(result.stages.audio?.status).toBe("skipped");
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.stages.audio.files).toHaveLength(10_000);
  });
});
