// The speech-engine interface: text in, audio and word/sentence timings out.
//
// Placeholder names only; the audio work fills in the engines. Kept here so stage options
// can name an engine without importing an engine's implementation.

/** Engines Lectern ships: `espeak` runs offline from npm packages; `edge` needs the network. */
export type EngineName = "espeak" | "edge";

export const engineNames: readonly EngineName[] = ["espeak", "edge"];
