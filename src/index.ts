// Lectern's library entry: the same build the CLI runs, plus the types around it.
export { build, buildDocument } from "./pipeline.js";
export type { BuildOptions, BuildResult, Manifest, PipelineEvent, PipelineEventBody, StageReport, StageStatus } from "./pipeline.js";
export { buildAll, findSources } from "./batch.js";
export type { BuildAllOptions, FindSourcesOptions } from "./batch.js";
export { readDocument, parseSource, sourceExtensions } from "./document/read.js";
export type { ReadOptions } from "./document/read.js";
export type { MetadataOverrides } from "./document/metadata-sources.js";
export type { DocumentMetadata, LecternDocument, MetadataSources, Section, SectionRole } from "./document/model.js";
export { LecternError, formatMessage } from "./messages.js";
export type { Message, Severity, ErrorCode } from "./messages.js";
export { stages, stageNames } from "./stages/index.js";
export type { StageData, StageManifests, StageName } from "./stages/index.js";
export type { AnyStage, NeedsData, NoNeeds, Stage, StageContext, StageManifest, StageOptions, StageResult } from "./stages/stage.js";
export { version } from "./version.js";
