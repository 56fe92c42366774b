// The engines by name: the one place that knows which engines exist and how to start each.
import type { EngineName, EngineSettings, SpeechEngine } from "./engine.js";
import { createEdgeEngine } from "./edge.js";
import { createEspeakEngine } from "./espeak.js";
import type { AudioWorkerPool } from "./worker-pool.js";

export type { EngineName, EngineSettings, SpeechEngine, SynthesizedSpeech, TimedText } from "./engine.js";
export { engineNames } from "./engine.js";
export { AudioWorkerPool } from "./worker-pool.js";

/** Starts an engine. The pool runs espeak's synthesis; Edge runs on the network and ignores it. */
export const engineFactories: Readonly<Record<EngineName, (settings: EngineSettings, pool: AudioWorkerPool) => Promise<SpeechEngine>>> = {
  espeak: (settings, pool) => createEspeakEngine(settings, pool),
  edge: async (settings) => createEdgeEngine(settings),
};
