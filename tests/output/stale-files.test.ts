// The stale-file cleanup deletes only what this document's own earlier build wrote: never
// another document's outputs, never anything outside --out, never a folder.
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import type { LecternDocument } from "../../src/document/model.js";
import type { Message } from "../../src/messages.js";
import { writeFileAtomic } from "../../src/output/atomic-write.js";
import { build, buildDocument } from "../../src/pipeline.js";
import type { Stage, StageName } from "../../src/stages/index.js";

const article = new URL("../../content/al-hol-emptied.md", import.meta.url).pathname;

/** A fast stage that writes the given files (relative to the output folder), or fails after writing them. */
function writing(name: StageName, files: readonly string[], fail = false): Stage {
  return {
    name,
    async write(_doc, context) {
      const paths = files.map((file) => join(context.outDir, file));
      await context.run(name, async () => {
        for (const path of paths) await writeFileAtomic(path, `${name} ${path}`);
      });
      if (fail) throw new Error(`${name} broke on purpose`);
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

async function readManifest(outDir: string) {
  return JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
}

/** A manifest this source's earlier build could have written, listing `files` under `audio`. */
async function sameSourceManifest(outDir: string, files: readonly unknown[], source = article) {
  return {
    title: "earlier",
    language: "en",
    input: relative(await realpath(outDir), await realpath(source)),
    generator: "Lectern 0.1.0",
    sections: [],
    outputs: {},
    stages: { audio: { status: "ok", seconds: 0, warnings: [], files } },
    warnings: [],
  };
}

describe("stale files: only this document's own earlier outputs", () => {
  it("a second document built into the same folder leaves the first one's EPUB and PDF alone", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-stale-"));
    const outDir = join(folder, "out");
    const second = join(folder, "second.md");
    await writeFile(second, "# Second\n\nAnother document entirely.\n");
    const stagesFor = (slug: string) => [writing("epub", [`${slug}.epub`]), writing("pdf", [`${slug}.pdf`])];
    await build(article, { outDir, stages: stagesFor("al-hol-emptied") });
    await build(second, { outDir, stages: stagesFor("second") });
    expect((await readdir(outDir)).sort()).toEqual(["al-hol-emptied.epub", "al-hol-emptied.pdf", "manifest.json", "second.epub", "second.pdf"]);
    // And the first document, built again, does not take the second's files for its own.
    await build(article, { outDir, stages: stagesFor("al-hol-emptied") });
    expect(await exists(join(outDir, "second.epub"))).toBe(true);
  });

  it("a listed path through a symbolic link out of the folder deletes nothing outside it", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-stale-"));
    const outDir = join(folder, "out");
    const somewhere = join(folder, "somewhere");
    await mkdir(outDir);
    await mkdir(somewhere);
    await writeFile(join(somewhere, "x.mp3"), "not Lectern's");
    await symlink(somewhere, join(outDir, "audio"));
    await writeFile(join(outDir, "manifest.json"), JSON.stringify(await sameSourceManifest(outDir, ["audio/x.mp3", join(somewhere, "x.mp3"), "../somewhere/x.mp3"])));
    const result = await build(article, { outDir, stages: [writing("audio", ["01-new.mp3"])] });
    expect(result.ok).toBe(true);
    expect(await readFile(join(somewhere, "x.mp3"), "utf8")).toBe("not Lectern's");
  });

  it("an old manifest that lists a folder does not stop the build, and the folder stays", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-stale-"));
    await mkdir(join(outDir, "audio", "kept"), { recursive: true });
    await writeFile(join(outDir, "audio", "kept", "inside.txt"), "mine");
    await writeFile(join(outDir, "manifest.json"), JSON.stringify(await sameSourceManifest(outDir, ["audio", "audio/kept"])));
    const result = await build(article, { outDir, stages: [writing("audio", ["audio/01-new.mp3"])] });
    expect(result.ok).toBe(true);
    expect(await readFile(join(outDir, "audio", "kept", "inside.txt"), "utf8")).toBe("mine");
  });

  it("the files of a skipped stage are carried forward, so a later build of that stage removes them", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-stale-"));
    const epub = writing("epub", ["al-hol-emptied.epub"]);
    await build(article, { outDir, stages: [epub, writing("audio", ["audio/01-old.mp3", "audio/02-old.mp3"])] });
    await build(article, { outDir, formats: ["epub"], stages: [epub, writing("audio", [])] });
    const between = await readManifest(outDir);
    expect(between.stages.audio).toMatchObject({ status: "skipped", files: ["audio/01-old.mp3", "audio/02-old.mp3"] });
    await build(article, { outDir, stages: [epub, writing("audio", ["audio/01-new.mp3"])] });
    expect((await readdir(join(outDir, "audio"))).sort()).toEqual(["01-new.mp3"]);
  });

  it("a failed stage lists what its earlier build left and what it wrote before failing; the next good build removes them", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-stale-"));
    await build(article, { outDir, stages: [writing("audio", ["audio/01-a.mp3"])] });
    const failed = await build(article, { outDir, stages: [writing("audio", ["audio/01-b.mp3"], true)] });
    expect(failed.stages.audio?.status).toBe("failed");
    expect((await readManifest(outDir)).stages.audio.files).toEqual(["audio/01-a.mp3", "audio/01-b.mp3"]);
    await build(article, { outDir, stages: [writing("audio", ["audio/01-c.mp3"])] });
    expect((await readdir(join(outDir, "audio"))).sort()).toEqual(["01-c.mp3"]);
  });
});

describe("stale files: a manifest that is not a file", () => {
  it("a FIFO or a link to /dev/zero named manifest.json is ignored, not read (a read would never end)", { timeout: 20_000 }, async () => {
    const plants = [(path: string) => execFileSync("mkfifo", [path]), (path: string) => symlink("/dev/zero", path)];
    for (const plant of plants) {
      const outDir = await mkdtemp(join(tmpdir(), "lectern-stale-"));
      await plant(join(outDir, "manifest.json"));
      const error = await build(article, { outDir, cacheDir: false, stages: [writing("epub", ["book.epub"])] }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      // The build reads nothing from it; writing the new manifest replaces the odd file.
      expect(error).toBeUndefined();
      expect((await readManifest(outDir)).stages.epub.files).toEqual(["book.epub"]);
    }
  });
});

describe("stale files: hostile manifests (property)", () => {
  let document: LecternDocument;
  let readMessages: readonly Message[];
  beforeAll(async () => {
    ({ document, messages: readMessages } = await readDocument(article));
  });

  /** Paths a hostile or corrupt manifest might list. */
  const hostileEntry = fc.oneof(
    fc.constantFrom(
      "victim.epub",
      "user.txt",
      "sub/keep.txt",
      "./user.txt",
      "sub/../user.txt",
      "sub//keep.txt",
      "../outside/secret.txt",
      "../../outside/secret.txt",
      "linked/secret.txt",
      "linked",
      "sub",
      "dir",
      "manifest.json",
      ".lectern.lock",
      "link-to-secret",
      "",
      "sub\\keep.txt",
      "user.txt\0",
    ),
    fc.constant("@ABSOLUTE@"),
    fc.string({ maxLength: 12 }),
    fc.oneof(fc.integer(), fc.constant(null), fc.constant({ path: "user.txt" }), fc.constant(["user.txt"])),
  );
  const manifestKind = fc.constantFrom("same-source", "other-source", "not-lectern", "no-input", "array", "broken-json", "stages-not-object");

  it("never deletes outside the folder, never a folder or a link, and only files this source's Lectern manifest lists plainly", async () => {
    const root = await mkdtemp(join(tmpdir(), "lectern-stale-fuzz-"));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(manifestKind, fc.array(hostileEntry, { maxLength: 12 }), fc.constantFrom<StageName>("epub", "pdf", "audio"), async (kind, rawEntries, stageName) => {
        run += 1;
        const folder = join(root, `run-${run}`);
        const outDir = join(folder, "out");
        const outside = join(folder, "outside");
        await mkdir(join(outDir, "sub"), { recursive: true });
        await mkdir(join(outDir, "dir"));
        await mkdir(outside);
        await writeFile(join(outside, "secret.txt"), "secret");
        await symlink(outside, join(outDir, "linked"));
        await symlink(join(outside, "secret.txt"), join(outDir, "link-to-secret"));
        for (const file of ["victim.epub", "user.txt", "sub/keep.txt"]) await writeFile(join(outDir, file), file);
        const entries = rawEntries.map((entry) => (entry === "@ABSOLUTE@" ? join(outside, "secret.txt") : entry));
        const manifest = await sameSourceManifest(outDir, entries);
        const stages = { [stageName]: manifest.stages.audio };
        const text = {
          "same-source": () => JSON.stringify({ ...manifest, stages }),
          "other-source": () => JSON.stringify({ ...manifest, stages, input: "../elsewhere/other.md" }),
          "not-lectern": () => JSON.stringify({ ...manifest, stages, generator: "Something else 1.0" }),
          "no-input": () => JSON.stringify({ ...manifest, stages, input: undefined }),
          array: () => JSON.stringify([manifest]),
          "broken-json": () => JSON.stringify(manifest).slice(0, 40),
          "stages-not-object": () => JSON.stringify({ ...manifest, stages: entries }),
        }[kind]();
        await writeFile(join(outDir, "manifest.json"), text);

        const result = await buildDocument(document, readMessages, { outDir, cacheDir: false, stages: [writing(stageName, ["fresh.txt"])] });
        expect(result.ok).toBe(true);

        // Outside the folder, links and folders: always intact.
        expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret");
        expect((await lstat(join(outDir, "linked"))).isSymbolicLink()).toBe(true);
        expect((await lstat(join(outDir, "link-to-secret"))).isSymbolicLink()).toBe(true);
        expect((await lstat(join(outDir, "sub"))).isDirectory()).toBe(true);
        expect((await lstat(join(outDir, "dir"))).isDirectory()).toBe(true);
        // Inside: a file goes only when this source's own Lectern manifest lists it by its plain path.
        const deletable = kind === "same-source" ? new Set(entries.filter((entry): entry is string => typeof entry === "string")) : new Set<string>();
        for (const file of ["victim.epub", "user.txt", "sub/keep.txt"]) {
          // …and only when it is a kind of file Lectern writes (user.txt never is).
          expect(await exists(join(outDir, file))).toBe(!(deletable.has(file) && file.endsWith(".epub")));
        }
        expect(await exists(join(outDir, "fresh.txt"))).toBe(true);
        expect(await exists(join(outDir, ".lectern.lock"))).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
