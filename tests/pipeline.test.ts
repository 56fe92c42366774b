import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build, type PipelineEvent } from "../src/pipeline.js";
import { writeFileAtomic } from "../src/output/atomic-write.js";
import type { Stage, StageName } from "../src/stages/index.js";

const article = new URL("../content/al-hol-emptied.md", import.meta.url).pathname;

/** A stage that writes one file from one queued task, and resolves only when released. */
function gatedStage(name: StageName, gate: Promise<void>, fail = false): Stage {
  return {
    name,
    async write(doc, context) {
      const path = join(context.outDir, `${doc.slug}.${name}`);
      await context.run(name, async () => {
        await gate;
        if (fail) throw new Error(`${name} broke on purpose`);
        await writeFileAtomic(path, `${name} of ${doc.metadata.title}`);
      });
      return { manifest: { path: `${doc.slug}.${name}` }, files: [path] };
    },
  };
}

async function tempDir() {
  return mkdtemp(join(tmpdir(), "lectern-pipeline-"));
}

describe("pipeline", () => {
  it("runs the stages concurrently: every stage's task has started before any finishes", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = new Set<string>();
    let maxRunning = 0;
    const onEvent = (event: PipelineEvent) => {
      if (event.type === "task-start") {
        running.add(event.label);
        maxRunning = Math.max(maxRunning, running.size);
        if (running.size === 3) release();
      }
      if (event.type === "task-end") running.delete(event.label);
    };
    const outDir = await tempDir();
    const result = await build(article, {
      outDir,
      concurrency: 3,
      stages: [gatedStage("epub", gate), gatedStage("pdf", gate), gatedStage("audio", gate)],
      onEvent,
    });
    expect(maxRunning).toBe(3);
    expect(result.ok).toBe(true);
  });

  it("a failing stage leaves the other outputs complete and marks the build failed", async () => {
    const outDir = await tempDir();
    const open = Promise.resolve();
    const result = await build(article, {
      outDir,
      concurrency: 2,
      stages: [gatedStage("epub", open), gatedStage("pdf", open, true), gatedStage("audio", open)],
    });
    expect(result.ok).toBe(false);
    expect(result.stages.pdf).toMatchObject({ status: "failed", error: "pdf broke on purpose" });
    expect(result.stages.epub?.status).toBe("ok");
    expect(result.stages.audio?.status).toBe("ok");
    const files = (await readdir(outDir)).sort();
    expect(files).toEqual(["al-hol-emptied.audio", "al-hol-emptied.epub", "manifest.json"]);
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.outputs.epub).toEqual({ path: "al-hol-emptied.epub" });
    expect(manifest.outputs.pdf).toBeUndefined();
    expect(manifest.stages.pdf).toMatchObject({ status: "failed", error: "pdf broke on purpose" });
  });

  it("writes the manifest contract: title, language, source, sections with index/title/slug/words", async () => {
    const outDir = await tempDir();
    const open = Promise.resolve();
    await build(article, { outDir, formats: ["epub"], stages: [gatedStage("epub", open), gatedStage("pdf", open)] });
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.title).toMatch(/^Al-Hol Emptied/);
    expect(manifest.language).toBe("en-US");
    expect(manifest.source).toBe("Investigative Project on Terrorism");
    expect(manifest.sections).toHaveLength(12);
    expect(manifest.sections[0]).toMatchObject({ index: 1, role: "lead" });
    for (const section of manifest.sections) {
      expect(section).toEqual(expect.objectContaining({ index: expect.any(Number), title: expect.any(String), slug: expect.any(String), words: expect.any(Number) }));
    }
    expect(manifest.stages.pdf.status).toBe("skipped");
  });

  it("refuses a second build into a folder another live process is writing to", async () => {
    const outDir = await tempDir();
    // pid 1 is always running and never us
    await writeFile(join(outDir, ".lectern.lock"), "1");
    await expect(build(article, { outDir, stages: [gatedStage("epub", Promise.resolve())] })).rejects.toThrow(/another Lectern build \(pid 1\) is writing to this folder/);
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const outDir = await tempDir();
    await writeFile(join(outDir, ".lectern.lock"), "999999999");
    const result = await build(article, { outDir, stages: [gatedStage("epub", Promise.resolve())] });
    expect(result.ok).toBe(true);
    expect(await readdir(outDir)).not.toContain(".lectern.lock");
  });

  it("stops queued work when interrupted and reports it", async () => {
    const outDir = await tempDir();
    const controller = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const result = await build(article, {
      outDir,
      concurrency: 1,
      signal: controller.signal,
      stages: [gatedStage("epub", gate), gatedStage("pdf", gate)],
      onEvent: (event) => {
        if (event.type === "task-start") {
          controller.abort();
          release();
        }
      },
    });
    expect(result.interrupted).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.stages.pdf?.status).toBe("failed");
    expect(await readdir(outDir)).not.toContain("al-hol-emptied.pdf");
  });
});

describe("pipeline: stale outputs", () => {
  it("removes files an earlier build of a stage wrote and this one did not", async () => {
    const outDir = await tempDir();
    const writing = (names: string[]): Stage => ({
      name: "audio",
      async write(_doc, context) {
        const files = names.map((name) => join(context.outDir, name));
        for (const file of files) await writeFileAtomic(file, "x");
        return { manifest: {}, files };
      },
    });
    await build(article, { outDir, stages: [writing(["01-old.mp3", "02-kept.mp3"])] });
    await writeFile(join(outDir, "notes-by-the-user.txt"), "mine");
    await build(article, { outDir, stages: [writing(["01-new.mp3", "02-kept.mp3"])] });
    expect((await readdir(outDir)).sort()).toEqual(["01-new.mp3", "02-kept.mp3", "manifest.json", "notes-by-the-user.txt"]);
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.stages.audio.files).toEqual(["01-new.mp3", "02-kept.mp3"]);
  });
});

describe("pipeline: file-system failures", () => {
  it("a stage that hits a full disk fails with a plain reason; the others finish", async () => {
    const outDir = await tempDir();
    const diskFull: Stage = {
      name: "pdf",
      async write(doc, context) {
        return context.run("pdf", async () => {
          const error = Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC", path: join(context.outDir, `${doc.slug}.pdf`) });
          throw error;
        });
      },
    };
    const result = await build(article, { outDir, stages: [gatedStage("epub", Promise.resolve()), diskFull] });
    expect(result.stages.pdf?.error).toMatch(/^the disk is full \(ENOSPC: .*al-hol-emptied\.pdf\)$/);
    expect(result.stages.epub?.status).toBe("ok");
  });
});

describe("pipeline: warnings", () => {
  it("lists a problem two stages report on the same line once in manifest.warnings, and under each stage", async () => {
    const outDir = await tempDir();
    const reporting = (name: StageName): Stage => ({
      name,
      async write(doc, context) {
        context.report({ severity: "warning", rule: "image-missing", reason: `${name}: image not found`, file: doc.path, line: 20 });
        return { manifest: {}, files: [] };
      },
    });
    await build(article, { outDir, stages: [reporting("epub"), reporting("pdf")] });
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.warnings.filter((warning: string) => warning.includes("image-missing"))).toHaveLength(1);
    expect(manifest.stages.epub.warnings).toEqual(["epub: image not found"]);
    expect(manifest.stages.pdf.warnings).toEqual(["pdf: image not found"]);
  });
});
