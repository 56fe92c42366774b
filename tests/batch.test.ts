// Folder builds: the tree searched and mirrored under --out, what is never searched, clashes
// in the mirrored layout, and every event naming its document.
import { chmod, mkdir, mkdtemp, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAll, documentFolder, findSources } from "../src/batch.js";
import { LecternError } from "../src/messages.js";
import { writeFileAtomic } from "../src/output/atomic-write.js";
import type { PipelineEvent } from "../src/pipeline.js";
import type { Stage } from "../src/stages/stage.js";
import { openEpub } from "./helpers/epub.js";

const markdown = (title: string) => `# ${title}\n\nA short paragraph about ${title.toLowerCase()}.\n`;

/**
 * content/
 *   alpha.md, guide/intro.md, guide/deep/more.txt   documents
 *   node_modules/pkg/readme.md, .git/notes.md, .drafts/draft.md   never searched
 *   out/old.md                                      the output folder (inside the input folder)
 *   back-up -> content, guide-again -> guide        links back up the tree and to a searched folder
 *   elsewhere -> ../outside (holds stray.md)        a link out of the input folder
 *   lib -> node_modules, drafts -> .drafts          links into folders never searched
 */
async function contentTree() {
  const folder = await mkdtemp(join(tmpdir(), "lectern-batch-"));
  const content = join(folder, "content");
  const files: Record<string, string> = {
    "alpha.md": markdown("Alpha"),
    "guide/intro.md": markdown("Intro"),
    "guide/deep/more.txt": "More\n\nA plain-text document one folder deeper than the guide, with a longer line.\n",
    "node_modules/pkg/readme.md": markdown("Package"),
    ".git/notes.md": markdown("Git"),
    ".drafts/draft.md": markdown("Draft"),
    "out/old.md": markdown("Old"),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(content, name, ".."), { recursive: true });
    await writeFile(join(content, name), text);
  }
  await mkdir(join(folder, "outside"));
  await writeFile(join(folder, "outside", "stray.md"), markdown("Stray"));
  await symlink(content, join(content, "back-up"), "dir");
  await symlink(join(content, "guide"), join(content, "guide-again"), "dir");
  await symlink(join(folder, "outside"), join(content, "elsewhere"), "dir");
  await symlink(join(content, "node_modules"), join(content, "lib"), "dir");
  await symlink(join(content, ".drafts"), join(content, "drafts"), "dir");
  return { folder, content, outDir: join(content, "out") };
}

describe("finding the documents of a folder", () => {
  it("searches sub-folders, but not node_modules, hidden folders, the output folder or links out of the folder or back up it", async () => {
    const { content, outDir } = await contentTree();
    const { files, isFolder } = await findSources(content, { outputFolder: outDir });
    expect(isFolder).toBe(true);
    expect(files).toEqual([join(content, "alpha.md"), join(content, "guide/deep/more.txt"), join(content, "guide/intro.md")]);
  });

  it("recursive: false finds only the documents directly inside", async () => {
    const { content, outDir } = await contentTree();
    expect((await findSources(content, { outputFolder: outDir, recursive: false })).files).toEqual([join(content, "alpha.md")]);
  });

  it("an input folder inside --out is still searched (only --out itself is skipped, not what lies below it)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-"));
    const content = join(folder, "out", "docs");
    await mkdir(join(content, "guide"), { recursive: true });
    await writeFile(join(content, "guide", "intro.md"), markdown("Intro"));
    expect((await findSources(content, { outputFolder: join(folder, "out") })).files).toEqual([join(content, "guide/intro.md")]);
  });

  // As root (CI containers) every folder can be read: there is nothing to refuse.
  it.skipIf(process.getuid?.() === 0)("a sub-folder that cannot be read is reported, naming it, and the others are still found", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-"));
    await mkdir(join(folder, "locked"));
    await writeFile(join(folder, "alpha.md"), markdown("Alpha"));
    await chmod(join(folder, "locked"), 0);
    try {
      const unreadable: string[] = [];
      const { files } = await findSources(folder, { onUnreadableFolder: (path, error) => unreadable.push(`${path} ${error.format()}`) });
      expect(files).toEqual([join(folder, "alpha.md")]);
      expect(unreadable).toEqual([`${join(folder, "locked")} ${join(folder, "locked")}: cannot read this folder: no permission to read it (EACCES)`]);
      await expect(findSources(folder)).rejects.toThrow(/locked: cannot read this folder/);
    } finally {
      await chmod(join(folder, "locked"), 0o755);
    }
  });

  it("a document's folder under --out mirrors its folder under the input", () => {
    expect(documentFolder("/docs", "/docs/guide/intro.md", "intro")).toBe("guide/intro");
    expect(documentFolder("/docs", "/docs/alpha.md", "alpha")).toBe("alpha");
    expect(documentFolder("/docs/alpha.md", "/docs/alpha.md", "alpha")).toBe("alpha");
  });
});

describe("building a folder tree", () => {
  it("builds every document into <out>/<sub-folders>/<document>/, and each event names its document", async () => {
    const { content, outDir } = await contentTree();
    const events: PipelineEvent[] = [];
    const results = await buildAll(content, { outDir, formats: ["epub"], cacheDir: false, onEvent: (event) => events.push(event) });
    expect(results.map((result) => result.outDir).sort()).toEqual([join(outDir, "alpha"), join(outDir, "guide/deep/more"), join(outDir, "guide/intro")]);
    const intro = await openEpub(join(outDir, "guide/intro/intro.epub"));
    expect(intro.metadata("dc:title")).toEqual(["Intro"]);
    const more = await openEpub(join(outDir, "guide/deep/more/more.epub"));
    expect(more.metadata("dc:title")).toEqual(["More"]);
    // Nothing from the skipped folders was built, and the output folder holds only the three.
    expect((await readdir(outDir)).sort()).toEqual(["alpha", "guide", "old.md"]);

    // The documents run interleaved on one queue: every event says which one it is about.
    const sources = results.map((result) => result.document.path).sort();
    expect([...new Set(events.map((event) => event.source))].sort()).toEqual(sources);
    for (const source of sources) {
      const own = events.filter((event) => event.source === source);
      const announced = own.find((event) => event.type === "document");
      expect(announced?.type === "document" && announced.document.path).toBe(source);
      expect(own.filter((event) => event.type === "stage-end").map((event) => event.type === "stage-end" && event.status)).toEqual(["ok"]);
    }
  });

  it("a task on the shared queue runs as its own document's: a failed stage's partial file is listed in its own manifest", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-queue-"));
    const content = join(folder, "content");
    await mkdir(content);
    const names = ["alpha", "beta", "gamma", "delta"];
    for (const name of names) await writeFile(join(content, `${name}.md`), markdown(name));
    // Writes a file from a queued task, then fails: the pipeline keeps what it wrote, so that a
    // later build can clean it up — as long as the write is recorded for the right document.
    const failingAfterWriting: Stage = {
      name: "epub",
      async write(document, context) {
        await context.run("partial", () => writeFileAtomic(join(context.outDir, `${document.slug}.partial`), "half"));
        throw new Error("failed after writing");
      },
    };
    const results = await buildAll(content, { outDir: join(folder, "out"), cacheDir: false, concurrency: 1, stages: [failingAfterWriting] });
    expect(results).toHaveLength(names.length);
    for (const result of results) {
      expect(result.stages.epub?.status).toBe("failed");
      expect(result.stages.epub?.files).toEqual([`${result.document.slug}.partial`]);
    }
  });

  it("two sub-folders whose names differ only in Unicode normalization are one output folder (as on macOS)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-nfc-"));
    const composed = join(folder, "content", "caf\u00e9");
    const decomposed = join(folder, "content", "cafe\u0301");
    for (const path of [composed, decomposed]) {
      await mkdir(path, { recursive: true });
      await writeFile(join(path, "menu.md"), markdown("Menu"));
    }
    const refused: string[] = [];
    const results = await buildAll(join(folder, "content"), {
      outDir: join(folder, "out"),
      formats: ["epub"],
      cacheDir: false,
      onDocumentError: (file) => refused.push(file),
    });
    expect(results).toHaveLength(1);
    expect(refused).toHaveLength(1);
  });

  it("refuses, naming both, two documents of the mirrored tree that share a folder (case-insensitively) or nest one in the other", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-clash-"));
    const content = join(folder, "content");
    await mkdir(join(content, "guide"), { recursive: true });
    await mkdir(join(content, "notes"), { recursive: true });
    await writeFile(join(content, "guide", "Intro.md"), markdown("Intro"));
    await writeFile(join(content, "guide", "intro.txt"), "Intro\n\nThe same name in plain text, a second document.\n");
    await writeFile(join(content, "notes.md"), markdown("Notes"));
    await writeFile(join(content, "notes", "monday.md"), markdown("Monday"));
    const outDir = join(folder, "out");
    const refused: [string, string][] = [];
    const results = await buildAll(content, {
      outDir,
      formats: ["epub"],
      cacheDir: false,
      onDocumentError: (file, error) => refused.push([file, error instanceof LecternError ? error.format() : String(error)]),
    });
    expect(results.map((result) => result.document.path).sort()).toEqual([join(content, "guide/Intro.md"), join(content, "notes.md")]);
    expect(refused).toEqual([
      [
        join(content, "guide/intro.txt"),
        `${join(content, "guide/intro.txt")}: builds into the same output folder as guide/Intro.md (${join(outDir, "guide/intro")}) (rename one of the two files, or build them one at a time with different --out folders)`,
      ],
      [
        join(content, "notes/monday.md"),
        `${join(content, "notes/monday.md")}: builds into an output folder nested with that of notes.md (${join(outDir, "notes/monday")}) (rename one of the two (the file or the folder), or build them one at a time with different --out folders)`,
      ],
    ]);
  });
});
