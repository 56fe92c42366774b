// Smart typography read back from the outputs: the EPUB's XHTML and navigation, and the PDF's
// text layer (pdf.js), have the curled marks; code stays as typed; `smartTypography: false`
// (`--no-smart`) keeps the source's straight quotes.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli.js";
import { readDocument } from "../../src/document/read.js";
import { epubStage } from "../../src/stages/epub/index.js";
import { renderPdf } from "../../src/stages/pdf/render.js";
import { byName, fakeContext, findAll, openEpub, type OpenedEpub, type XmlTree } from "../helpers/epub.js";
import { readPdfStructure } from "../helpers/pdf.js";

const english = [
  "---",
  "title: Don't panic",
  "lang: en",
  "---",
  "",
  '## The "first" chapter',
  "",
  `"My dear Mr. Bennet," said his lady -- "have you heard?" It's 5'10"... and that's all --- done.`,
  "",
  "```sh",
  `echo "it's" -- ...`,
  "```",
  "",
  'Run `grep "it\'s" --count` now.',
].join("\n");

const french = ["---", "title: Candide", "lang: fr", "---", "", `Pangloss disait qu'il n'y a "point d'effet sans cause".`].join("\n");

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "lectern-typography-"));
  await writeFile(join(outDir, "english.md"), english);
  await writeFile(join(outDir, "french.md"), french);
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const textOf = (node: XmlTree): string => node.text;

async function epubOf(name: string, smart: boolean): Promise<OpenedEpub> {
  const { document } = await readDocument(join(outDir, `${name}.md`), { smartTypography: smart });
  const folder = join(outDir, `${name}-${smart ? "smart" : "straight"}-epub`);
  const result = await epubStage.write(document, fakeContext(folder));
  return openEpub(join(folder, String(result.manifest.path)));
}

function chapterText(epub: OpenedEpub): { body: string; code: string[] } {
  const chapters = [...epub.contentDocuments.entries()].filter(([path]) => path !== epub.navPath).map(([, tree]) => tree);
  return {
    body: chapters.map((tree) => byName(tree, "body").map(textOf).join("")).join("\n"),
    code: chapters.flatMap((tree) => byName(tree, "code").map(textOf)),
  };
}

async function pdfText(name: string, smart: boolean): Promise<string> {
  const { document } = await readDocument(join(outDir, `${name}.md`), { smartTypography: smart });
  const rendered = await renderPdf(document, { now: new Date("2026-01-01T00:00:00Z"), warn: () => {} });
  const path = join(outDir, `${name}-${smart ? "smart" : "straight"}.pdf`);
  await writeFile(path, rendered.bytes);
  return (await readPdfStructure(path)).text.replace(/[ \t\n]+/g, " ");
}

describe("EPUB", () => {
  it("has curly quotes, dashes and ellipses in the text and the navigation, straight ones in code", async () => {
    const epub = await epubOf("english", true);
    const { body, code } = chapterText(epub);
    expect(body).toContain("“My dear Mr. Bennet,” said his lady – “have you heard?” It’s 5′10″… and that’s all — done.");
    expect(body).toContain("The “first” chapter");
    expect(code).toContain(`echo "it's" -- ...\n`);
    expect(code).toContain(`grep "it's" --count`);
    expect(epub.metadata("dc:title")).toEqual(["Don’t panic"]);
    const navLabels = findAll(epub.nav, (node) => node.name === "a").map(textOf);
    expect(navLabels).toContain("The “first” chapter");
  });

  it("keeps the source's characters with smartTypography: false", async () => {
    const epub = await epubOf("english", false);
    const { body } = chapterText(epub);
    expect(body).toContain(`"My dear Mr. Bennet," said his lady -- "have you heard?" It's 5'10"... and that's all --- done.`);
    expect(body).not.toMatch(/[“”‘’–—…]/);
    expect(epub.metadata("dc:title")).toEqual(["Don't panic"]);
  });

  it("French: guillemets with a narrow no-break space", async () => {
    const { body } = chapterText(await epubOf("french", true));
    expect(body).toContain("qu’il n’y a «\u202Fpoint d’effet sans cause\u202F».");
  });
});

describe("PDF text layer", () => {
  it("has the curled marks, and code as typed", async () => {
    const text = await pdfText("english", true);
    expect(text).toContain("“My dear Mr. Bennet,” said his lady – “have you heard?” It’s 5′10″… and that’s all — done.");
    expect(text).toContain("The “first” chapter");
    expect(text).toContain(`echo "it's" -- ...`);
    expect(text).toContain(`grep "it's" --count`);
  });

  it("keeps straight quotes with smartTypography: false", async () => {
    const text = await pdfText("english", false);
    expect(text).toContain(`"My dear Mr. Bennet," said his lady -- "have you heard?"`);
    expect(text).not.toMatch(/[“”‘’–—…]/);
  });

  it("French guillemets keep their narrow no-break spaces in the copied text", async () => {
    const text = await pdfText("french", true);
    expect(text).toMatch(/qu’il n’y a «[\u202F\u00A0 ]point d’effet sans cause[\u202F\u00A0 ]»/);
  });
});

describe("--no-smart", () => {
  it("is smartTypography: false for the build; without it the option is absent (smart by default)", () => {
    expect(parseCommandLine(["build", "doc.md", "--no-smart"])).toMatchObject({ smartTypography: false });
    expect(parseCommandLine(["build", "doc.md"])).not.toHaveProperty("smartTypography");
  });
});
