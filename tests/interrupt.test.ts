// Ctrl-C during a build: exit 130, finished files complete, nothing half-written left behind.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBuffer } from "music-metadata";
import { describe, expect, it } from "vitest";

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
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli.ts"), "build", alice, "--out", out, "--formats", "audio,epub", "--no-cache", "--concurrency", "2"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
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
    expect(lines[0]).toMatch(/cannot create the output folder: a path in the output folder is a file, not a folder \(ENOTDIR\)/);
  });
});
