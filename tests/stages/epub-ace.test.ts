// Ace by DAISY's HTML rules (axe-core, run as Ace configures it) on every content document.
// Ace itself needs a browser; its EPUB-specific rules are asserted in epub.test.ts.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { axeFindings, openEpubBytes } from "../helpers/epub.js";

const sources = {
  "every construct": join(import.meta.dirname, "../fixtures/every-construct/document.md"),
  "awkward Markdown": join(import.meta.dirname, "../fixtures/epub/awkward/book/document.md"),
};

describe("axe-core with Ace's configuration", () => {
  it.each(Object.entries(sources))("finds no violation and nothing undecided in the %s book", async (_name, source) => {
    const { document } = await readDocument(source);
    const { bytes } = await renderEpub(document, { now: new Date("2026-02-02T00:00:00Z"), report: () => {} });
    const epub = openEpubBytes(bytes);
    const findings: string[] = [];
    for (const path of epub.contentDocuments.keys()) {
      for (const finding of await axeFindings(epub.text(path), path)) {
        findings.push(`${path}: ${finding.rule} (${finding.impact}) ${finding.nodes.slice(0, 2).join(" | ")}`);
      }
    }
    expect(findings).toEqual([]);
  });

  it("would notice a real violation (an image without alt)", async () => {
    const page = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en"><head><title>t</title></head>
<body><main><h1>t</h1><img src="x.png"/></main></body></html>`;
    const findings = await axeFindings(page, "probe.xhtml");
    expect(findings.map((finding) => finding.rule)).toContain("image-alt");
  });
});
