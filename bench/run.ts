// `npm run bench`: builds the seed article and Alice, prints wall/CPU/RSS per stage, compares
// with native peers when they are installed, and writes bench/results.json.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDocument } from "../src/document/read.js";
import { speakableDocumentText } from "./speakable-text.js";

const root = new URL("..", import.meta.url).pathname;
const cases = [
  { name: "article", input: join(root, "content/al-hol-emptied.md") },
  { name: "alice", input: join(root, "../shared/corpus/alice-in-wonderland.txt") },
];

interface Measurement {
  ok: boolean;
  words: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  stageSeconds: Record<string, number>;
  audioSeconds: number;
  errors: Record<string, string>;
}

function measure(input: string): Measurement {
  const outDir = mkdtempSync(join(tmpdir(), "lectern-bench-"));
  try {
    const output = execFileSync(process.execPath, [...process.execArgv, join(root, "bench/measure-build.ts"), input, outDir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 24,
    });
    return JSON.parse(output.trim().split("\n").at(-1)!) as Measurement;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
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

const results: Record<string, unknown> = {};
const format = (value: number | undefined, digits = 2) => (value === undefined ? "—" : value.toFixed(digits));
console.log(`Lectern benchmark — ${new Date().toISOString()} — Node ${process.version}`);
for (const testCase of cases) {
  const { document } = await readDocument(testCase.input);
  const lectern = measure(testCase.input);
  const peerAudio = nativeAudioSeconds(speakableDocumentText(document));
  const peerEpub = pandocEpubSeconds(testCase.input);
  results[testCase.name] = { lectern, peers: { espeakLame: peerAudio ?? null, pandocEpub: peerEpub ?? null } };
  console.log(`\n${testCase.name}: ${lectern.words} words${lectern.ok ? "" : ` (FAILED: ${JSON.stringify(lectern.errors)})`}`);
  console.log(`  wall ${format(lectern.wallSeconds)} s, CPU ${format(lectern.cpuSeconds)} s, peak RSS ${format(lectern.peakRssMB, 0)} MB`);
  console.log(`  stages: ${Object.entries(lectern.stageSeconds).map(([name, seconds]) => `${name} ${format(seconds)} s`).join(", ")}`);
  console.log(`  audio: ${format(lectern.audioSeconds, 1)} s of speech, real-time factor ${format(lectern.audioSeconds / lectern.wallSeconds, 0)}×`);
  console.log(`  per 1,000 words: ${format((lectern.wallSeconds / lectern.words) * 1000)} s wall`);
  console.log(
    peerAudio === undefined
      ? "  peer espeak-ng | lame: not installed (apt-get install espeak-ng lame), skipped"
      : `  peer espeak-ng | lame (audio only): ${format(peerAudio)} s — Lectern all outputs / peer = ${format(lectern.wallSeconds / peerAudio)}×`,
  );
  console.log(
    peerEpub === undefined
      ? "  peer pandoc: not installed, skipped"
      : `  peer pandoc -o out.epub: ${format(peerEpub)} s — Lectern EPUB stage / peer = ${format((lectern.stageSeconds.epub ?? 0) / peerEpub)}×`,
  );
}
writeFileSync(join(root, "bench/results.json"), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
console.log("\nwrote bench/results.json");
