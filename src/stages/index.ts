// The table of output stages: the only place that knows the full list.
// A new output format is one folder under src/stages/ and one row here.
//
// Each stage's module is loaded when the stage first runs, not when Lectern starts: `lectern
// --help` or a rebuild whose EPUB and PDF come from the cache never loads pdfkit and fontkit.
// The EPUB and PDF are served from the content cache when nothing they depend on has changed
// (src/stages/stage-output-cache.ts); the audio stage caches each track itself.
import { cachedStageOutput } from "./stage-output-cache.js";
import { imageReadOutcome } from "./shared/image-files.js";
import type { Stage, StageName } from "./stage.js";

/** A stage whose module is imported on its first run. */
function lazyStage(name: StageName, load: () => Promise<Stage>): Stage {
  let loaded: Promise<Stage> | undefined;
  return { name, write: async (doc, context) => (await (loaded ??= load())).write(doc, context) };
}

export const stages: readonly Stage[] = [
  // `outputFiles`: where the stage writes, so a cached copy goes only there. `unreadOptions`:
  // options it does not read, left out of its cache key so that changing them does not make it
  // again (an option added later is in the key until listed).
  cachedStageOutput(lazyStage("epub", async () => (await import("./epub/index.js")).epubStage), {
    outputFiles: (doc) => [`${doc.slug}.epub`],
    verifyRead: imageReadOutcome,
    unreadOptions: ["paperSize"],
  }),
  cachedStageOutput(lazyStage("pdf", async () => (await import("./pdf/index.js")).pdfStage), {
    outputFiles: (doc) => [`${doc.slug}.pdf`],
    verifyRead: imageReadOutcome,
    unreadOptions: ["epubReadingFont"],
  }),
  lazyStage("audio", async () => (await import("./audio/index.js")).audioStage),
];

export const stageNames: readonly StageName[] = stages.map((stage) => stage.name);

export type { Stage, StageContext, StageName, StageOptions, StageResult } from "./stage.js";
