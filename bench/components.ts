// Where the cold audio time goes, one component at a time on one thread each, beside the
// native tools doing the same jobs: the floor under Lectern's cold build (docs/performance.md,
// "The floor"). Run by bench/run.ts on the article.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMp3Encoder } from "wasm-media-encoders";
import type { LecternDocument } from "../src/document/model.js";
import { loadLexicon, sectionSpeech } from "../src/document/speech/index.js";
import { defaultMastering } from "../src/stages/audio/track.js";
import { masterSpeechInBlocks } from "../src/audio/mastering.mjs";
import { AudioWorkerPool } from "../src/tts/worker-pool.js";
import { speakableDocumentText } from "./speakable-text.js";

export interface Components {
  /** Seconds of speech synthesized (untrimmed, pauses included). */
  readonly speechSeconds: number;
  /** espeak-ng (echogarden's build, compiled to JavaScript) in one fresh worker thread, every section in turn: what one thread of a cold build pays, start-up and JIT warm-up included. */
  readonly synthesisSeconds: number;
  /** BS.1770 loudness, gain, true-peak limiter, trimming: JavaScript, one thread. */
  readonly masteringSeconds: number;
  /** LAME (wasm-media-encoders, WebAssembly), 48 kbps CBR mono, one thread. */
  readonly encodingSeconds: number;
  /** The native programs on the same text, one at a time (undefined when not installed). */
  readonly native?: { readonly espeakNgSeconds: number; readonly lameSeconds: number };
}

function has(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Native espeak-ng alone (text → WAV), then native LAME alone (WAV → MP3), timed separately. */
function nativeComponents(text: string): Components["native"] {
  if (!has("espeak-ng") || !has("lame")) return undefined;
  const folder = mkdtempSync(join(tmpdir(), "lectern-components-"));
  try {
    writeFileSync(join(folder, "text.txt"), text);
    let started = performance.now();
    execFileSync("espeak-ng", ["-f", "text.txt", "-w", "speech.wav"], { cwd: folder });
    const espeakNgSeconds = seconds(started);
    started = performance.now();
    execFileSync("lame", ["--quiet", "-b", "48", "-m", "m", "speech.wav", "speech.mp3"], { cwd: folder });
    return { espeakNgSeconds, lameSeconds: seconds(started) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function measureComponents(document: LecternDocument): Promise<Components> {
  const { lexicon } = await loadLexicon(document);
  const jobs = document.sections
    .filter((section) => section.words > 0)
    .map((section) => sectionSpeech(document, section, { lexicon }).map((utterance) => ({ segments: utterance.segments, pauseAfterMs: utterance.pauseAfterMs })))
    .filter((utterances) => utterances.length > 0);

  // Synthesis: a fresh worker, as each thread of a cold build starts.
  const pool = new AudioWorkerPool(1);
  const speech: { samples: Int16Array; sampleRate: number }[] = [];
  let started = performance.now();
  try {
    for (const utterances of jobs) {
      speech.push(await pool.run("synthesize", { utterances, language: document.metadata.language, rate: 165 }));
    }
  } finally {
    await pool.close();
  }
  const synthesisSeconds = seconds(started);

  // Mastering, keeping its output for the encoder.
  const mastered: Float32Array[][] = [];
  started = performance.now();
  for (const { samples, sampleRate } of speech) {
    const blocks: Float32Array[] = [];
    masterSpeechInBlocks(samples, sampleRate, defaultMastering, (block) => blocks.push(block.slice()));
    mastered.push(blocks);
  }
  const masteringSeconds = seconds(started);

  // Encoding: the WASM module instantiated once, as in a worker.
  const encoder = await createMp3Encoder();
  started = performance.now();
  for (const [index, blocks] of mastered.entries()) {
    encoder.configure({ sampleRate: speech[index]!.sampleRate, channels: 1, bitrate: defaultMastering.bitrate });
    for (const block of blocks) encoder.encode([block]);
    encoder.finalize();
  }
  const encodingSeconds = seconds(started);

  const native = nativeComponents(speakableDocumentText(document));
  return {
    speechSeconds: speech.reduce((sum, { samples, sampleRate }) => sum + samples.length / sampleRate, 0),
    synthesisSeconds,
    masteringSeconds,
    encodingSeconds,
    ...(native ? { native } : {}),
  };
}
