// A batch (`lectern build <folder>`) shares one audio worker pool across its documents (issue 7).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAll } from "../../src/batch.js";
import { audioWorkerThreadsStarted, sharedAudioWorkerPoolUsers } from "../../src/tts/worker-pool.js";

describe("a batch of documents", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-audio-pool-"));
    for (const name of ["one", "two", "three", "four"]) {
      await writeFile(join(folder, `${name}.md`), `# Book ${name}\n\n## Opening\n\nA short first section of book ${name}.\n\n## Closing\n\nAnd a short second one.\n`);
    }
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("runs every document's audio on one pool of threads, given back when the last document finishes", async () => {
    const threadsBefore = audioWorkerThreadsStarted();
    let mostUsers = 0;
    const results = await buildAll(folder, {
      outDir: join(folder, "out"),
      formats: ["audio"],
      concurrency: 2,
      cacheDir: false,
      onEvent: (event) => {
        if (event.type === "task-start") mostUsers = Math.max(mostUsers, sharedAudioWorkerPoolUsers());
      },
    });
    expect(results.map((result) => result.ok)).toEqual([true, true, true, true]);
    // Documents overlap, and while they do they hold the same pool…
    expect(mostUsers).toBeGreaterThan(1);
    // …so the whole batch started one pool's worth of threads (a pool per document would start eight).
    expect(audioWorkerThreadsStarted() - threadsBefore).toBeLessThanOrEqual(2);
    expect(sharedAudioWorkerPoolUsers()).toBe(0);
  });
});
