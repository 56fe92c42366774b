// Every way the output folder can be wrong is one line: an OUTPUT error (exit 73) naming the
// path and the reason in words, a USAGE error for an empty name, a CONFIG error for a bad
// SOURCE_DATE_EPOCH; crash leftovers are removed by the next build.
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildAll } from "../../src/batch.js";
import { LecternError } from "../../src/messages.js";
import { writeFileAtomic } from "../../src/output/atomic-write.js";
import { outputFailure } from "../../src/output/folder.js";
import { build } from "../../src/pipeline.js";
import type { Stage, StageName } from "../../src/stages/index.js";

const article = new URL("../../content/al-hol-emptied.md", import.meta.url).pathname;

function writing(name: StageName, files: readonly string[]): Stage {
  return {
    name,
    async write(_doc, context) {
      const paths = files.map((file) => join(context.outDir, file));
      await context.run(name, async () => {
        for (const path of paths) await writeFileAtomic(path, name);
      });
      return { manifest: {}, files: paths };
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<LecternError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LecternError);
  return error as LecternError;
}

describe("output folder errors", () => {
  it("a manifest that cannot be written is an OUTPUT error naming manifest.json and the reason", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    await mkdir(join(outDir, "manifest.json", "in-the-way"), { recursive: true });
    const error = await failure(build(article, { outDir, cacheDir: false, stages: [writing("epub", ["book.epub"])] }));
    expect(error.exitCode).toBe(73);
    expect(error.format()).toBe(`${join(outDir, "manifest.json")}: cannot write the file: a folder is in the way of a file (EISDIR)`);
    expect((await readdir(outDir)).filter((name) => name.startsWith(".lectern"))).toEqual([]);
  });

  it("a full disk is said in words, with the path (a real ENOSPC from /dev/full)", async () => {
    const enospc = await writeFile("/dev/full", "x").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((enospc as NodeJS.ErrnoException).code).toBe("ENOSPC");
    const error = outputFailure(enospc, "/out/manifest.json", "write the file");
    expect(error.exitCode).toBe(73);
    expect(error.format("/work")).toBe("/out/manifest.json: cannot write the file: the disk is full (ENOSPC)");
  });

  it("--out naming an existing file says it is a file, not a folder, with a hint", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    const file = join(folder, "notes.txt");
    await writeFile(file, "mine");
    const error = await failure(build(article, { outDir: file, cacheDir: false, stages: [writing("epub", ["book.epub"])] }));
    expect(error.exitCode).toBe(73);
    expect(error.format()).toBe(`${file}: the output folder is a file, not a folder (choose another --out folder, or move the file away)`);
    expect(await readFile(file, "utf8")).toBe("mine");
  });

  it("--out inside a file names the file; a folder build says it once, not once per document", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    await writeFile(join(folder, "file"), "mine");
    const content = join(folder, "content");
    await mkdir(content);
    await writeFile(join(content, "one.md"), "# One\n\nText.\n");
    await writeFile(join(content, "two.md"), "# Two\n\nText.\n");
    const refused: unknown[] = [];
    const error = await failure(
      buildAll(content, { outDir: join(folder, "file", "out"), cacheDir: false, stages: [writing("epub", [])], onDocumentError: (_file, problem) => refused.push(problem) }),
    );
    expect(refused).toEqual([]);
    expect(error.exitCode).toBe(73);
    expect(error.format()).toBe(
      `${join(folder, "file", "out")}: cannot create the output folder: ${join(folder, "file")} is a file, not a folder (ENOTDIR) (choose another --out folder, or move the file away)`,
    );
  });

  it("an empty output folder name is refused, by build and by buildAll", async () => {
    const stages = [writing("epub", [])]; // were it accepted, nothing but a manifest would be written
    for (const run of [() => build(article, { outDir: "", cacheDir: false, stages }), () => buildAll(article, { outDir: " ", cacheDir: false, stages })]) {
      const error = await failure(run());
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/^Expected the output folder \(`--out`, `outDir`\) to be a folder name, got `" ?"` \(string\)$/);
    }
  });

  it("an output folder the file system will never create (/proc/self/x) fails at once, in one line", { timeout: 10_000 }, async () => {
    const error = await failure(build(article, { outDir: "/proc/self/x", cacheDir: false, stages: [writing("epub", ["book.epub"])] }));
    expect(error.exitCode).toBe(73);
    expect(error.format()).toBe("/proc/self/x: cannot create the output folder: the file system does not allow a file or folder there (ENOENT)");
  });
});

describe("atomic writes", () => {
  it("a file name near the 255-byte limit is written: its temporary name is shortened to fit", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    const name = `${"é".repeat(120)}.mp3`; // 244 bytes
    await writeFileAtomic(join(outDir, name), "track");
    expect(await readFile(join(outDir, name), "utf8")).toBe("track");
    expect(await readdir(outDir)).toEqual([name]);
  });
});

describe("SOURCE_DATE_EPOCH", () => {
  const saved = process.env.SOURCE_DATE_EPOCH;
  afterEach(() => {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  });

  for (const value of ["yesterday", "-5", "1.5", "99999999999999", "1e9"]) {
    it(`\`${value}\` is a CONFIG error naming the variable, the value and what is expected`, async () => {
      process.env.SOURCE_DATE_EPOCH = value;
      const outDir = await mkdtemp(join(tmpdir(), "lectern-folder-"));
      const error = await failure(build(article, { outDir, cacheDir: false, stages: [writing("epub", ["book.epub"])] }));
      expect(error.exitCode).toBe(78);
      expect(error.message).toBe(`Expected SOURCE_DATE_EPOCH to be a whole number of seconds since 1970-01-01 UTC, from 0 to 253402300799 (9999-12-31), got \`${value}\``);
      expect(await readdir(outDir)).toEqual([]);
    });
  }

  it("a good value is used; an empty one means unset", async () => {
    let seen: Date | undefined;
    const dated: Stage = {
      name: "epub",
      async write(_doc, context) {
        seen = context.options.now;
        return { manifest: {}, files: [] };
      },
    };
    process.env.SOURCE_DATE_EPOCH = "1700000000";
    await build(article, { outDir: await mkdtemp(join(tmpdir(), "lectern-folder-")), cacheDir: false, stages: [dated] });
    expect(seen?.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    process.env.SOURCE_DATE_EPOCH = "";
    const folder = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    await writeFile(join(folder, "dated.md"), "---\ndate: 2026-02-13\n---\n\n# Dated\n\nText.\n");
    await build(join(folder, "dated.md"), { outDir: join(folder, "out"), cacheDir: false, stages: [dated] });
    expect(seen?.toISOString()).toBe("2026-02-13T00:00:00.000Z"); // the document's `date`
  });
});

describe("folder builds", () => {
  it("two documents whose names give one output folder are named, both, before anything is built", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    const content = join(folder, "content");
    await mkdir(content);
    await writeFile(join(content, "notes.md"), "# Notes\n\nMarkdown notes.\n");
    await writeFile(join(content, "notes.txt"), "Notes\n\nPlain notes, a second document.\n");
    await writeFile(join(content, "other.md"), "# Other\n\nA third.\n");
    const outDir = join(folder, "out");
    const refused: [string, unknown][] = [];
    const results = await buildAll(content, {
      outDir,
      cacheDir: false,
      stages: [writing("epub", ["book.epub"])],
      onDocumentError: (file, error) => refused.push([file, error]),
    });
    expect(results.map((result) => result.document.path).sort()).toEqual([join(content, "notes.md"), join(content, "other.md")]);
    expect(refused).toHaveLength(1);
    const [file, error] = refused[0]!;
    expect(file).toBe(join(content, "notes.txt"));
    expect(error).toBeInstanceOf(LecternError);
    expect((error as LecternError).exitCode).toBe(73);
    expect((error as LecternError).format()).toBe(
      `${join(content, "notes.txt")}: builds into the same output folder as notes.md (${join(outDir, "notes")}) (rename one of the two files, or build them one at a time with different --out folders)`,
    );
  });
});

describe("crash leftovers", () => {
  it("the next build removes Lectern's temporary files in the folder and its audio folder: only that name pattern, only regular files", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    const outDir = join(folder, "out");
    const elsewhere = join(folder, "elsewhere");
    await mkdir(join(outDir, "audio"), { recursive: true });
    await mkdir(elsewhere);
    const leftovers = [".lectern-tmp-al-hol-emptied.epub-0123abcd", "audio/.lectern-tmp-01-intro.mp3-deadbeef"];
    for (const file of leftovers) await writeFile(join(outDir, file), "half written");
    // A lock's temporary file is removed when its owner has ended, kept when it names a live one
    // (a contender at work); one that stays empty for a second was left by a build killed
    // between creating and filling it, and goes too.
    const deadOwner = JSON.stringify({ lectern: "output-lock", pid: 999_999_999, host: hostname(), token: "gone" });
    await writeFile(join(outDir, ".lectern-tmp-.lectern.lock-00ff00ff"), deadOwner);
    leftovers.push(".lectern-tmp-.lectern.lock-00ff00ff");
    const liveOwner = JSON.stringify({ lectern: "output-lock", pid: process.pid, host: hostname(), token: "at-work" });
    await writeFile(join(outDir, ".lectern-tmp-.lectern.lock-11ff11ff"), liveOwner);
    await writeFile(join(outDir, ".lectern-tmp-.lectern.lock-22ff22ff"), "");
    leftovers.push(".lectern-tmp-.lectern.lock-22ff22ff");
    const kept = [".lectern-tmp-notes", "lectern-tmp-x.mp3-0123abcd", ".lectern-tmp-x.mp3-0123ABCD", "audio/mine.mp3"];
    for (const file of kept) await writeFile(join(outDir, file), "the user's");
    await mkdir(join(outDir, ".lectern-tmp-folder-0123abcd")); // a folder: never removed
    await writeFile(join(elsewhere, ".lectern-tmp-y.mp3-0123abcd"), "outside");
    await symlink(join(elsewhere, ".lectern-tmp-y.mp3-0123abcd"), join(outDir, ".lectern-tmp-link.mp3-0123abcd"));
    await symlink(elsewhere, join(outDir, "linked"));

    const result = await build(article, { outDir, cacheDir: false, stages: [writing("epub", ["al-hol-emptied.epub"])] });
    expect(result.ok).toBe(true);
    for (const file of leftovers) await expect(lstat(join(outDir, file))).rejects.toThrow(/ENOENT/);
    for (const file of kept) expect(await readFile(join(outDir, file), "utf8")).toBe("the user's");
    expect(await readFile(join(outDir, ".lectern-tmp-.lectern.lock-11ff11ff"), "utf8")).toBe(liveOwner);
    expect((await lstat(join(outDir, ".lectern-tmp-folder-0123abcd"))).isDirectory()).toBe(true);
    expect((await lstat(join(outDir, ".lectern-tmp-link.mp3-0123abcd"))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(elsewhere, ".lectern-tmp-y.mp3-0123abcd"), "utf8")).toBe("outside");
  });

  it("a batch build's document folder keeps the temporary files of its own build", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-folder-"));
    await mkdir(join(outDir, "other-document"));
    await writeFile(join(outDir, "other-document", ".lectern.lock"), "{}");
    await writeFile(join(outDir, "other-document", ".lectern-tmp-other.pdf-0123abcd"), "being written by that build");
    await build(article, { outDir, cacheDir: false, stages: [writing("epub", ["al-hol-emptied.epub"])] });
    expect(await readFile(join(outDir, "other-document", ".lectern-tmp-other.pdf-0123abcd"), "utf8")).toBe("being written by that build");
  });
});
