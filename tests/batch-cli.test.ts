// Folder builds and paths through the real command: progress lines naming each document, and
// relative paths read from the folder the user typed the command in (npm's INIT_CWD).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandFolder } from "../src/cli.js";
import { openEpub } from "./helpers/epub.js";

const root = new URL("..", import.meta.url).pathname;
const tsx = join(root, "node_modules/.bin/tsx");

/** The command, started as npm starts it: in the repository (or `cwd`), with `env` (INIT_CWD…) added. */
function lectern(args: string[], env: Record<string, string> = {}, cwd = root) {
  const { INIT_CWD: _initial, npm_lifecycle_script: _script, npm_package_json: _package, LECTERN_CACHE_DIR: _cache, ...inherited } = process.env;
  const result = spawnSync(tsx, [join(root, "src/cli.ts"), ...args], { cwd, env: { ...inherited, ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const markdown = (title: string) => `# ${title}\n\nA short paragraph about ${title.toLowerCase()}.\n`;

describe("a folder build through the command", () => {
  it("names the right document on every progress line, sub-folders by their path", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-cli-"));
    const content = join(folder, "content");
    await mkdir(join(content, "guide"), { recursive: true });
    for (const name of ["alpha", "beta", "gamma"]) await writeFile(join(content, `${name}.md`), markdown(name));
    await writeFile(join(content, "guide", "intro.md"), markdown("Intro"));
    const { code, stderr } = lectern(["build", content, "--out", join(folder, "out"), "--formats", "epub", "--no-cache"]);
    expect(code, stderr).toBe(0);
    const done = stderr
      .split("\n")
      .filter((line) => / epub: done in /.test(line))
      .map((line) => line.split(" ")[0])
      .sort();
    expect(done).toEqual(["alpha", "beta", "gamma", "guide/intro"]);
  });

  it("--no-recursive builds only the documents directly inside", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-batch-cli-"));
    const content = join(folder, "content");
    await mkdir(join(content, "guide"), { recursive: true });
    await writeFile(join(content, "alpha.md"), markdown("Alpha"));
    await writeFile(join(content, "guide", "intro.md"), markdown("Intro"));
    const { code, stderr } = lectern(["build", content, "--out", join(folder, "out"), "--formats", "epub", "--no-cache", "--no-recursive"]);
    expect(code, stderr).toBe(0);
    expect(await readdir(join(folder, "out"))).toEqual(["alpha"]);
  });
});

describe("relative paths under npm run", () => {
  it("the input, --out and --cache-dir are read from INIT_CWD, the folder the user typed the command in", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-init-cwd-"));
    await mkdir(join(folder, "docs", "guide"), { recursive: true });
    await writeFile(join(folder, "docs", "guide", "intro.md"), markdown("Intro"));
    await writeFile(join(folder, "note.md"), markdown("Note"));

    const single = lectern(["build", "note.md", "--out", "built", "--formats", "epub", "--cache-dir", "cache"], { INIT_CWD: folder });
    expect(single.code, single.stderr).toBe(0);
    expect((await openEpub(join(folder, "built", "note.epub"))).metadata("dc:title")).toEqual(["Note"]);
    expect(existsSync(join(folder, "cache"))).toBe(true);
    // The closing line names the output folder as the user would type it, from their folder.
    expect(single.stderr).toMatch(/^built: epub written; manifest\.json$/m);

    const tree = lectern(["build", "docs", "--out", "docs-out", "--formats", "epub", "--no-cache"], { INIT_CWD: folder });
    expect(tree.code, tree.stderr).toBe(0);
    expect((await openEpub(join(folder, "docs-out", "guide", "intro", "intro.epub"))).metadata("dc:title")).toEqual(["Intro"]);
    expect(tree.stderr).toMatch(/^docs-out\/guide\/intro: epub written; manifest\.json$/m);
    // Nothing was read from or written into the repository the command ran in.
    for (const name of ["note.md", "built", "docs-out", "cache"]) expect(existsSync(join(root, name))).toBe(false);
  });

  it("errors name files as the user typed them, relative to INIT_CWD", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-init-cwd-"));
    await mkdir(join(folder, "docs"));
    await writeFile(join(folder, "docs", "empty.md"), "");
    const missing = lectern(["build", "missing.md", "--formats", "epub", "--no-cache"], { INIT_CWD: folder });
    expect(missing.code).toBe(65);
    expect(missing.stderr.trim()).toBe("error: missing.md: no such file or folder");
    const empty = lectern(["build", "docs/empty.md", "--out", "out", "--formats", "epub", "--no-cache"], { INIT_CWD: folder });
    expect(empty.code).toBe(65);
    expect(empty.stderr).toMatch(/^error: docs\/empty\.md: is empty/m);
  });

  it("an empty --out is still refused (resolved, it would name the user's folder)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-init-cwd-"));
    await writeFile(join(folder, "note.md"), markdown("Note"));
    const { code, stderr } = lectern(["build", "note.md", "--out", "", "--formats", "epub", "--no-cache"], { INIT_CWD: folder });
    expect(code).toBe(2);
    expect(stderr).toMatch(/Expected the output folder/);
    expect(await readdir(folder)).toEqual(["note.md"]);
  });

  it("under npm, a command started in another folder than the package's (INIT_CWD inherited) reads paths from its own folder", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-init-cwd-"));
    const elsewhere = await mkdtemp(join(tmpdir(), "lectern-init-cwd-elsewhere-"));
    await writeFile(join(folder, "note.md"), markdown("Note"));
    const env = { INIT_CWD: elsewhere, npm_package_json: join(root, "package.json") };
    const { code, stderr } = lectern(["build", "note.md", "--out", "out", "--formats", "epub", "--no-cache"], env, folder);
    expect(code, stderr).toBe(0);
    expect(existsSync(join(folder, "out", "note.epub"))).toBe(true);
    expect(await readdir(elsewhere)).toEqual([]);
    // Started by npm in the package folder, it reads them from INIT_CWD.
    expect(commandFolder(env, root).resolve("note.md")).toBe(join(elsewhere, "note.md"));
  });

  it("an INIT_CWD that is not a folder is ignored: paths are read from the working folder", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-init-cwd-"));
    await writeFile(join(folder, "note.md"), markdown("Note"));
    const { code, stderr } = lectern(["build", join(folder, "note.md"), "--out", join(folder, "out"), "--formats", "epub", "--no-cache"], {
      INIT_CWD: join(folder, "note.md"),
    });
    expect(code, stderr).toBe(0);
    expect(existsSync(join(folder, "out", "note.epub"))).toBe(true);
  });

  it("a path written in the npm script itself (npm start's `content`) is the package's; one the user added is theirs", () => {
    const paths = commandFolder({ INIT_CWD: root + "tests", npm_lifecycle_script: "npm run build --silent && node dist/cli.js build content --out=output" }, root);
    expect(paths.folder).toBe(join(root, "tests"));
    expect(paths.resolve("content")).toBe(join(root, "content"));
    expect(paths.resolve("output")).toBe(join(root, "output"));
    expect(paths.resolve("mine.md")).toBe(join(root, "tests", "mine.md"));
    expect(paths.resolve("/abs/x.md")).toBe("/abs/x.md");
    expect(commandFolder({}, root).resolve("x.md")).toBe(join(root, "x.md"));
  });
});
