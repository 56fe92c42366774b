// The offline engine: espeak-ng compiled to JavaScript by Emscripten (@echogarden/espeak-ng-emscripten:
// plain JavaScript, not WebAssembly; docs/performance.md, "The floor"), run in the audio worker
// threads because its `synthesize` call is synchronous.
import { LecternError } from "../messages.js";
import type { EngineSettings, EngineUtterance, MasteredSpeech, MasteringRequest, PcmSpeech, SpeechEngine } from "./engine.js";
import type { AudioWorkerPool } from "./worker-pool.js";

/** espeak-ng's default speaking rate is 175 words per minute; a careful reader is a little slower. */
export const espeakDefaultRate = 165;

interface EspeakVoice {
  readonly name: string;
  readonly identifier: string;
  readonly languages: readonly { readonly priority: number; readonly name: string }[];
}

/** The espeak voice for a BCP 47 language: exact language first, then its primary subtag. */
export function espeakVoiceFor(voices: readonly EspeakVoice[], language: string): string | undefined {
  const wanted = language.toLowerCase();
  for (const candidate of [wanted, wanted.split("-")[0]!]) {
    const matches = voices
      .flatMap((voice) => voice.languages.filter((entry) => entry.name === candidate).map((entry) => ({ voice, priority: entry.priority })))
      .sort((a, b) => a.priority - b.priority);
    if (matches[0]) return matches[0].voice.identifier;
  }
  return undefined;
}

/**
 * Starts the espeak engine on `pool` (borrowed: closing the engine leaves the pool running).
 * Throws `LecternError` CONFIG when `settings.voice` names no espeak voice.
 */
export async function createEspeakEngine(settings: EngineSettings, pool: AudioWorkerPool, rate = Math.round(espeakDefaultRate * (settings.rate ?? 1))): Promise<SpeechEngine> {
  const { voices, sampleRate } = await pool.run("voices", {});
  let voice: string;
  if (settings.voice !== undefined) {
    const wanted = settings.voice.toLowerCase();
    const named = voices.find(
      (candidate) => candidate.identifier.toLowerCase() === wanted || candidate.identifier.toLowerCase().endsWith(`/${wanted}`) || candidate.name.toLowerCase() === wanted,
    );
    const byLanguage = named ? undefined : espeakVoiceFor(voices, settings.voice);
    if (!named && !byLanguage) {
      throw new LecternError("CONFIG", `espeak-ng has no voice \`${settings.voice}\``, { hint: "use an espeak voice such as en-us, en-gb-x-rp or gmw/en-US" });
    }
    voice = named?.identifier ?? byLanguage!;
  } else {
    voice = espeakVoiceFor(voices, settings.language) ?? espeakVoiceFor(voices, "en-us")!;
  }
  const languages = new Set(voices.flatMap((entry) => entry.languages.map((language) => language.name)));
  return {
    description: { engine: "espeak", voice, settings: { rate, sampleRate, synthesizer: "espeak-ng (Emscripten, JavaScript)" } },
    canVoice: (language) => languages.has(language.toLowerCase()) || languages.has(language.toLowerCase().split("-")[0]!),
    async synthesize(utterances: readonly EngineUtterance[], signal: AbortSignal): Promise<PcmSpeech> {
      signal.throwIfAborted();
      const reply = await pool.run("synthesize", { utterances, voice, language: settings.language, rate }, [], signal);
      signal.throwIfAborted();
      return { kind: "pcm", samples: reply.samples, sampleRate: reply.sampleRate, words: reply.words, sentences: reply.sentences, utterances: reply.utterances };
    },
    async synthesizeMastered(utterances: readonly EngineUtterance[], mastering: MasteringRequest, signal: AbortSignal): Promise<MasteredSpeech> {
      signal.throwIfAborted();
      const reply = await pool.run("synthesizeAndEncode", { utterances, voice, language: settings.language, rate, ...mastering }, [], signal);
      signal.throwIfAborted();
      return reply;
    },
    async close() {
      // The pool belongs to the caller; nothing of ours to release.
    },
  };
}
