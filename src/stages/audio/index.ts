// The audio stage: one mastered, tagged MP3 per section with words, WebVTT captions, an
// extended M3U playlist, and a full-length MP3 with ID3 chapters.
import { quotedValue } from "../../document/display-text.js";
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { ContentCache } from "../../cache/content-cache.js";
import { isEmptyObject } from "../../cache/record-shape.js";
import type { LecternDocument, Section } from "../../document/model.js";
import { loadLexicon, sectionSpeech, type Lexicon, type Utterance } from "../../document/speech/index.js";
import { LecternError } from "../../messages.js";
import { writeFileAtomic, writeFileAtomicInParts } from "../../output/atomic-write.js";
import { makeFolder, outputFailure } from "../../output/folder.js";
import type { EngineDescription, EngineUtterance, SpeechEngine } from "../../tts/engine.js";
import { engineFactories, type EngineSettings } from "../../tts/index.js";
import { acquireAudioWorkerPool, type AudioWorkerPool } from "../../tts/worker-pool.js";
import { version } from "../../version.js";
import type { NoNeeds, Stage, StageContext, StageOptions, StageResult } from "../stage.js";
import { sentenceCues, utteranceCaptions, webVtt } from "./captions.js";
import { type AudioData, type AudioTrackClips, encodedTrackClips, narratorOf, playedTimeline } from "./clips.js";
import { coverPng } from "./cover.js";
import { audioFileNames, audioFolder, type TrackFileNames } from "./file-names.js";
import { type FrameHeader, infoFrame, withInfoFrame } from "../../audio/mp3-frames.js";
import { extendedM3u } from "./playlist.js";
import { bookTag, type ChapterInput, trackTag } from "./tags.js";
import { cachedTrack, defaultMastering, type EncodedTrack, encodeTrack, masteredTrack, type MasteringSettings, storeTrack } from "./track.js";

export { audioFolder } from "./file-names.js";
export type { AudioClip, AudioData, AudioTrackClips } from "./clips.js";

export interface AudioTrackManifest {
  readonly section: number;
  readonly track: number;
  readonly title: string;
  /** Relative to the output folder. */
  readonly path: string;
  readonly captions: string;
  /** From our own sample count (players' estimates of CBR files without an Info frame run short). */
  readonly durationSeconds: number;
  readonly words: number;
  readonly loudness?: { readonly integratedLufs: number; readonly truePeakDbtp: number };
}

/** The stage's entry in manifest.json (`outputs.audio`); paths relative to the output folder. */
export type AudioManifest = {
  readonly playlist: string;
  readonly tracks: AudioTrackManifest[];
  /** The full-length MP3 with ID3 chapters. */
  readonly book: {
    readonly path: string;
    readonly durationSeconds: number;
    readonly chapters: readonly { readonly section: number; readonly title: string; readonly startSeconds: number; readonly endSeconds: number }[];
  };
  readonly engine: EngineDescription["engine"];
  readonly voice: string;
  readonly engineSettings: EngineDescription["settings"];
  readonly sampleRate: number;
  readonly bitrate: number;
  readonly channels: 1;
  readonly loudnessTarget: { readonly integratedLufs: number; readonly truePeakDbtp: number };
  /** The lexicon's file name, next to the document, when one was used. */
  readonly lexicon?: string;
  readonly durationSeconds: number;
};

/**
 * Where a written track's MPEG frames are, for the full-length book: the book is copied from
 * the track files one at a time instead of keeping every track's frames in memory until the
 * end (a book's hours of MP3 are tens of megabytes; see docs/performance.md, "Memory").
 */
interface TrackFrames {
  /** Absolute path of the written track. */
  readonly file: string;
  /** Byte offset of the first audio frame in `file` (after the ID3 tag and the Info frame). */
  readonly offset: number;
  readonly bytes: number;
  readonly frameCount: number;
  readonly header: FrameHeader;
  /** The first audio frame's four header bytes: the book's Info frame copies them. */
  readonly headerBytes: Uint8Array;
  /** SHA-256 of the frames as written: the book copies only what was written. */
  readonly sha256: string;
  readonly sampleRate: number;
  readonly startOffsetSamples: number;
}

/** A planned track: a section and what it says. */
interface PlannedTrack {
  readonly section: Section;
  readonly utterances: readonly Utterance[];
  readonly files: TrackFileNames;
}

/** `NN-<slug>`, NN zero-padded to the width of the section count (at least two digits); see `audioFileNames`. */
export function trackFileBase(section: Section, sectionCount: number): string {
  return audioFileNames("document", [section], sectionCount).tracks.get(section.index)!.base;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

function toEngineUtterances(utterances: readonly Utterance[]): EngineUtterance[] {
  return utterances.map((utterance) => ({ segments: utterance.segments, pauseAfterMs: utterance.pauseAfterMs }));
}

/** How the stage starts an engine by name: `engineFactories`, or a replacement in tests (a fake Edge service). */
export type EngineFactories = Readonly<Record<string, (settings: EngineSettings, pool: AudioWorkerPool) => Promise<SpeechEngine>>>;

async function startEngine(
  doc: LecternDocument,
  options: Pick<StageOptions, "engine" | "voice" | "speechRate" | "concurrency" | "ttsTimeoutMs">,
  pool: AudioWorkerPool,
  factories: EngineFactories,
): Promise<SpeechEngine> {
  const factory = factories[options.engine];
  if (!factory) throw new LecternError("CONFIG", `unknown speech engine \`${String(options.engine)}\``);
  return factory(
    {
      language: doc.metadata.language,
      concurrency: options.concurrency,
      timeoutMs: options.ttsTimeoutMs,
      ...(options.voice === undefined ? {} : { voice: options.voice }),
      ...(options.speechRate === undefined ? {} : { rate: options.speechRate }),
    },
    pool,
  );
}

/** A one-line reason for a failed section, naming the engine (the pipeline prints it as the stage's error). */
function describeFailure(error: unknown, engine: EngineDescription): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `${engine.engine} text-to-speech failed: ${reason}`;
}

async function documentLexicon(doc: LecternDocument): Promise<Awaited<ReturnType<typeof loadLexicon>>> {
  return loadLexicon(doc).catch((error: unknown) => {
    // A lexicon that does not parse is already an error against the lexicon file, with its line.
    if (error instanceof LecternError) throw error;
    throw new LecternError("CONFIG", `the pronunciation lexicon cannot be read: ${error instanceof Error ? error.message : String(error)}`, { file: doc.path });
  });
}

/** What a section will say: every section with words, and what it says once normalised (the same plan for the audio and its script). */
export interface SectionScript {
  readonly section: Section;
  readonly utterances: readonly Utterance[];
}

function planSpeech(
  doc: LecternDocument,
  options: Pick<StageOptions, "readCode">,
  lexicon: Lexicon,
  canVoice: (language: string) => boolean,
  report: StageContext["report"],
): SectionScript[] {
  return doc.sections
    .filter((section) => section.words > 0)
    .map((section) => ({
      section,
      utterances: sectionSpeech(doc, section, {
        lexicon,
        canVoice,
        ...(options.readCode === undefined ? {} : { readCode: options.readCode }),
        report: (problem) =>
          report({ severity: "warning", rule: problem.rule, reason: problem.reason, file: doc.path, ...(problem.line === undefined ? {} : { line: problem.line }) }),
      }),
    }))
    .filter((plan) => plan.utterances.length > 0);
}

/**
 * The text the engine will be given for each section — after the lexicon and normalisation,
 * in language-tagged segments — without synthesizing anything (`lectern script`). The engine
 * is started only to ask which languages it can voice; its description names the voice.
 */
export async function audioScript(
  doc: LecternDocument,
  options: Pick<StageOptions, "engine" | "voice" | "speechRate" | "readCode" | "concurrency" | "ttsTimeoutMs">,
  report: StageContext["report"] = () => undefined,
  factories: EngineFactories = engineFactories,
): Promise<{ readonly engine: EngineDescription; readonly sections: readonly SectionScript[] }> {
  const { lexicon } = await documentLexicon(doc);
  const lease = acquireAudioWorkerPool(1);
  let engine: SpeechEngine | undefined;
  try {
    engine = await startEngine(doc, options, lease.pool, factories);
    return { engine: engine.description, sections: planSpeech(doc, options, lexicon, engine.canVoice.bind(engine), report) };
  } finally {
    await engine?.close();
    await lease.release();
  }
}

/**
 * Synthesizes, masters and encodes one track: in the engine's worker when it can
 * (`synthesizeMastered`), else from its PCM or MP3. A failure is said to be the engine's.
 */
export async function synthesizeTrack(
  engine: SpeechEngine,
  utterances: readonly Utterance[],
  pool: AudioWorkerPool,
  mastering: MasteringSettings,
  signal: AbortSignal,
): Promise<EncodedTrack> {
  const engineUtterances = toEngineUtterances(utterances);
  let track: EncodedTrack;
  try {
    track = engine.synthesizeMastered
      ? masteredTrack(await engine.synthesizeMastered(engineUtterances, mastering, signal))
      : await encodeTrack(await engine.synthesize(engineUtterances, signal), pool, mastering, signal);
  } catch (error) {
    if (signal.aborted || error instanceof LecternError) throw error;
    throw new LecternError("STAGE", describeFailure(error, engine.description), { cause: error });
  }
  // Clips and captions index the spans by utterance: a reply with another count would pair them wrongly.
  if (track.utterances.length !== utterances.length) {
    throw new LecternError("STAGE", describeFailure(new Error(`the engine timed ${track.utterances.length} utterances of ${utterances.length}`), engine.description));
  }
  return track;
}

/** What every section task of one build shares. */
interface TrackWork {
  readonly doc: LecternDocument;
  readonly context: StageContext;
  readonly engine: SpeechEngine;
  readonly pool: AudioWorkerPool;
  readonly mastering: MasteringSettings;
  readonly trackCount: number;
  readonly coverArt: () => Promise<Uint8Array>;
  readonly signal: AbortSignal;
}

async function write(doc: LecternDocument, context: StageContext, factories: EngineFactories): Promise<StageResult<AudioData, AudioManifest>> {
  const mastering: MasteringSettings = defaultMastering;
  const { lexicon, file: lexiconFile } = await documentLexicon(doc);
  // Threads: no more than the queue would run at once, nor than there are cores. One pool for
  // every document of a batch (issue 7): borrowed here, given back in `finally`.
  const lease = acquireAudioWorkerPool(Math.max(1, Math.min(context.options.concurrency, availableParallelism())));
  let engine: SpeechEngine | undefined;
  try {
    engine = await startEngine(doc, context.options, lease.pool, factories);
    const description = engine.description;
    warnIfUnvoiced(doc, context, engine);
    // Every file's name, chosen together so that no two are one file (see file-names.ts).
    const names = audioFileNames(doc.slug, doc.sections);
    const planned = planTracks(doc, context, lexicon, engine, names);
    // Before any synthesis: a file where the audio folder should be is the output folder's
    // problem, said as such, not minutes later as a failure of the speech engine.
    await ensureAudioFolder(join(context.outDir, audioFolder));
    const coverArt = sharedCoverArt(doc, context);
    const tracks = await writeTracks(planned, { doc, context, engine, pool: lease.pool, mastering, trackCount: planned.length, coverArt, signal: context.signal });
    // Every section is encoded: give the threads back before the book is assembled, so the
    // book's bytes and the workers' memory are not held at the same time (the last user's
    // release stops the threads; `finally` releasing again is a no-op).
    await engine.close();
    await lease.release();

    const files = tracks.flatMap(({ written }) => [join(context.outDir, written.path), join(context.outDir, written.captions)]);
    await writeFileAtomic(
      join(context.outDir, names.playlist),
      extendedM3u(
        doc.metadata.title,
        tracks.map(({ written }) => ({ path: written.path.slice(audioFolder.length + 1), title: written.title, durationSeconds: written.durationSeconds })),
      ),
    );
    files.push(join(context.outDir, names.playlist));
    const book = await writeBook(doc, context, tracks, description, await coverArt(), names.book);
    files.push(join(context.outDir, book.path));
    return {
      manifest: audioManifest(tracks, { playlist: names.playlist, book, engine: description, mastering, lexiconFile }),
      data: { narrator: narratorOf(description), tracks: tracks.map(({ clips }) => clips) },
      files,
    };
  } finally {
    await engine?.close();
    await lease.release();
  }
}

function warnIfUnvoiced(doc: LecternDocument, context: StageContext, engine: SpeechEngine): void {
  if (engine.canVoice(doc.metadata.language)) return;
  context.report({
    severity: "warning",
    rule: "audio-language-unvoiced",
    reason: `${engine.description.engine} has no voice for the document's language \`${doc.metadata.language}\`; it is read with ${engine.description.voice}`,
    file: doc.path,
  });
}

/** Every section with something to say, with its file names; none is an input error. */
function planTracks(doc: LecternDocument, context: StageContext, lexicon: Lexicon, engine: SpeechEngine, names: ReturnType<typeof audioFileNames>): PlannedTrack[] {
  const planned = planSpeech(doc, context.options, lexicon, engine.canVoice.bind(engine), context.report.bind(context)).map((plan) => ({
    ...plan,
    files: names.tracks.get(plan.section.index)!,
  }));
  if (planned.length === 0) throw new LecternError("INPUT", "the document has no words to read", { file: doc.path });
  return planned;
}

/**
 * The cover art, drawn once for every track and the book, by the first section task to finish
 * its audio: inside a queued task (its ~0.3 s of main-thread work counts against the budget),
 * no task waits for another, and the workers start on the sections at once instead of idling
 * while a separate cover task waits for a free slot behind the EPUB and PDF
 * (docs/performance.md). Kept in the content cache too (keyed by what it draws): a rebuild
 * need not draw it again.
 */
function sharedCoverArt(doc: LecternDocument, context: StageContext): () => Promise<Uint8Array> {
  let cover: Promise<Uint8Array> | undefined;
  return () =>
    (cover ??= (async () => {
      const key = ContentCache.key({ kind: "lectern-audio-cover", format: 1, version, title: doc.metadata.title, author: doc.metadata.author ?? null });
      const cached = await context.cache?.get(key, isEmptyObject);
      if (cached) return new Uint8Array(cached.data);
      const drawn = coverPng(doc.metadata);
      await context.cache?.put(key, drawn, {});
      return drawn;
    })());
}

/**
 * Every section's track, made or taken from the cache and written, in document order. Fail
 * fast within the stage: once one section fails, the others stop (an engine that cannot be
 * reached would otherwise make every section wait out its own timeout). Every task still
 * settles before the stage decides, so no rejection goes unhandled.
 */
async function writeTracks(planned: readonly PlannedTrack[], shared: TrackWork): Promise<WrittenTrack[]> {
  const { context } = shared;
  let done = 0;
  context.progress(0, planned.length);
  const sectionsFailed = new AbortController();
  let firstFailure: { reason: unknown } | undefined;
  const signal = AbortSignal.any([context.signal, sectionsFailed.signal]);
  // Each section in flight listens for the abort (worker job, Edge request): as many as there are sections.
  setMaxListeners(planned.length * 2 + 10, signal);
  const work: TrackWork = { ...shared, signal };
  // Longest sections first (the queue runs tasks in the order they are added): the last task
  // to start is a short one, so no core idles for long while one long chapter finishes.
  const longestFirst = planned.map((plan, position) => ({ plan, position })).sort((a, b) => b.plan.section.words - a.plan.section.words || a.position - b.position);
  const settledLongestFirst = await Promise.allSettled(
    longestFirst.map(({ plan, position }) =>
      context
        .run(`audio ${plan.files.base}`, async () => {
          signal.throwIfAborted();
          const written = await writeSectionTrack(plan, position, work);
          done++;
          context.progress(done, planned.length);
          return written;
        })
        .catch((error: unknown) => {
          if (!sectionsFailed.signal.aborted) {
            firstFailure = { reason: error };
            sectionsFailed.abort(error);
          }
          throw error;
        }),
    ),
  );
  const settled: PromiseSettledResult<WrittenTrack>[] = [];
  longestFirst.forEach(({ position }, index) => {
    settled[position] = settledLongestFirst[index]!;
  });
  const failure = firstFailure ?? settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure) {
    if (context.signal.aborted || failure.reason instanceof LecternError) throw failure.reason;
    const reason = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
    throw new LecternError("STAGE", `the audio stage failed: ${reason}`, { cause: failure.reason });
  }
  return settled.map((result) => (result as PromiseFulfilledResult<WrittenTrack>).value);
}

/** One section: its track from the cache or the engine, checked against the ceiling, written. */
async function writeSectionTrack(plan: PlannedTrack, position: number, work: TrackWork): Promise<WrittenTrack> {
  const { doc, context, engine, mastering } = work;
  const description = engine.description;
  // format 2: 16-bit PCM and the streaming mastering (0.1.0 builds cached format 1);
  // format 3: long sections mastered in parts of 3,000 characters instead of 5,000;
  // format 4: loudness and true peak measured on the decoded MP3, made again over the
  // ceiling; the engine's word timings kept (they time the cues of long sentences);
  // format 5: each utterance's span kept instead of sentence timings (captions and clips).
  const key = ContentCache.key({ kind: "lectern-audio-track", format: 5, version, engine: description, utterances: plan.utterances, mastering });
  let track = await cachedTrack(context.cache, key, plan.utterances.length);
  if (!track) {
    // The first section to synthesize starts every other thread (and its WASM) at once,
    // while the EPUB and PDF are still being written; a rebuild whose tracks all come
    // from the cache starts only the one thread the engine needed for its voice list.
    if (context.options.engine === "espeak") work.pool.warm();
    // Only a failure here is the engine's (or the encoder's): one from the cache, the
    // cover or the output folder says what it is, not "text-to-speech failed".
    track = await synthesizeTrack(engine, plan.utterances, work.pool, mastering, work.signal);
    await storeTrack(context.cache, key, track);
  }
  if (track.loudness && track.loudness.truePeakDbtp > mastering.ceilingDbtp) {
    // Made twice, the second time with the limiter aiming under the first try's excess:
    // a peak still over is reported as measured, never as the target.
    context.report({
      severity: "warning",
      rule: "audio-true-peak-over-ceiling",
      reason: `track ${position + 1} ("${quotedValue(plan.section.title)}") peaks at ${track.loudness.truePeakDbtp.toFixed(1)} dBTP after MP3 encoding, over the ${mastering.ceilingDbtp} dBTP ceiling`,
      file: doc.path,
    });
  }
  // The track's frames are not kept: the book reads them back from the file.
  return writeTrack(doc, context, plan, track, { track: position + 1, trackCount: work.trackCount, engine: description, cover: await work.coverArt() });
}

/** The stage's manifest entry. */
function audioManifest(
  tracks: readonly WrittenTrack[],
  facts: { playlist: string; book: Awaited<ReturnType<typeof writeBook>>; engine: EngineDescription; mastering: MasteringSettings; lexiconFile: string | undefined },
): AudioManifest {
  return {
    playlist: facts.playlist,
    tracks: tracks.map(({ written }) => written),
    book: facts.book,
    engine: facts.engine.engine,
    voice: facts.engine.voice,
    engineSettings: facts.engine.settings,
    sampleRate: tracks[0]!.frames.sampleRate,
    bitrate: tracks[0]!.frames.header.bitrate,
    channels: 1,
    // Every engine's speech is mastered (Edge's MP3 is decoded first), so every track has the target.
    loudnessTarget: { integratedLufs: facts.mastering.targetLufs, truePeakDbtp: facts.mastering.ceilingDbtp },
    // The lexicon sits next to the document: its file name says which one was used.
    ...(facts.lexiconFile ? { lexicon: basename(facts.lexiconFile) } : {}),
    durationSeconds: round(
      tracks.reduce((sum, { written }) => sum + written.durationSeconds, 0),
      3,
    ),
  };
}

interface WrittenTrack {
  readonly plan: PlannedTrack;
  readonly frames: TrackFrames;
  readonly written: AudioTrackManifest;
  readonly clips: AudioTrackClips;
}

async function writeTrack(
  doc: LecternDocument,
  context: StageContext,
  plan: PlannedTrack,
  track: EncodedTrack,
  numbering: { track: number; trackCount: number; engine: EngineDescription; cover: Uint8Array },
): Promise<WrittenTrack> {
  const durationSeconds = track.speechSamples / track.sampleRate;
  const tag = trackTag(doc, numbering.engine, { title: plan.section.title, track: numbering.track, trackCount: numbering.trackCount }, context.options.now, numbering.cover);
  const stream = withInfoFrame({ first: track.header, frameCount: track.frameCount, frames: track.frames }, track.startOffsetSamples > 0 ? track.speechSamples : undefined);
  const path = plan.files.mp3;
  const captions = plan.files.captions;
  // Captions and clips share one timeline: the one a player plays (`playedTimeline`).
  const played = playedTimeline(track);
  const cues = sentenceCues(
    utteranceCaptions(track.utterances, plan.utterances, track.words),
    track.sampleRate,
    -played.offsetSamples,
    played.samples / track.sampleRate,
    track.words,
  );
  const clips = encodedTrackClips(track, plan.utterances, { section: plan.section.index, path });
  await Promise.all([writeFileAtomic(join(context.outDir, path), concat([tag, stream])), writeFileAtomic(join(context.outDir, captions), webVtt(cues, plan.section.title))]);
  const frames: TrackFrames = {
    file: join(context.outDir, path),
    offset: tag.length + stream.length - track.frames.length,
    bytes: track.frames.length,
    frameCount: track.frameCount,
    header: track.header,
    headerBytes: track.frames.slice(0, 4),
    sha256: createHash("sha256").update(track.frames).digest("hex"),
    sampleRate: track.sampleRate,
    startOffsetSamples: track.startOffsetSamples,
  };
  const written: AudioTrackManifest = {
    section: plan.section.index,
    track: numbering.track,
    title: plan.section.title,
    path,
    captions,
    durationSeconds: round(durationSeconds, 3),
    words: plan.section.words,
    ...(track.loudness ? { loudness: { integratedLufs: round(track.loudness.integratedLufs, 2), truePeakDbtp: round(track.loudness.truePeakDbtp, 2) } } : {}),
  };
  return { plan, written, frames, clips };
}

/**
 * The whole document as one MP3: the tracks' frames back to back (CBR frames of one encoder
 * setting concatenate cleanly), an Info frame, and an ID3 tag whose `CHAP` frames start where
 * each section's speech starts: frames before it, plus the encoder's start delay.
 */
async function writeBook(
  doc: LecternDocument,
  context: StageContext,
  tracks: readonly WrittenTrack[],
  engine: EngineDescription,
  cover: Uint8Array,
  path: string,
): Promise<{ path: string; durationSeconds: number; chapters: { section: number; title: string; startSeconds: number; endSeconds: number }[] }> {
  const first = tracks[0]!.frames;
  const compatible = tracks.every(
    ({ frames }) => frames.sampleRate === first.sampleRate && frames.header.bitrate === first.header.bitrate && frames.header.channels === first.header.channels,
  );
  if (!compatible) throw new LecternError("STAGE", "the tracks differ in sample rate or bitrate and cannot be joined into one book");
  const chapters: ChapterInput[] = [];
  const timeline: { section: number; title: string; startSeconds: number; endSeconds: number }[] = [];
  let frameOffset = 0;
  tracks.forEach(({ plan, frames }, index) => {
    const trackStart = (frameOffset * first.header.samples) / first.sampleRate;
    frameOffset += frames.frameCount;
    const trackEnd = (frameOffset * first.header.samples) / first.sampleRate;
    // The first chapter starts at zero so the listener's "start" is chapter one.
    const start = index === 0 ? 0 : trackStart + frames.startOffsetSamples / first.sampleRate;
    chapters.push({ id: `ch${index + 1}`, title: plan.section.title, startMs: start * 1000, endMs: trackEnd * 1000 });
    timeline.push({ section: plan.section.index, title: plan.section.title, startSeconds: round(start, 3), endSeconds: round(trackEnd, 3) });
  });
  // Each chapter ends where the next begins, so the chapters tile the book.
  for (let i = 0; i + 1 < chapters.length; i++) {
    chapters[i] = { ...chapters[i]!, endMs: chapters[i + 1]!.startMs };
    timeline[i] = { ...timeline[i]!, endSeconds: timeline[i + 1]!.startSeconds };
  }
  // ID3v2 CTOC holds at most 255 entries (one count byte).
  if (chapters.length > 255) {
    context.report({
      severity: "warning",
      rule: "audio-chapters-truncated",
      reason: `the book has ${chapters.length} sections; its chapter list holds the first 255`,
      file: doc.path,
    });
  }
  const tag = bookTag(doc, engine, chapters.slice(0, 255), context.options.now, cover);
  const frameBytes = tracks.reduce((sum, { frames }) => sum + frames.bytes, 0);
  const info = infoFrame(first.header, first.headerBytes, frameOffset, frameBytes);
  // Tag, Info frame, then each track's frames read back from its file: one track's frames in
  // memory at a time, however long the book.
  await writeFileAtomicInParts(join(context.outDir, path), async (append) => {
    await append(tag);
    await append(info);
    for (const { frames } of tracks) {
      // Interrupted: stop here; the half-written book's temporary file is removed.
      context.signal.throwIfAborted();
      await append(await readFrames(frames));
    }
  });
  return { path, durationSeconds: round((frameOffset * first.header.samples) / first.sampleRate, 3), chapters: timeline };
}

/** Creates the audio folder, or says in one line why it cannot be: a file in its place, no permission. */
async function ensureAudioFolder(folder: string): Promise<void> {
  try {
    await makeFolder(folder);
  } catch (error) {
    if ((error as { isFile?: boolean }).isFile) {
      throw new LecternError("OUTPUT", "the audio folder is a file, not a folder", { file: folder, hint: "move the file away, or choose another --out folder" });
    }
    throw outputFailure(error, folder, "create the audio folder");
  }
}

/** A written track's MPEG frames, checked to be where and what they were when it was written. */
async function readFrames(frames: TrackFrames): Promise<Uint8Array> {
  const file = await open(frames.file, "r").catch((error: unknown) => Promise.reject(outputFailure(error, frames.file, "read the written track back for the book")));
  try {
    const bytes = new Uint8Array(frames.bytes);
    for (let at = 0; at < bytes.length; ) {
      const { bytesRead } = await file.read(bytes, at, bytes.length - at, frames.offset + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== frames.sha256) {
      throw new LecternError("STAGE", `the track ${frames.file} changed while the book was being written`, { file: frames.file });
    }
    return bytes;
  } finally {
    await file.close();
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** The audio stage with its engines taken from `factories` (tests pass an Edge engine pointed at a fake service). */
export function audioStageWith(factories: EngineFactories): Stage<"audio", NoNeeds, AudioManifest, AudioData> {
  return { name: "audio", write: (doc, context) => write(doc, context, factories) };
}

export const audioStage: Stage<"audio", NoNeeds, AudioManifest, AudioData> = audioStageWith(engineFactories);
