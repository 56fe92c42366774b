// Builds one document in this process and prints one JSON line of measurements.
// Run by bench/run.ts in a fresh process per case, so peak RSS and CPU belong to that case
// alone (process.cpuUsage and maxRSS cover every thread of the process, audio workers included).
//
// usage: measure-build.ts <input> <outDir> <cacheDir | none> [formats]
import { build } from "../src/pipeline.js";
import type { StageName } from "../src/stages/stage.js";

const [input, outDir, cacheDir, formats] = process.argv.slice(2);
if (!input || !outDir || !cacheDir) throw new Error("usage: measure-build.ts <input> <outDir> <cacheDir | none> [formats]");

const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await build(input, {
  outDir,
  // Always explicit: the benchmark never touches the user's cache folder, so "cold" is cold.
  cacheDir: cacheDir === "none" ? false : cacheDir,
  ...(formats ? { formats: formats.split(",") as StageName[] } : {}),
});
const wallSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const audio = result.manifest.outputs.audio as { tracks?: { durationSeconds: number }[] } | undefined;
const audioSeconds = audio?.tracks?.reduce((sum, track) => sum + track.durationSeconds, 0) ?? 0;
process.stdout.write(
  `${JSON.stringify({
    ok: result.ok,
    words: result.document.words,
    sections: audio?.tracks?.length ?? 0,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    stageSeconds: Object.fromEntries(Object.entries(result.stages).map(([name, report]) => [name, report?.seconds ?? 0])),
    audioSeconds,
    errors: Object.fromEntries(Object.entries(result.stages).filter(([, report]) => report?.error).map(([name, report]) => [name, report?.error])),
  })}\n`,
);
