// The stage graph: a stage that needs another runs after it, with its data; a failed need
// fails its dependants and no other stage; a requested stage pulls in its needs; a table with
// a cycle or an unknown need is refused. Stages are injected (`options.stages`).
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { cachedStageOutput } from "../src/stages/stage-output-cache.js";
import { build, type Manifest, type PipelineEvent } from "../src/pipeline.js";
import { writeFileAtomic } from "../src/output/atomic-write.js";
import type { DataOf, ManifestsOf, NeedsDisagreeing, StageData, StageManifests, StageName } from "../src/stages/index.js";
import type { AudioManifest } from "../src/stages/audio/index.js";
import type { EpubManifest } from "../src/stages/epub/index.js";
import type { PdfManifest } from "../src/stages/pdf/index.js";
import type { TalkingEpubManifest } from "../src/stages/talking-epub/index.js";
import type { AudioData } from "../src/stages/audio/clips.js";
import type { AnyStage, Stage } from "../src/stages/stage.js";

const article = new URL("../content/al-hol-emptied.md", import.meta.url).pathname;

async function tempDir() {
  return mkdtemp(join(tmpdir(), "lectern-graph-"));
}

interface Clips {
  readonly clips: readonly { readonly id: string; readonly endMs: number }[];
}

/** A stage that writes one file in one queued task (after `gate`) and hands `data` to the stages that need it. */
function providing<Name extends StageName, Data>(
  name: Name,
  data: Data,
  options: { gate?: Promise<void>; fail?: boolean } = {},
): Stage<Name, Record<never, never>, { path: string }, Data> {
  return {
    name,
    async write(doc, context) {
      const path = join(context.outDir, `${doc.slug}.${name}`);
      await context.run(name, async () => {
        await options.gate;
        if (options.fail) throw new Error(`${name} broke on purpose`);
        await writeFileAtomic(path, name);
      });
      return { manifest: { path: `${doc.slug}.${name}` }, data, files: [path] };
    },
  };
}

/** A stage that needs `audio` and records the clips it received. */
function needingAudio<Name extends StageName>(name: Name, received: Clips[]): Stage<Name, { audio: Clips }, { clips: number }> {
  return {
    name,
    needs: ["audio"],
    async write(doc, context, needs) {
      received.push(needs.audio);
      const path = join(context.outDir, `${doc.slug}.${name}`);
      await context.run(name, () => writeFileAtomic(path, needs.audio.clips.map((clip) => clip.id).join(" ")));
      return { manifest: { clips: needs.audio.clips.length }, files: [path] };
    },
  };
}

const clips: Clips = {
  clips: [
    { id: "lead-s1", endMs: 900 },
    { id: "lead-s2", endMs: 2100 },
  ],
};

describe("stage graph", () => {
  it("hands a stage its need's data, and writes what it made from it", async () => {
    const outDir = await tempDir();
    const received: Clips[] = [];
    const result = await build(article, { outDir, cacheDir: false, stages: [needingAudio("epub", received), providing("audio", clips)] });
    expect(result.ok).toBe(true);
    expect(received).toEqual([clips]);
    expect(await readFile(join(outDir, "al-hol-emptied.epub"), "utf8")).toBe("lead-s1 lead-s2");
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.outputs.epub).toEqual({ clips: 2 });
    // `data` is for the stages, never written to the manifest.
    expect(JSON.stringify(manifest)).not.toContain("lead-s1");
  });

  it("starts a dependant once its need has ended, while an unrelated stage is still running", async () => {
    const outDir = await tempDir();
    let releasePdf!: () => void;
    const pdfGate = new Promise<void>((resolve) => (releasePdf = resolve));
    const events: string[] = [];
    const onEvent = (event: PipelineEvent) => {
      if (event.type === "stage-start" || event.type === "stage-end") events.push(`${event.type} ${event.stage}`);
      if (event.type === "task-start") events.push(`task ${event.label}`);
      // The PDF finishes only once the dependant's task runs: a pipeline that waited for every
      // stage before starting the dependant would never get there.
      if (event.type === "task-start" && event.label === "epub") releasePdf();
    };
    const received: Clips[] = [];
    const result = await build(article, {
      outDir,
      cacheDir: false,
      concurrency: 3,
      stages: [needingAudio("epub", received), providing("pdf", undefined, { gate: pdfGate }), providing("audio", clips)],
      onEvent,
    });
    expect(result.ok).toBe(true);
    const at = (entry: string) => {
      expect(events).toContain(entry);
      return events.indexOf(entry);
    };
    expect(at("stage-start epub")).toBeGreaterThan(at("stage-end audio"));
    expect(at("task pdf")).toBeLessThan(at("stage-end audio"));
    expect(at("task epub")).toBeLessThan(at("stage-end pdf"));
  });

  it("fails the stages that need a failed stage, naming it; the others finish", async () => {
    const outDir = await tempDir();
    const received: Clips[] = [];
    const events: PipelineEvent[] = [];
    const result = await build(article, {
      outDir,
      cacheDir: false,
      stages: [needingAudio("epub", received), providing("pdf", undefined), providing("audio", clips, { fail: true })],
      onEvent: (event) => events.push(event),
    });
    expect(result.ok).toBe(false);
    expect(received).toEqual([]);
    expect(result.stages.audio).toMatchObject({ status: "failed", error: "audio broke on purpose" });
    expect(result.stages.epub).toMatchObject({ status: "failed", error: "needs audio, which failed: audio broke on purpose" });
    expect(result.stages.pdf?.status).toBe("ok");
    expect(events.some((event) => event.type === "stage-start" && event.stage === "epub")).toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ type: "stage-end", stage: "epub", status: "failed", error: "needs audio, which failed: audio broke on purpose" }));
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.stages.epub).toMatchObject({ status: "failed", error: "needs audio, which failed: audio broke on purpose" });
    expect(manifest.outputs.epub).toBeUndefined();
    expect((await readdir(outDir)).sort()).toEqual(["al-hol-emptied.pdf", "manifest.json"]);
  });

  it("fails a dependant whose need was interrupted as interrupted, never starting it", async () => {
    const outDir = await tempDir();
    const controller = new AbortController();
    const received: Clips[] = [];
    const result = await build(article, {
      outDir,
      cacheDir: false,
      concurrency: 1,
      signal: controller.signal,
      stages: [needingAudio("epub", received), providing("audio", clips)],
      onEvent: (event) => {
        if (event.type === "task-start" && event.stage === "audio") controller.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(received).toEqual([]);
    expect(result.stages.epub).toMatchObject({ status: "failed", error: "interrupted before it started" });
  });

  it("runs the needs of a requested stage, saying why, and skips the rest", async () => {
    const outDir = await tempDir();
    const received: Clips[] = [];
    const result = await build(article, {
      outDir,
      cacheDir: false,
      formats: ["epub"],
      stages: [needingAudio("epub", received), providing("pdf", undefined), providing("audio", clips)],
    });
    expect(result.ok).toBe(true);
    expect(received).toEqual([clips]);
    expect(result.stages.audio).toMatchObject({ status: "ok", neededBy: ["epub"] });
    expect(result.stages.epub?.neededBy).toBeUndefined();
    expect(result.stages.pdf?.status).toBe("skipped");
    expect(result.messages).toContainEqual(expect.objectContaining({ severity: "info", rule: "stage-needed", reason: "audio runs because epub needs it", source: "pipeline" }));
    const manifest = JSON.parse(await readFile(join(outDir, "manifest.json"), "utf8"));
    expect(manifest.stages.audio).toMatchObject({ status: "ok", neededBy: ["epub"], files: ["al-hol-emptied.audio"] });
    expect((await readdir(outDir)).sort()).toEqual(["al-hol-emptied.audio", "al-hol-emptied.epub", "manifest.json"]);
  });

  it("refuses a table with a cycle of needs, an unknown need or an unknown name before writing anything", async () => {
    const outDir = await tempDir();
    const needing = (name: string, needs: readonly string[]): AnyStage => ({ name, needs, write: async () => ({ manifest: {}, files: [] }) });
    await expect(build(article, { outDir, stages: [needing("epub", ["pdf"]), needing("pdf", ["audio"]), needing("audio", ["pdf"])] })).rejects.toThrow(
      "stage table: a cycle of needs (pdf → audio → pdf)",
    );
    await expect(build(article, { outDir, stages: [needing("epub", ["epub"])] })).rejects.toThrow("stage table: a cycle of needs (epub → epub)");
    await expect(build(article, { outDir, stages: [needing("epub", ["audio"])] })).rejects.toThrow("stage table: epub needs `audio`, which is not in the table");
    await expect(build(article, { outDir, stages: [needing("web", [])] })).rejects.toThrow("stage table: `web` is not a stage name");
    await expect(build(article, { outDir, stages: [needing("pdf", []), needing("pdf", [])] })).rejects.toThrow("stage table: `pdf` is listed twice");
    expect(await readdir(outDir)).toEqual([]);
  });
});

describe("stage graph: cached stages", () => {
  /** `stage`, cached like the EPUB and PDF (it reads no images). */
  const cached = <S extends AnyStage>(stage: S) => cachedStageOutput(stage, { outputFiles: (doc) => [`${doc.slug}.${stage.name}`], verifyRead: async () => "", unreadOptions: [] });

  it("hands on a cached stage's data when its files come from the cache", async () => {
    const [outDir, cacheDir] = [await tempDir(), await tempDir()];
    const received: Clips[] = [];
    const stages = [needingAudio("epub", received), cached(providing("audio", clips))];
    await build(article, { outDir, cacheDir, stages });
    const warm = await build(article, { outDir, cacheDir, stages });
    expect(warm.stages.audio?.fromCache).toBe(true);
    expect(received).toEqual([clips, clips]);
  });

  it("makes a cached dependant again when its need's data changes", async () => {
    const [outDir, cacheDir] = [await tempDir(), await tempDir()];
    const received: Clips[] = [];
    const run = (data: Clips) => build(article, { outDir, cacheDir, stages: [cached(needingAudio("epub", received)), providing("audio", data)] });
    await run(clips);
    expect((await run(clips)).stages.epub?.fromCache).toBe(true);
    const other: Clips = { clips: [{ id: "lead-s1", endMs: 1000 }] };
    expect((await run(other)).stages.epub?.fromCache).toBeUndefined();
    expect(await readFile(join(outDir, "al-hol-emptied.epub"), "utf8")).toBe("lead-s1");
    expect(received).toEqual([clips, other]);
  });
});

describe("stage graph: types", () => {
  it("types each manifest entry by its stage", () => {
    expectTypeOf<StageName>().toEqualTypeOf<"epub" | "pdf" | "audio" | "talking-epub">();
    expectTypeOf<StageManifests>().toEqualTypeOf<{
      readonly epub: EpubManifest;
      readonly pdf: PdfManifest;
      readonly audio: AudioManifest;
      readonly "talking-epub": TalkingEpubManifest;
    }>();
    expectTypeOf<StageData["audio"]>().toEqualTypeOf<AudioData>();
    expectTypeOf<Manifest["outputs"]["pdf"]>().toEqualTypeOf<PdfManifest | undefined>();
    expectTypeOf<StageData["epub"]>().toEqualTypeOf<undefined>();
  });

  it("types a stage's needs: listed, received with their data, checked against the table", () => {
    type Audio = Stage<"audio", Record<never, never>, { path: string }, Clips>;
    type Talking = Stage<"epub", { audio: Clips }, { clips: number }>;
    type Wrong = Stage<"pdf", { audio: { seconds: number } }, { path: string }>;
    type Missing = Stage<"pdf", { web: Clips }, { path: string }>;
    expectTypeOf<Parameters<Talking["write"]>[2]>().toEqualTypeOf<{ audio: Clips }>();
    expectTypeOf<Talking["needs"]>().toEqualTypeOf<readonly "audio"[]>();
    expectTypeOf<ManifestsOf<Audio | Talking>>().toEqualTypeOf<{ readonly audio: { path: string }; readonly epub: { clips: number } }>();
    expectTypeOf<DataOf<Audio | Talking>["audio"]>().toEqualTypeOf<Clips>();
    expectTypeOf<NeedsDisagreeing<Audio | Talking>>().toEqualTypeOf<never>();
    expectTypeOf<NeedsDisagreeing<Audio | Talking | Wrong>>().toEqualTypeOf<"pdf">();
    expectTypeOf<NeedsDisagreeing<Talking | Missing>>().toEqualTypeOf<"epub" | "pdf">();
    // @ts-expect-error: a stage with needs must list them.
    const unlisted: Talking = { name: "epub", write: async () => ({ manifest: { clips: 0 }, files: [] }) };
    expect(unlisted.name).toBe("epub");
  });
});
