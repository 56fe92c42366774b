// Writes and deletions stay inside --out and touch only Lectern's own kinds of file, even when
// the folder holds links, a forged manifest of this very source, or another document's build.
import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/output/atomic-write.js";
import { build } from "../../src/pipeline.js";
import type { Stage, StageName } from "../../src/stages/index.js";

/** A fast stage that writes the given files (relative to the output folder). */
function writing(name: StageName, files: readonly string[]): Stage {
  return {
    name,
    async write(_doc, context) {
      const paths = files.map((file) => join(context.outDir, file));
      await context.run(name, async () => {
        for (const path of paths) await writeFileAtomic(path, `${name} output`);
      });
      return { manifest: {}, files: paths };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function documentIn(folder: string, name = "doc.md", text = "# A doc\n\nAlpha text.\n"): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
}

describe("output confinement", () => {
  it("a folder in --out that is a link elsewhere is refused, and nothing is written through it", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-confine-"));
    const source = await documentIn(folder);
    const victim = join(folder, "victim");
    const outDir = join(folder, "out");
    await mkdir(victim);
    await mkdir(outDir);
    await writeFile(join(victim, "01-doc.mp3"), "precious");
    await symlink(victim, join(outDir, "audio"));

    const result = await build(source, { outDir, cacheDir: false, stages: [writing("epub", ["doc.epub"]), writing("audio", ["audio/01-doc.mp3"])] });
    expect(result.ok).toBe(false);
    expect(result.stages.audio?.error).toMatch(/leads outside the output folder/);
    expect(await readFile(join(victim, "01-doc.mp3"), "utf8")).toBe("precious");
    expect(await readdir(victim)).toEqual(["01-doc.mp3"]); // no temporary file left there either
    // The other stage is not taken down.
    expect(await readFile(join(outDir, "doc.epub"), "utf8")).toBe("epub output");
  });

  it("a forged manifest of this same source cannot delete the source, its neighbours or hidden files", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-confine-"));
    const source = await documentIn(folder);
    await writeFile(join(folder, "notes.txt"), "mine");
    await writeFile(join(folder, "picture.png"), "png");
    await mkdir(join(folder, ".git"));
    await writeFile(join(folder, ".git", "config"), "[core]");
    await writeFile(join(folder, ".hidden.epub"), "hidden");
    await writeFile(join(folder, "old.epub"), "an earlier build's output");
    const listed = ["doc.md", "notes.txt", "picture.png", ".git/config", ".hidden.epub", "old.epub"];
    await writeFile(
      join(folder, "manifest.json"),
      JSON.stringify({ generator: "Lectern 0.1.0", input: relative(await realpath(folder), await realpath(source)), stages: { epub: { status: "ok", files: listed } } }),
    );

    const result = await build(source, { outDir: folder, cacheDir: false, stages: [writing("epub", ["doc.epub"])] });
    expect(result.ok).toBe(true);
    for (const kept of ["doc.md", "notes.txt", "picture.png", ".git/config", ".hidden.epub"]) expect(await exists(join(folder, kept))).toBe(true);
    // What Lectern can have written is still cleaned up.
    expect(await exists(join(folder, "old.epub"))).toBe(false);
  });

  it("building a second document of the same name into a folder says so, and leaves the first's other files", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-confine-"));
    const first = await documentIn(join(folder, "a"));
    const second = await documentIn(join(folder, "b"), "doc.md", "# B doc\n\nBeta text.\n");
    const outDir = join(folder, "out");
    await build(first, { outDir, cacheDir: false, stages: [writing("epub", ["doc.epub"]), writing("pdf", ["doc.pdf"])] });

    const result = await build(second, { outDir, cacheDir: false, formats: ["epub"], stages: [writing("epub", ["doc.epub"]), writing("pdf", ["doc.pdf"])] });
    const warning = result.messages.find((message) => message.rule === "output-folder-shared");
    expect(warning?.reason).toContain("a/doc.md");
    expect(await exists(join(outDir, "doc.pdf"))).toBe(true);
  });
});
