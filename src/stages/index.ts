// The table of output stages: the only place that knows the full list, and where the types
// that name the stages come from (`StageName`, each stage's manifest entry and data).
// A new output format is one folder under src/stages/ and one row here (docs/stages.md).
//
// Each stage's module is loaded when the stage first runs, not when Lectern starts: `lectern
// --help` or a rebuild whose EPUB and PDF come from the cache never loads pdfkit and fontkit.
// The EPUB and PDF are served from the content cache when nothing they depend on has changed
// (src/stages/stage-output-cache.ts); the audio stage caches each track itself.
import { cachedStageOutput } from "./stage-output-cache.js";
import { imageReadOutcome } from "./shared/image-files.js";
import type { AnyStage, StageResult } from "./stage.js";

/**
 * A stage whose module is imported on its first run. The row repeats the stage's name and
 * needs because the pipeline plans the build before any module is loaded; the types make
 * the two agree, and the loaded stage is checked against them once more.
 */
function lazyStage<S extends AnyStage>(row: Pick<S, "name" | "needs">, load: () => Promise<S>): S {
  let loaded: Promise<S> | undefined;
  const loadChecked = async (): Promise<S> => {
    const stage = await load();
    const declared = [...(row.needs ?? [])].sort().join(", ");
    if (stage.name !== row.name || [...(stage.needs ?? [])].sort().join(", ") !== declared) {
      throw new Error(
        `the stage table's row for ${row.name} (needs: ${declared || "none"}) does not match the stage its module exports (${stage.name}, needs: ${stage.needs?.join(", ") || "none"})`,
      );
    }
    return stage;
  };
  const lazy: AnyStage = {
    name: row.name,
    ...(row.needs ? { needs: row.needs } : {}),
    write: async (doc, context, needs) => (await (loaded ??= loadChecked())).write(doc, context, needs),
  };
  // The same stage as the one loaded, so it has its types.
  return lazy as S;
}

type EpubStage = typeof import("./epub/index.js")["epubStage"];
type PdfStage = typeof import("./pdf/index.js")["pdfStage"];
type AudioStage = typeof import("./audio/index.js")["audioStage"];
type TalkingEpubStage = typeof import("./talking-epub/index.js")["talkingEpubStage"];

const table = [
  // `outputFiles`: where the stage writes, so a cached copy goes only there. `unreadOptions`:
  // options it does not read, left out of its cache key so that changing them does not make it
  // again (an option added later is in the key until listed).
  cachedStageOutput(
    lazyStage<EpubStage>({ name: "epub" }, async () => (await import("./epub/index.js")).epubStage),
    { outputFiles: (doc) => [`${doc.slug}.epub`], verifyRead: imageReadOutcome, unreadOptions: ["paperSize"] },
  ),
  cachedStageOutput(
    lazyStage<PdfStage>({ name: "pdf" }, async () => (await import("./pdf/index.js")).pdfStage),
    { outputFiles: (doc) => [`${doc.slug}.pdf`], verifyRead: imageReadOutcome, unreadOptions: ["epubReadingFont"] },
  ),
  lazyStage<AudioStage>({ name: "audio" }, async () => (await import("./audio/index.js")).audioStage),
  // Not cached as a whole: it only zips what the audio stage made (and caches) with its text.
  lazyStage<TalkingEpubStage>({ name: "talking-epub", needs: ["audio"] }, async () => (await import("./talking-epub/index.js")).talkingEpubStage),
] as const;

/** One row of the table, with its own types. */
export type TableStage = (typeof table)[number];

/** Names of the output stages, in the order the pipeline starts them. */
export type StageName = TableStage["name"];

/** What a stage's `write` resolves with. */
type ResultOf<S extends AnyStage> = Awaited<ReturnType<S["write"]>>;

/** What a stage declares it receives from its needs (`{ audio: AudioData }`). */
type NeedsOf<S extends AnyStage> = Parameters<S["write"]>[2] & object;

/** Each stage's entry under `outputs` in manifest.json, by stage name, for a table of stages. */
export type ManifestsOf<Table extends AnyStage> = { readonly [S in Table as S["name"]]: ResultOf<S>["manifest"] };

/** The `data` each stage hands the stages that need it, by stage name (`undefined`: none). */
export type DataOf<Table extends AnyStage> = { readonly [S in Table as S["name"]]: ResultOf<S> extends StageResult<infer Data, object> ? Data : never };

/**
 * The names of the stages of `Table` whose `Needs` name a stage missing from it, or expect
 * other data than that stage gives: `never` when every row agrees.
 */
export type NeedsDisagreeing<Table extends AnyStage> = { [S in Table as S["name"]]: NeedDisagrees<Table, S, keyof NeedsOf<S>> }[Table["name"]];

/** `S`'s name when `Need` (each of its needs in turn) is not in `Table` or gives other data than `S` expects. */
type NeedDisagrees<Table extends AnyStage, S extends AnyStage, Need> = Need extends Table["name"]
  ? DataOf<Table>[Need] extends NeedsOf<S>[Need & keyof NeedsOf<S>]
    ? never
    : S["name"]
  : S["name"];

/** Each stage's entry under `outputs` in manifest.json, by stage name. */
export type StageManifests = ManifestsOf<TableStage>;

/** The `data` each stage hands the stages that need it, by stage name. */
export type StageData = DataOf<TableStage>;

/** The table, once the types have checked that every stage's needs agree with it. */
export const stages: readonly ([NeedsDisagreeing<TableStage>] extends [never] ? TableStage : { readonly needsDisagree: NeedsDisagreeing<TableStage> })[] = table;

export const stageNames: readonly StageName[] = stages.map((stage) => stage.name);

/**
 * What a build writes when it is not told (`formats` absent): every output but the talking
 * EPUB, which carries a second copy of every MP3 (as large as the audio itself) and is asked
 * for by name (`--formats epub,pdf,audio,talking-epub`; docs/epub.md, "Talking EPUB").
 */
export const defaultStageNames: readonly StageName[] = stageNames.filter((name) => name !== "talking-epub");

export type { AnyStage, NeedsData, NoNeeds, Stage, StageContext, StageManifest, StageOptions, StageResult } from "./stage.js";
