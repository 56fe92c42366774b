import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/cli.js";

const root = new URL("..", import.meta.url).pathname;
const tsx = join(root, "node_modules/.bin/tsx");

function lectern(args: string[], cwd = root) {
  const result = spawnSync(tsx, [join(root, "src/cli.ts"), ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("command line parsing", () => {
  it("accepts the documented options", () => {
    expect(parseCommandLine(["build", "a.md", "--out", "o", "--formats", "epub,pdf", "--engine", "edge", "--voice", "en-GB-SoniaNeural", "--concurrency", "3"])).toMatchObject({
      input: "a.md",
      outDir: "o",
      formats: ["epub", "pdf"],
      engine: "edge",
      voice: "en-GB-SoniaNeural",
      concurrency: 3,
    });
  });

  it.each([
    [["build", "a.md", "--formats", "epub,docx"], /Expected `--formats` to list some of epub, pdf, audio, talking-epub, got `epub,docx`/],
    [["build", "a.md", "--engine", "say"], /Expected `--engine` to be one of espeak, edge, got `say`/],
    [["build", "a.md", "--concurrency", "0"], /Expected `--concurrency` to be a positive whole number, got `0`/],
    [["build"], /missing the document/],
    [["convert", "a.md"], /unknown command `convert`/],
    [["build", "a.md", "--colour"], /Unknown option '--colour'/],
  ])("rejects %j with a one-line reason", (args, pattern) => {
    expect(() => parseCommandLine(args)).toThrow(pattern);
  });
});

describe("the CLI on bad input: one line, non-zero exit, no stack trace, no files", () => {
  it.each([
    ["missing.md", "", /missing\.md: no such file/],
    ["empty.md", "", /empty\.md: is empty/],
    ["binary.txt", "\u0000\u0001\u0002PK", /binary\.txt(?::\d+)?: is a binary file/],
    ["notes.docx", "hello", /unsupported file type `\.docx`/],
    ["bad-yaml.md", "---\ntitle: [unclosed\n---\n\nText here.\n", /bad-yaml\.md:2: front matter is not valid YAML/],
  ])("%s", async (name, content, pattern) => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-cli-"));
    if (name !== "missing.md") await writeFile(join(folder, name), content);
    const out = join(folder, "out");
    const { code, stderr } = lectern(["build", join(folder, name), "--out", out]);
    expect(code).not.toBe(0);
    const lines = stderr.split("\n").filter((line) => line.trim() && !line.includes("nodedir"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(stderr).not.toMatch(/\n\s+at /);
    await expect(readdir(out)).rejects.toThrow();
  });

  it("prints help and version", () => {
    expect(lectern(["--help"]).stdout).toMatch(/Usage: lectern build/);
    expect(lectern(["--version"]).stdout).toMatch(/^lectern \d+\.\d+\.\d+/);
  });
});

describe("command line: output options", () => {
  it("passes --paper and --reading-font through, and refuses unknown values", () => {
    expect(parseCommandLine(["build", "a.md", "--paper", "A4", "--reading-font", "dejavu-serif", "--no-cache"])).toMatchObject({
      paperSize: "A4",
      epubReadingFont: "dejavu-serif",
      cacheDir: false,
    });
    expect(() => parseCommandLine(["build", "a.md", "--paper", "legal"])).toThrow(/Expected `--paper` to be a4 or letter, got `legal`/);
    expect(() => parseCommandLine(["build", "a.md", "--reading-font", "comic"])).toThrow(/Expected `--reading-font`/);
  });
});

describe("command line: metadata", () => {
  it("--title, --author (repeatable), --lang, --date, --description, --metadata key=value and --metadata-file become overrides", () => {
    expect(
      parseCommandLine([
        "build",
        "a.txt",
        "--title",
        "T",
        "--author",
        "A",
        "--author",
        "B",
        "--lang",
        "fr",
        "--date",
        "2026-01-05",
        "--description",
        "D",
        "--metadata",
        "author=C",
        "--metadata",
        "publisher=P=Q",
        "--metadata",
        "url=https://x.example",
        "--metadata-file",
        "m.yaml",
      ]),
    ).toMatchObject({
      metadata: { title: "T", authors: ["A", "B", "C"], language: "fr", date: "2026-01-05", description: "D", publisher: "P=Q", source: "https://x.example" },
      metadataFile: "m.yaml",
    });
    expect(parseCommandLine(["build", "a.txt"])).not.toHaveProperty("metadata");
  });

  it.each([
    [["--lang", "en US!"], /Expected `--lang` on the command line to be a BCP 47 language tag, got `en US!`/],
    [["--date", "2026-02-29"], /Expected `--date` on the command line to be a date, got `2026-02-29`: February 2026 has 28 days, not 29/],
    [
      ["--metadata", "colour=blue"],
      /Expected `--metadata` to be key=value with a key of title, author, lang, date, description, keywords, source, publisher, certifiedBy, got `colour=blue`/,
    ],
    [["--metadata", "title"], /Expected `--metadata` to be key=value/],
    [["--metadata", "lang=??"], /Expected `--metadata lang` on the command line to be a BCP 47 language tag/],
    [["--title", "A", "--metadata", "title=B"], /`--metadata title` sets the title that `--title` already set/],
    [["--title", ""], /Expected `--title` on the command line to be text/],
    [["--author", "\u202E"], /Expected `--author` on the command line to be text/],
  ])("%j is a usage error naming the flag", (flags, pattern) => {
    let error: unknown;
    try {
      parseCommandLine(["build", "a.txt", ...flags]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: "USAGE" });
    expect(String((error as Error).message)).toMatch(pattern);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("command line: folders", () => {
  it("--no-recursive asks for the documents directly inside a folder only; recursion is the default", () => {
    expect(parseCommandLine(["build", "docs", "--no-recursive"])).toMatchObject({ input: "docs", recursive: false });
    expect(parseCommandLine(["build", "docs"])).not.toHaveProperty("recursive");
  });
});

describe("command line: rebuilds", () => {
  it("says when the EPUB and PDF were copied from the cache", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-cli-cache-"));
    const source = join(folder, "note.md");
    await writeFile(source, "---\ntitle: A Note\nlang: en\n---\n\n# A Note\n\nOne short paragraph.\n");
    const args = ["build", source, "--out", join(folder, "out"), "--formats", "epub,pdf", "--cache-dir", join(folder, "cache")];
    const first = lectern(args);
    expect(first.code).toBe(0);
    // Progress goes to standard error, as it would with a file or pipe for standard output.
    expect(first.stderr).toMatch(/epub: done in/);
    const second = lectern(args);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/epub: unchanged, copied from the cache in/);
    expect(second.stderr).toMatch(/pdf: unchanged, copied from the cache in/);
  });
});
