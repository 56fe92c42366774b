// The overrides reach the outputs: the EPUB's dc:title/dc:language/dc:creator, the PDF's Info,
// /Lang and XMP, and the manifest's `metadataSources` — read back from the files.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAll } from "../../src/batch.js";
import { build } from "../../src/pipeline.js";
import { openEpub } from "../helpers/epub.js";
import { readPdfStructure } from "../helpers/pdf.js";

const root = new URL("../..", import.meta.url).pathname;
const tsx = join(root, "node_modules/.bin/tsx");

const plainText = "A first paragraph of plain text, long enough to read as a paragraph of prose.\n\nA second paragraph follows it here.\n";

describe("overrides in the EPUB, the PDF and the manifest", () => {
  it.each([
    ["story.txt", plainText],
    ["story.md", "---\ntitle: Front Matter Title\nauthor: Front Author\nlang: en-GB\n---\n\n" + plainText],
  ])("%s built with metadata options", async (name, text) => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-metadata-out-"));
    await writeFile(join(folder, name), text);
    await writeFile(join(folder, "story.yaml"), "publisher: Sidecar Press\nauthor: Sidecar Author\n");
    const outDir = join(folder, "out");
    const result = await build(join(folder, name), {
      outDir,
      formats: ["epub", "pdf"],
      cacheDir: false,
      metadata: { title: "Über & <Title>", authors: ["Ann Writer", "Bob Author"], language: "de-AT", date: "2025-12-24" },
    });
    expect(result.ok).toBe(true);

    const epub = await openEpub(join(outDir, "story.epub"));
    expect(epub.metadata("dc:title")).toEqual(["Über & <Title>"]);
    expect(epub.metadata("dc:language")).toEqual(["de-AT"]);
    expect(epub.metadata("dc:creator")).toEqual(["Ann Writer and Bob Author"]);
    expect(epub.metadata("dc:publisher")).toEqual(["Sidecar Press"]);
    expect(epub.metadata("dc:date").join()).toMatch(/^2025-12-24/);

    const pdf = await readPdfStructure(join(outDir, "story.pdf"));
    expect(pdf.info.Title).toBe("Über & <Title>");
    expect(pdf.info.Author).toBe("Ann Writer and Bob Author");
    expect(pdf.language).toBe("de-AT");
    expect(pdf.xmpEntries.get("dc:title")).toBe("Über & <Title>");

    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ title: "Über & <Title>", language: "de-AT", author: "Ann Writer and Bob Author" });
    expect(manifest.metadataSources).toMatchObject({ title: "options", language: "options", author: "options", date: "options", publisher: "story.yaml" });
  });
});

describe("a folder build", () => {
  it("gives every document the overrides and the shared metadata file, and each its own <name>.yaml", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-metadata-folder-"));
    const input = join(folder, "books");
    await mkdir(input);
    await writeFile(join(input, "one.txt"), plainText);
    await writeFile(join(input, "one.yaml"), "title: Book One\n");
    await writeFile(join(input, "two.md"), "---\ntitle: Book Two\n---\n\n" + plainText);
    await writeFile(join(folder, "series.yaml"), "author: Series Author\ntitle: Series Title\n");
    const results = await buildAll(input, {
      outDir: join(folder, "out"),
      formats: ["epub"],
      cacheDir: false,
      metadata: { language: "nl" },
      metadataFile: join(folder, "series.yaml"),
    });
    expect(results.map((result) => [result.manifest.title, result.manifest.author, result.manifest.language, result.manifest.metadataSources?.title]).sort()).toEqual([
      ["Book One", "Series Author", "nl", "one.yaml"],
      ["Book Two", "Series Author", "nl", "front matter"],
    ]);
  });
});

function lectern(args: string[], cwd: string) {
  // INIT_CWD too: under `npm test` the CLI reads relative paths from the folder npm was started in.
  const result = spawnSync(tsx, [join(root, "src/cli.ts"), ...args], { cwd, env: { ...process.env, INIT_CWD: cwd }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the metadata flags, end to end", () => {
  it("--title, --author, --lang and --metadata reach the EPUB, the PDF and the manifest as `command line`", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-metadata-cli-"));
    await writeFile(join(folder, "note.txt"), plainText);
    await writeFile(join(folder, "shared.yaml"), "# shared by a series\nsource: https://example.org/series\nlang: it\n");
    const { code, stderr } = lectern(
      [
        "build",
        "note.txt",
        "--out",
        "out",
        "--formats",
        "epub,pdf",
        "--no-cache",
        "--title",
        "Flag Title",
        "--author",
        "One",
        "--author",
        "Two",
        "--lang",
        "fr-CH",
        "--metadata",
        "publisher=Flag Press",
        "--metadata-file",
        "shared.yaml",
        "--quiet",
      ],
      folder,
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const epub = await openEpub(join(folder, "out/note.epub"));
    expect(epub.metadata("dc:title")).toEqual(["Flag Title"]);
    expect(epub.metadata("dc:language")).toEqual(["fr-CH"]);
    expect(epub.metadata("dc:creator")).toEqual(["One and Two"]);
    const pdf = await readPdfStructure(join(folder, "out/note.pdf"));
    expect(pdf.info.Title).toBe("Flag Title");
    expect(pdf.language).toBe("fr-CH");
    const manifest = JSON.parse(await readFile(join(folder, "out/manifest.json"), "utf8"));
    expect(manifest.metadataSources).toMatchObject({ title: "command line", author: "command line", language: "command line", publisher: "command line", source: "shared.yaml" });
    expect(manifest.source).toBe("https://example.org/series");
  });

  it.each([
    [["--lang", "x y z"], /^error: Expected `--lang` on the command line to be a BCP 47 language tag, got `x y z`/],
    [["--metadata-file", "meta.yaml"], /^error: meta\.yaml:2: Expected `author` in meta\.yaml to be text or a list of names/],
  ])("%j: one line, the right exit code, no files", async (flags, pattern) => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-metadata-cli-bad-"));
    await writeFile(join(folder, "note.txt"), plainText);
    await writeFile(join(folder, "meta.yaml"), "title: Fine\nauthor: { twitter: nested }\n");
    const { code, stderr } = lectern(["build", "note.txt", "--out", "out", "--formats", "epub", ...flags], folder);
    const lines = stderr.split("\n").filter((line) => line.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(code).toBe(flags[0] === "--metadata-file" ? 78 : 2);
    await expect(readdir(join(folder, "out"))).rejects.toThrow();
  });
});
