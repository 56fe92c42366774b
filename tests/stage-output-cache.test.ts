// The EPUB and PDF of an unchanged document come from the content cache; any change to what
// they depend on (the source, an option, an image the document refers to) makes them again.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedStageOutput } from "../src/stages/stage-output-cache.js";
import { build, type BuildResult } from "../src/pipeline.js";
import { imageReadOutcome, readImageFile } from "../src/stages/shared/image-files.js";
import type { Stage } from "../src/stages/stage.js";

const fixture = new URL("./fixtures/every-construct/", import.meta.url).pathname;

let folder: string;
let book: string;
let cacheDir: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "lectern-stage-cache-"));
  await cp(fixture, join(folder, "book"), { recursive: true });
  book = join(folder, "book", "document.md");
  cacheDir = join(folder, "cache");
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function buildBook(outName: string, extra: Parameters<typeof build>[1] = {}): Promise<BuildResult> {
  return build(book, { outDir: join(folder, outName), cacheDir, formats: ["epub", "pdf"], concurrency: 2, ...extra });
}

async function outputBytes(result: BuildResult): Promise<{ epub: Buffer; pdf: Buffer }> {
  return {
    epub: await readFile(join(result.outDir, result.stages.epub!.files[0]!)),
    pdf: await readFile(join(result.outDir, result.stages.pdf!.files[0]!)),
  };
}

async function cacheEntries(): Promise<number> {
  let count = 0;
  for (const sub of await readdir(cacheDir).catch(() => [])) count += (await readdir(join(cacheDir, sub))).filter((name) => name.endsWith(".json")).length;
  return count;
}

describe("EPUB and PDF from the content cache", () => {
  it("serves an unchanged document byte for byte, into any output folder, with the same warnings", async () => {
    const cold = await buildBook("first");
    expect(cold.ok).toBe(true);
    expect(cold.stages.epub!.fromCache).toBeUndefined();
    const entries = await cacheEntries();
    expect(entries).toBeGreaterThanOrEqual(2);

    const warm = await buildBook("second");
    expect(warm.stages.epub!.fromCache).toBe(true);
    expect(warm.stages.pdf!.fromCache).toBe(true);
    expect(warm.manifest.stages.pdf!.fromCache).toBe(true);
    expect(await cacheEntries()).toBe(entries);
    expect(await outputBytes(warm)).toEqual(await outputBytes(cold));
    expect(warm.manifest.outputs).toEqual(cold.manifest.outputs);
    // The fixture's missing and remote images are reported again, by the same stages.
    const rules = (result: BuildResult) => result.messages.map((message) => `${message.source}:${message.rule}`).sort();
    expect(rules(warm)).toEqual(rules(cold));
    expect(rules(warm)).toEqual(expect.arrayContaining(["epub:image-missing", "pdf:image-missing", "epub:image-remote-dropped"]));
  });

  it("makes them again when an image the document shows changes", async () => {
    const cold = await buildBook("first");
    const square = join(folder, "book", "images", "red-square.png");
    // Another valid PNG: the decorative rule's bytes under the square's name.
    await writeFile(square, await readFile(join(folder, "book", "images", "decorative-rule.png")));
    const changed = await buildBook("second");
    expect(changed.stages.epub!.fromCache).toBeUndefined();
    expect(changed.stages.pdf!.fromCache).toBeUndefined();
    const before = await outputBytes(cold);
    const after = await outputBytes(changed);
    expect(after.epub.equals(before.epub)).toBe(false);
    expect(after.pdf.equals(before.pdf)).toBe(false);
  });

  it("makes them again when a missing image appears", async () => {
    await buildBook("first");
    await cp(join(folder, "book", "images", "red-square.png"), join(folder, "book", "images", "missing.png"));
    const appeared = await buildBook("second");
    expect(appeared.stages.epub!.fromCache).toBeUndefined();
    expect(appeared.messages.some((message) => message.rule === "image-missing")).toBe(false);
  });

  it("makes them again when the source or an option they read changes, not for options they ignore", async () => {
    await buildBook("first", { paperSize: "A4" });
    const otherPaper = await buildBook("second", { paperSize: "Letter" });
    expect(otherPaper.stages.pdf!.fromCache).toBeUndefined();
    const otherConcurrency = await buildBook("third", { paperSize: "Letter", concurrency: 1 });
    expect(otherConcurrency.stages.pdf!.fromCache).toBe(true);
    await writeFile(book, `${await readFile(book, "utf8")}\nOne more paragraph.\n`);
    const edited = await buildBook("fourth", { paperSize: "Letter" });
    expect(edited.stages.pdf!.fromCache).toBeUndefined();
    expect(edited.stages.epub!.fromCache).toBeUndefined();
  });

  it("keys the output by the text that was read, not by the file as it is later", async () => {
    const { readDocument } = await import("../src/document/read.js");
    const { buildDocument } = await import("../src/pipeline.js");
    await writeFile(book, "# Version One\n\nThe first text of the note.\n");
    const { document, messages } = await readDocument(book);
    // Saved again between the read and the build (in a batch, a document can wait in the
    // queue for minutes): the build is of version one, and must not be filed under version two.
    await writeFile(book, "# Version Two\n\nThe second text of the note.\n");
    await buildDocument(document, messages, { outDir: join(folder, "first"), cacheDir, formats: ["epub"] });
    const second = await buildBook("second", { formats: ["epub"] });
    expect(second.stages.epub!.fromCache).toBeUndefined();
    expect(second.document.metadata.title).toBe("Version Two");
  });

  it("writes nothing more once the build is interrupted, even from the cache", async () => {
    await buildBook("first");
    const controller = new AbortController();
    const outDir = join(folder, "second");
    const result = await build(book, {
      outDir,
      cacheDir,
      formats: ["epub", "pdf"],
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "task-start") controller.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    // Give any task the queue gave up on time to finish, then look.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = (await readdir(outDir)).filter((name) => name.endsWith(".epub") || name.endsWith(".pdf"));
    expect(written).toEqual([]);
  });

  it("keeps the cache under its limit after a build, dropping what was used longest ago", async () => {
    const { ContentCache } = await import("../src/cache/content-cache.js");
    const { isEmptyObject } = await import("../src/cache/record-shape.js");
    const { utimes } = await import("node:fs/promises");
    const cache = new ContentCache(cacheDir);
    const stale = ContentCache.key("an old book's track");
    await cache.put(stale, Buffer.alloc(3 * 1024 ** 2), {});
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    await utimes(join(cacheDir, stale.slice(0, 2), `${stale}.json`), monthAgo, monthAgo);
    await buildBook("first", { cacheMaxMB: 1 });
    expect(await cache.get(stale, isEmptyObject)).toBeUndefined();
    // This build's own entries were kept: the next build is served from them.
    const second = await buildBook("second", { cacheMaxMB: 1 });
    expect(second.stages.epub!.fromCache).toBe(true);
  });

  it("refuses a cache limit that is not a whole number of megabytes", async () => {
    await expect(buildBook("first", { cacheMaxMB: 0 })).rejects.toThrow(/Expected `cacheMaxMB` to be a whole number of megabytes of at least 1, got `0`/);
  });

  it("is bypassed with --no-cache (cacheDir: false)", async () => {
    await buildBook("first");
    const uncached = await buildBook("second", { cacheDir: false });
    expect(uncached.stages.epub!.fromCache).toBeUndefined();
  });

  it("counts the images a stage reads for that stage only, when stages share the queue", async () => {
    const calls = { reader: 0, bystander: 0 };
    const image = join(folder, "book", "images", "red-square.png");
    // Two cached stages on a queue of one place: the bystander runs after the reader, and the
    // reader's image is not counted among the bystander's reads.
    const reader: Stage = {
      name: "epub",
      async write(doc, context) {
        calls.reader++;
        const file = await context.run("read", async () => readImageFile("images/red-square.png", doc.directory));
        const out = join(context.outDir, "reader.bin");
        await writeFile(out, file.kind === "file" ? file.data : new Uint8Array());
        return { manifest: {}, files: [out] };
      },
    };
    const bystander: Stage = {
      name: "pdf",
      async write(doc, context) {
        calls.bystander++;
        await context.run("read", async () => readImageFile("images/decorative-rule.png", doc.directory));
        const out = join(context.outDir, "bystander.bin");
        await writeFile(out, "constant");
        return { manifest: {}, files: [out] };
      },
    };
    const stages = [
      cachedStageOutput(reader, { outputFiles: () => ["reader.bin"], verifyRead: imageReadOutcome, unreadOptions: [] }),
      cachedStageOutput(bystander, { outputFiles: () => ["bystander.bin"], verifyRead: imageReadOutcome, unreadOptions: [] }),
    ];
    const run = (out: string) => build(book, { outDir: join(folder, out), cacheDir, stages, concurrency: 1 });
    await run("first");
    await run("second");
    expect(calls).toEqual({ reader: 1, bystander: 1 });
    // Only the reader depends on the square.
    await writeFile(image, await readFile(join(folder, "book", "images", "decorative-rule.png")));
    await run("third");
    expect(calls).toEqual({ reader: 2, bystander: 1 });
  });
});

describe("paths a cached stage output may be written to", () => {
  it("are plain relative paths: no absolute path, `..`, `.`, empty segment, NUL or backslash", async () => {
    const { isPlainRelativePath } = await import("../src/stages/stage-output-cache.js");
    for (const good of ["book.epub", "audio/01-one.mp3"]) expect(isPlainRelativePath(good), good).toBe(true);
    for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "./x", "a//b", "a/", "x\0.epub", "a\\b", "C:x", ".."]) expect(isPlainRelativePath(bad), bad).toBe(false);
  });

  it("never lead through a folder that is a symbolic link", async () => {
    const { confinedOutputPath } = await import("../src/stages/stage-output-cache.js");
    const { mkdir, symlink } = await import("node:fs/promises");
    const out = join(folder, "out");
    await mkdir(join(out, "real"), { recursive: true });
    await mkdir(join(folder, "elsewhere"));
    await symlink(join(folder, "elsewhere"), join(out, "linked"));
    expect(await confinedOutputPath(out, "real/file.mp3")).toBe(join(out, "real", "file.mp3"));
    expect(await confinedOutputPath(out, "new/file.mp3")).toBe(join(out, "new", "file.mp3"));
    expect(await confinedOutputPath(out, "linked/file.mp3")).toBeUndefined();
    expect(await confinedOutputPath(out, "../file.mp3")).toBeUndefined();
  });
});
