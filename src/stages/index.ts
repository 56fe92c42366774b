// The table of output stages: the only place that knows the full list.
// A new output format is one folder under src/stages/ and one row here.
import { audioStage } from "./audio/index.js";
import { epubStage } from "./epub/index.js";
import { pdfStage } from "./pdf/index.js";
import type { Stage, StageName } from "./stage.js";

export const stages: readonly Stage[] = [epubStage, pdfStage, audioStage];

export const stageNames: readonly StageName[] = stages.map((stage) => stage.name);

export type { Stage, StageContext, StageName, StageOptions, StageResult } from "./stage.js";
