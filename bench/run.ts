// `npm run bench`: the seed article and Alice, each built cold (empty temporary cache folder),
// warm (nothing changed) and after one paragraph is edited; native peers on the same text when
// they are installed; for the article, each audio component alone beside its native peer.
// Prints tables and writes bench/results.json. Issue 7; docs/performance.md.
//
// Builds run the compiled dist/ (compiled first, so it matches src/) with the Node flags of the
// `lectern` command's first line: what a user runs, not the tsx development loader.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { measureComponents, type Components } from "./components.js";
import { readDocument } from "../src/document/read.js";
import { version } from "../src/version.js";
import { editOneParagraph } from "./edit-paragraph.js";
import { effectiveCores } from "./machine-capacity.js";
import { speakableDocumentText } from "./speakable-text.js";

const root = new URL("..", import.meta.url).pathname;
const cases = [
  { name: "article", input: join(root, "content/al-hol-emptied.md") },
  { name: "alice", input: join(root, "tests/corpus/alice-in-wonderland.txt") },
];

/** The Node flags on the `lectern` command's `#!/usr/bin/env -S node …` line. */
function cliNodeFlags(): string[] {
  const shebang = readFileSync(join(root, "src/cli.ts"), "utf8").split("\n", 1)[0]!;
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(shebang);
  if (!match) throw new Error(`src/cli.ts starts with \`${shebang}\`, not \`#!/usr/bin/env -S node [--flags]\``);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

interface Measurement {
  ok: boolean;
  words: number;
  sections: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  stageSeconds: Record<string, number>;
  audioSeconds: number;
  errors: Record<string, string>;
}

interface Run extends Measurement {
  /** Audio tracks synthesized in this run (new entries in the cache folder); the rest came from the cache. */
  tracksSynthesized: number;
  /** Seconds of speech per second of wall time. */
  realTimeFactor: number;
  /** Wall seconds per 1,000 words. */
  wallPerThousandWords: number;
  cpuPerThousandWords: number;
}

/** Entries in the cache that hold an audio track (their record's meta has `speechSamples`; the cover art's does not). */
function cacheEntries(cacheDir: string): number {
  let count = 0;
  for (const folder of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const name of readdirSync(join(cacheDir, folder.name))) {
      if (!name.endsWith(".json")) continue;
      const record = JSON.parse(readFileSync(join(cacheDir, folder.name, name), "utf8")) as { meta?: { speechSamples?: unknown } };
      if (record.meta?.speechSamples !== undefined) count++;
    }
  }
  return count;
}

function measure(input: string, outDir: string, cacheDir: string): Run {
  const before = cacheEntries(cacheDir);
  const output = execFileSync(process.execPath, [...cliNodeFlags(), join(root, "bench/measure-build.mjs"), input, outDir, cacheDir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  const measurement = JSON.parse(output.trim().split("\n").at(-1)!) as Measurement;
  return {
    ...measurement,
    tracksSynthesized: cacheEntries(cacheDir) - before,
    realTimeFactor: measurement.audioSeconds / measurement.wallSeconds,
    wallPerThousandWords: (measurement.wallSeconds / measurement.words) * 1000,
    cpuPerThousandWords: (measurement.cpuSeconds / measurement.words) * 1000,
  };
}

function has(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
}

/** `espeak-ng -f TEXT --stdout | lame -b 48 -m m - out.mp3`: the native audio pipe a user would script. */
function nativeAudioSeconds(text: string): number | undefined {
  if (!has("espeak-ng") || !has("lame")) return undefined;
  const folder = mkdtempSync(join(tmpdir(), "lectern-peer-"));
  try {
    writeFileSync(join(folder, "text.txt"), text);
    const started = performance.now();
    execFileSync("sh", ["-c", `espeak-ng -f text.txt --stdout | lame --quiet -b 48 -m m - out.mp3`], { cwd: folder });
    return (performance.now() - started) / 1000;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function pandocEpubSeconds(input: string): number | undefined {
  if (!has("pandoc")) return undefined;
  const folder = mkdtempSync(join(tmpdir(), "lectern-peer-"));
  try {
    const started = performance.now();
    execFileSync("pandoc", [input, "-o", join(folder, "out.epub")], { stdio: "ignore" });
    return (performance.now() - started) / 1000;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function gitCommit(): string | null {
  const result = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

const fixed = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined ? "—" : value.toFixed(digits));
const ratio = (value: number, peer: number | undefined): number | null => (peer === undefined ? null : value / peer);

// dist/ as src/ is now.
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

const started = new Date();
console.log(`Lectern ${version} benchmark — ${started.toISOString()} — Node ${process.version} — ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"})`);
const capacityBefore = await effectiveCores(availableParallelism());
console.log(`Builds: node ${cliNodeFlags().join(" ")} with dist/ (as the \`lectern\` command runs)`);
console.log(`CPU actually available to ${availableParallelism()} busy threads: ${capacityBefore.toFixed(2)} cores (shared virtual machines give less than their core count)`);
const results: Record<string, unknown> = {};
const rows: string[][] = [];
const notes: string[] = [];
let components: Components | undefined;
for (const testCase of cases) {
  const { document } = await readDocument(testCase.input);
  const cacheDir = mkdtempSync(join(tmpdir(), "lectern-bench-cache-"));
  const outDir = mkdtempSync(join(tmpdir(), "lectern-bench-out-"));
  const edited = await editOneParagraph(document);
  try {
    const cold = measure(testCase.input, outDir, cacheDir);
    const warm = measure(testCase.input, outDir, cacheDir);
    const edit = measure(edited.path, outDir, cacheDir);
    const peerAudio = nativeAudioSeconds(speakableDocumentText(document));
    const peerEpub = pandocEpubSeconds(testCase.input);
    if (testCase.name === "article") components = await measureComponents(document);
    if (peerAudio === undefined) notes.push(`${testCase.name}: espeak-ng | lame not installed (apt-get install espeak-ng lame): audio ratio skipped`);
    if (peerEpub === undefined) notes.push(`${testCase.name}: pandoc not installed (apt-get install pandoc): EPUB ratio skipped`);
    for (const [label, run] of [
      ["cold", cold],
      ["warm", warm],
      ["edit", edit],
    ] as const) {
      if (!run.ok) notes.push(`${testCase.name} ${label}: FAILED ${JSON.stringify(run.errors)}`);
    }
    results[testCase.name] = {
      words: cold.words,
      sections: cold.sections,
      audioSeconds: cold.audioSeconds,
      editedSection: edited.section,
      runs: { cold, warm, edit },
      peers: { espeakLameSeconds: peerAudio ?? null, pandocEpubSeconds: peerEpub ?? null },
      ...(testCase.name === "article" && components ? { components } : {}),
      ratios: {
        coldWallToEspeakLame: ratio(cold.wallSeconds, peerAudio),
        coldAudioStageToEspeakLame: ratio(cold.stageSeconds.audio ?? 0, peerAudio),
        coldEpubStageToPandoc: ratio(cold.stageSeconds.epub ?? 0, peerEpub),
        warmToCold: warm.wallSeconds / cold.wallSeconds,
        editToCold: edit.wallSeconds / cold.wallSeconds,
      },
    };
    for (const [label, run] of [
      ["cold", cold],
      ["warm", warm],
      ["edit", edit],
    ] as const) {
      rows.push([
        testCase.name,
        label,
        fixed(run.wallSeconds),
        fixed(run.cpuSeconds),
        fixed(run.peakRssMB, 0),
        fixed(run.stageSeconds.epub),
        fixed(run.stageSeconds.pdf),
        fixed(run.stageSeconds.audio),
        `${run.tracksSynthesized}/${run.sections}`,
        fixed(run.realTimeFactor, 0),
        fixed(run.wallPerThousandWords),
        label === "cold" ? fixed(ratio(run.wallSeconds, peerAudio)) : `${fixed((run.wallSeconds / cold.wallSeconds) * 100, 0)}% of cold`,
      ]);
    }
    rows.push([
      testCase.name,
      "peers",
      peerAudio === undefined ? "—" : `espeak-ng|lame ${fixed(peerAudio)}`,
      "",
      "",
      peerEpub === undefined ? "—" : `pandoc ${fixed(peerEpub)}`,
      "",
      "",
      "",
      "",
      "",
      "",
    ]);
  } finally {
    for (const folder of [cacheDir, outDir, dirname(edited.path)]) rmSync(folder, { recursive: true, force: true });
  }
}

const header = ["document", "run", "wall s", "CPU s", "RSS MB", "epub s", "pdf s", "audio s", "synthesized", "audio RTF", "s/1k words", "vs peer"];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: string[]): string => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
console.log(`\n${line(header)}\n${widths.map((width) => "-".repeat(width)).join("  ")}`);
for (const row of rows) console.log(line(row));
console.log(
  "\ncold = empty temporary cache folder; warm = same cache and output folder, nothing changed; edit = one sentence added to one paragraph of one section." +
    "\nsynthesized = audio tracks made in this run / tracks in the document; audio RTF = seconds of speech per second of wall time;" +
    "\nvs peer: cold, all three outputs, against `espeak-ng -f | lame -b 48 -m m` making the audio alone from the same text.",
);
if (components) {
  const { native } = components;
  const audioWork = components.synthesisSeconds + components.masteringSeconds + components.encodingSeconds;
  const peerAudio = (results.article as { peers: { espeakLameSeconds: number | null } } | undefined)?.peers.espeakLameSeconds ?? undefined;
  const floor = audioWork / capacityBefore;
  console.log(`\nThe article's audio, one component at a time on one thread (${fixed(components.speechSeconds / 60, 1)} minutes of speech):`);
  console.log(
    `  synthesis   ${fixed(components.synthesisSeconds)} s  espeak-ng compiled to JavaScript, fresh worker${native ? `; native espeak-ng ${fixed(native.espeakNgSeconds)} s` : ""}`,
  );
  console.log(`  mastering   ${fixed(components.masteringSeconds)} s  loudness, limiter, trimming (no native step in the pipe)`);
  console.log(`  MP3         ${fixed(components.encodingSeconds)} s  LAME in WebAssembly${native ? `; native lame ${fixed(native.lameSeconds)} s` : ""}`);
  console.log(
    `  together    ${fixed(audioWork)} s of CPU: at best ${fixed(floor)} s on the ${capacityBefore.toFixed(2)} cores measured` +
      (peerAudio ? `, ${fixed(floor / peerAudio)}× the native pipe (${fixed(peerAudio)} s), before the EPUB, the PDF and start-up` : ""),
  );
}
const capacityAfter = await effectiveCores(availableParallelism());
console.log(`CPU available at the end: ${capacityAfter.toFixed(2)} cores`);
for (const note of notes) console.log(`note: ${note}`);

writeFileSync(
  join(root, "bench/results.json"),
  `${JSON.stringify(
    {
      date: started.toISOString(),
      lectern: version,
      commit: gitCommit(),
      node: process.version,
      machine: {
        cores: availableParallelism(),
        cpu: cpus()[0]?.model ?? null,
        memoryGB: Math.round(totalmem() / 2 ** 30),
        // CPU seconds per wall second that busy threads got, before and after the runs.
        effectiveCores: { before: Number(capacityBefore.toFixed(2)), after: Number(capacityAfter.toFixed(2)) },
      },
      nodeFlags: cliNodeFlags(),
      results,
      notes,
    },
    null,
    2,
  )}\n`,
);
console.log("\nwrote bench/results.json");
