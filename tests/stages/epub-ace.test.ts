// Ace by DAISY's HTML rules (axe-core, run as Ace configures it) on every content document.
// Ace itself needs a browser; its EPUB-specific rules are asserted in epub.test.ts.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { fragments } from "../fixtures/epub/fragments.js";
import { axeFindings, openEpubBytes } from "../helpers/epub.js";

const sources = {
  "every construct": join(import.meta.dirname, "../fixtures/every-construct/document.md"),
  "awkward Markdown": join(import.meta.dirname, "../fixtures/epub/awkward/book/document.md"),
};

async function findingsIn(source: string): Promise<string[]> {
  const { document } = await readDocument(source);
  const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} });
  const epub = openEpubBytes(bytes);
  const findings: string[] = [];
  for (const path of epub.contentDocuments.keys()) {
    for (const finding of await axeFindings(epub.text(path), path)) {
      findings.push(`${path}: ${finding.rule} (${finding.impact}) ${finding.nodes.slice(0, 2).join(" | ")}`);
    }
  }
  return findings;
}

describe("axe-core with Ace's configuration", () => {
  it.each(Object.entries(sources))("finds no violation and nothing undecided in the %s book", async (_name, source) => {
    expect(await findingsIn(source)).toEqual([]);
  });

  // Twice over, so each fragment also follows every other one (an unclosed tag before a list).
  it("finds nothing in a book made of every awkward fragment at once (unclosed tags, bare table cells…)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-epub-ace-"));
    try {
      const path = join(folder, "fragments.md");
      await writeFile(path, `---\ntitle: Fragments\nlang: en\n---\n\nOpening words.\n\n${[...fragments, ...fragments].join("\n\n")}\n`);
      expect(await findingsIn(path)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("keeps an unclosed raw tag from swallowing the list after it, and a header-only table from heading nothing", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-epub-ace-"));
    try {
      const path = join(folder, "unclosed.md");
      await writeFile(path, "---\ntitle: Unclosed\n---\n\nOpening words.\n\n<p>unclosed <em>tags\n\n- a\n- b\n\n| only | headers |\n|---|---|\n");
      expect(await findingsIn(path)).toEqual([]);
      const { document } = await readDocument(path);
      const epub = openEpubBytes((await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} })).bytes);
      const page = epub.text(epub.spine[1]!);
      expect(page).toMatch(/<ul>\s*<li>a<\/li>/);
      expect(page).not.toMatch(/<th[\s>]/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("would notice a real violation (an image without alt)", async () => {
    const page = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en"><head><title>t</title></head>
<body><main><h1>t</h1><img src="x.png"/></main></body></html>`;
    const findings = await axeFindings(page, "probe.xhtml");
    expect(findings.map((finding) => finding.rule)).toContain("image-alt");
  });
});
