// Builds one document in this process and prints one JSON line of measurements.
// Run by bench/run.ts in a fresh process per case, started the way the `lectern` command
// starts (compiled dist/, the same Node flags), so the figures are what a user gets: wall and
// CPU time from the process's start (Node's start-up and module loading included), peak RSS
// of the whole process (process.cpuUsage and maxRSS cover every thread, audio workers included).
//
// usage: node <flags> measure-build.mjs <input> <outDir> <cacheDir | none> [formats]
const [input, outDir, cacheDir, formats] = process.argv.slice(2);
if (!input || !outDir || !cacheDir) throw new Error("usage: measure-build.mjs <input> <outDir> <cacheDir | none> [formats]");

const { build } = await import("../dist/pipeline.js");
const buildStarted = performance.now();
const result = await build(input, {
  outDir,
  // Always explicit: the benchmark never touches the user's cache folder, so "cold" is cold.
  cacheDir: cacheDir === "none" ? false : cacheDir,
  // The names are checked by build(), as the CLI's are.
  ...(formats ? { formats: /** @type {import("../dist/stages/index.js").StageName[]} */ (formats.split(",")) } : {}),
});
// performance.now() counts from the process's start.
const wallSeconds = performance.now() / 1000;
const cpu = process.cpuUsage();
/** @type {{ tracks?: { durationSeconds: number }[] } | undefined} */
const audio = result.manifest.outputs.audio;
const audioSeconds = audio?.tracks?.reduce((sum, track) => sum + track.durationSeconds, 0) ?? 0;
process.stdout.write(
  `${JSON.stringify({
    ok: result.ok,
    words: result.document.words,
    sections: audio?.tracks?.length ?? 0,
    wallSeconds,
    buildSeconds: (performance.now() - buildStarted) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    stageSeconds: Object.fromEntries(Object.entries(result.stages).map(([name, report]) => [name, report?.seconds ?? 0])),
    audioSeconds,
    errors: Object.fromEntries(
      Object.entries(result.stages)
        .filter(([, report]) => report?.error)
        .map(([name, report]) => [name, report?.error]),
    ),
  })}\n`,
);
