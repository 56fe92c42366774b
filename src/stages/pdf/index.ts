// The PDF stage: a LecternDocument → `<slug>.pdf`, tagged for PDF/UA-1.
import { join } from "node:path";
import type { LecternDocument } from "../../document/model.js";
import { writeFileAtomic } from "../../output/atomic-write.js";
import type { NoNeeds, Stage, StageContext, StageResult } from "../stage.js";
import { renderPdf } from "./render.js";

/** The stage's entry in manifest.json (`outputs.pdf`). */
export type PdfManifest = {
  /** `<slug>.pdf`, relative to the output folder. */
  readonly path: string;
  readonly pages: number;
  readonly bytes: number;
  readonly paperSize: "A4" | "Letter";
  readonly conformsTo: "PDF/UA-1";
  readonly bookmarks: number;
  readonly notes: number;
};

async function write(doc: LecternDocument, context: StageContext): Promise<StageResult<undefined, PdfManifest>> {
  const fileName = `${doc.slug}.pdf`;
  const rendered = await context.run(`pdf ${fileName}`, () =>
    renderPdf(doc, {
      now: context.options.now,
      ...(context.options.paperSize ? { paperSize: context.options.paperSize === "Letter" ? ("LETTER" as const) : ("A4" as const) } : {}),
      signal: context.signal,
      progress: (done, total) => context.progress(done, total),
      warn: (rule, reason, line, column) =>
        context.report({
          severity: "warning",
          rule,
          reason,
          file: doc.path,
          ...(line === undefined ? {} : { line }),
          ...(column === undefined ? {} : { column }),
        }),
    }),
  );
  const path = join(context.outDir, fileName);
  // An interrupted run writes nothing new (the EPUB stage checks the same before writing).
  context.signal.throwIfAborted();
  await writeFileAtomic(path, rendered.bytes);
  return {
    manifest: {
      path: fileName,
      pages: rendered.pages,
      bytes: rendered.bytes.length,
      paperSize: rendered.paperSize === "LETTER" ? "Letter" : "A4",
      conformsTo: "PDF/UA-1",
      bookmarks: rendered.bookmarks,
      notes: rendered.notes,
    },
    files: [path],
  };
}

export const pdfStage: Stage<"pdf", NoNeeds, PdfManifest, undefined> = { name: "pdf", write };

export { renderPdf, type RenderOptions, type RenderedPdf } from "./render.js";
