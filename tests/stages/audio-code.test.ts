// The audio of code: one short espeak build, its captions read back.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { audioStage, type AudioTrackManifest } from "../../src/stages/audio/index.js";

describe("audio stage: code", () => {
  it("shows inline code as written in the captions and follows readCode", async () => {
    const source = "## Install\n\nAdd the lines to `~/.bashrc` and run:\n\n```sh\nnvm install --lts\n```\n";
    const document = parseSource(source, join(tmpdir(), "install.md"), "markdown");
    const outDir = await mkdtemp(join(tmpdir(), "lectern-audio-code-"));
    try {
      const result = await audioStage.write(document, {
        outDir,
        options: { engine: "espeak", concurrency: 1, ttsTimeoutMs: 5000, now: new Date(0), readCode: "none" },
        signal: new AbortController().signal,
        run: (_label, task) => task(),
        report: () => undefined,
        progress: () => undefined,
      });
      const [track] = result.manifest.tracks as AudioTrackManifest[];
      const captions = (await readFile(join(outDir, track!.captions), "utf8")).replace(/\s+/g, " ");
      expect(captions).toContain("Add the lines to ~/.bashrc and run:");
      expect(captions).toContain("A shell example, 1 line.");
      // readCode "none": announced, not read.
      expect(captions).not.toContain("nvm install");
      expect(track!.durationSeconds).toBeGreaterThan(2);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
