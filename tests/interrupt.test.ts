// Ctrl-C during a build: exit 130, finished files complete, nothing half-written left behind.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import fc from "fast-check";
import { unzipSync } from "fflate";
import { parseBuffer } from "music-metadata";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/output/atomic-write.js";
import { build } from "../src/pipeline.js";
import type { Stage } from "../src/stages/stage.js";

const root = new URL("..", import.meta.url).pathname;
const alice = join(root, "tests/corpus/alice-in-wonderland.txt");

async function listAll(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe("interruption", () => {
  it("SIGINT mid-audio: exit 130, every file left is complete, no temporary files", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-interrupt-"));
    const out = join(folder, "out");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(root, "src/cli.ts"), "build", alice, "--out", out, "--formats", "audio,epub", "--no-cache", "--concurrency", "2"],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    let signalled = false;
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Interrupt once the first track is on disk: other sections are in flight or queued.
    const poll = setInterval(() => {
      readdir(join(out, "audio"))
        .then((names) => {
          if (!signalled && names.some((name) => name.endsWith(".mp3") && !name.startsWith(".lectern-tmp-"))) {
            signalled = true;
            child.kill("SIGINT");
          }
        })
        .catch(() => undefined);
    }, 50);
    const code = await closed;
    clearInterval(poll);
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping/);

    const files = await listAll(out);
    expect(files.filter((file) => file.includes(".lectern-tmp-"))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.stages.audio.status).toBe("failed");
    const mp3s = files.filter((file) => file.endsWith(".mp3"));
    expect(mp3s.length).toBeGreaterThan(0);
    expect(mp3s.length).toBeLessThan(13);
    for (const file of mp3s) {
      const metadata = await parseBuffer(await readFile(file), { mimeType: "audio/mpeg" }, { duration: true });
      expect(metadata.format.container).toMatch(/MPEG/);
      expect(metadata.format.duration).toBeGreaterThan(0);
    }
  });

  it("an output folder that cannot be created is a one-line error", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-interrupt-"));
    await writeFile(join(folder, "file"), "x");
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli.ts"), "build", join(root, "content/al-hol-emptied.md"), "--out", join(folder, "file", "out")], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(73);
    const lines = stderr.split("\n").filter((line) => line.startsWith("error:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `error: ${join(folder, "file", "out")}: cannot create the output folder: ${join(folder, "file")} is a file, not a folder (ENOTDIR) (choose another --out folder, or move the file away)`,
    );
  });
});

/** Runs the real command; resolves with its exit code and what it printed on stderr. */
function lectern(
  args: readonly string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli.ts"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
}

/** Throws unless `path` is a complete file of its kind: what an interrupted build leaves must be whole. */
async function expectComplete(path: string): Promise<void> {
  const bytes = await readFile(path);
  const name = basename(path);
  if (name.endsWith(".epub")) expect(Object.keys(unzipSync(bytes))).toContain("mimetype");
  else if (name.endsWith(".pdf")) {
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.subarray(-1024).toString("latin1")).toContain("%%EOF");
  } else if (name.endsWith(".mp3")) expect((await parseBuffer(bytes, { mimeType: "audio/mpeg" }, { duration: true })).format.duration).toBeGreaterThan(0);
  else if (name.endsWith(".vtt")) expect(bytes.toString()).toMatch(/^WEBVTT/);
  else if (name.endsWith(".m3u8")) expect(bytes.toString()).toMatch(/^#EXTM3U/);
  else if (name === "manifest.json") JSON.parse(bytes.toString());
  else if (name !== ".lectern.lock") throw new Error(`unexpected file ${path}`);
}

describe("signals at random moments (property)", () => {
  it("SIGKILL, SIGTERM or SIGINT at any moment: every output left is complete; the next build leaves no temporary file", { timeout: 120_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-signals-"));
    const article = join(root, "content/al-hol-emptied.md");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<NodeJS.Signals>("SIGKILL", "SIGTERM", "SIGINT"), fc.integer({ min: 0, max: 2000 }), async (signal, delayMs) => {
        run += 1;
        const out = join(folder, `run-${run}`);
        let sent = false;
        // The moment: some milliseconds after the document was read (the first line), while stages write.
        const result = await lectern(["build", article, "--out", out, "--no-cache", "--concurrency", "2"], (stderr, child) => {
          if (sent || !stderr.includes("sections")) return;
          sent = true;
          setTimeout(() => child.kill(signal), delayMs);
        });
        if (signal === "SIGKILL") expect(result.signal === "SIGKILL" || result.code === 0).toBe(true);
        else expect([0, signal === "SIGINT" ? 130 : 143]).toContain(result.code);
        const left = await listAll(out).catch(() => [] as string[]);
        for (const file of left.filter((path) => !basename(path).startsWith(".lectern-tmp-"))) await expectComplete(file);

        // The next build (a fast stage in place of the real ones) takes the folder over and clears what the signal left.
        const fast: Stage = {
          name: "epub",
          async write(doc, context) {
            const path = join(context.outDir, `${doc.slug}.epub`);
            await writeFileAtomic(path, new Uint8Array([80, 75, 5, 6, ...new Array<number>(18).fill(0)]));
            return { manifest: {}, files: [path] };
          },
        };
        const next = await build(article, { outDir: out, cacheDir: false, stages: [fast] });
        expect(next.ok).toBe(true);
        expect((await listAll(out)).filter((path) => basename(path).startsWith(".lectern-tmp-") || basename(path) === ".lectern.lock")).toEqual([]);
      }),
      { numRuns: 3 },
    );
  });
});

describe("output folder errors through the command", () => {
  it("--out /proc/self/x fails at once with one line and exit 73 (Node's recursive mkdir loops forever there)", async () => {
    const { code, stderr } = await lectern(["build", join(root, "content/al-hol-emptied.md"), "--out", "/proc/self/x", "--no-cache"]);
    expect(code).toBe(73);
    const lines = stderr.split("\n").filter((line) => line.startsWith("error:"));
    expect(lines).toEqual(["error: /proc/self/x: cannot create the output folder: the file system does not allow a file or folder there (ENOENT)"]);
  });

  it('--out "" is refused in one line with exit 2, and nothing is written in the current folder', async () => {
    const before = (await readdir(root)).sort();
    const { code, stderr } = await lectern(["build", join(root, "content/al-hol-emptied.md"), "--out", "", "--no-cache", "--formats", "epub"]);
    expect(code).toBe(2);
    expect(stderr.split("\n").filter((line) => line.startsWith("error:"))).toHaveLength(1);
    expect(stderr).toMatch(/to be a folder name, got `""`/);
    expect((await readdir(root)).sort()).toEqual(before);
  });
});
