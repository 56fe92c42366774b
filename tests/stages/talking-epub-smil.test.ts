// The SMIL writer on small trees: what it drops and why, and the stage writing its file.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Root } from "hast";
import { afterAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { element, text } from "../../src/stages/epub/hast-builders.js";
import { mediaOverlay, type PlacedClip } from "../../src/stages/talking-epub/smil.js";
import { talkingEpubStageFrom } from "../../src/stages/talking-epub/index.js";
import { fakeContext, findAll, localName, openEpubBytes, parseXml } from "../helpers/epub.js";
import { handMadeAudio, handMadeSentences } from "./talking-epub-input.js";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

function body(): Root {
  return {
    type: "root",
    children: [
      element("main", {}, [
        element("section", { id: "section-1" }, [
          element("h2", {}, [element("span", { id: "a-s1" }, [text("Title")])]),
          element("p", {}, [element("span", { id: "a-s2" }, [text("One.")]), text(" "), element("span", { id: "a-s3" }, [text("Two.")])]),
          element("ul", {}, [element("li", {}, [element("span", { id: "a-s4" }, [text("Item.")])])]),
        ]),
      ]),
    ],
  };
}

const clip = (beginMs: number, endMs: number): PlacedClip => ({ audio: "audio/01-a.mp3", beginMs, endMs });

describe("mediaOverlay", () => {
  it("writes a par per clip in DOM order, nests the list, and sums the clips", () => {
    const tree = body();
    const overlay = mediaOverlay({
      file: "01-a.xhtml",
      containerId: "section-1",
      containerType: "chapter",
      body: tree,
      clips: new Map([
        ["a-s1", clip(0, 400)],
        ["a-s2", clip(400, 1000)],
        ["a-s3", clip(1000, 1500)],
        ["a-s4", clip(1600, 59_999)],
      ]),
    });
    expect(overlay.units).toEqual(["a-s1", "a-s2", "a-s3", "a-s4"]);
    expect(overlay.durationMs).toBe(400 + 600 + 500 + 58_399);
    const smil = parseXml(overlay.smil);
    const seqs = findAll(smil, (node) => localName(node) === "seq").map((seq) => [seq.attributes["epub:type"], seq.attributes["epub:textref"]]);
    expect(seqs).toEqual([
      ["chapter", "01-a.xhtml#section-1"],
      ["list", "01-a.xhtml#section-1-list-1"],
      ["list-item", "01-a.xhtml#section-1-list-item-1"],
    ]);
    // The ids the SMIL names were given to the list and its item.
    const ids: string[] = [];
    const collect = (node: Root["children"][number]): void => {
      if (node.type !== "element") return;
      if (typeof node.properties.id === "string") ids.push(node.properties.id);
      node.children.forEach(collect);
    };
    tree.children.forEach(collect);
    expect(ids).toContain("section-1-list-1");
    expect(ids).toContain("section-1-list-item-1");
    const last = findAll(smil, (node) => localName(node) === "audio").at(-1)!;
    expect([last.attributes.clipBegin, last.attributes.clipEnd]).toEqual(["0:00:01.600", "0:00:59.999"]);
  });

  it("never writes a zero-length clip, nor one that starts before the previous one ends", () => {
    const overlay = mediaOverlay({
      file: "01-a.xhtml",
      containerId: "section-1",
      body: body(),
      clips: new Map([
        ["a-s1", clip(0, 400)],
        ["a-s2", clip(400, 400)],
        ["a-s3", clip(300, 900)],
        ["a-s4", clip(900, 1200)],
      ]),
    });
    expect(overlay.units).toEqual(["a-s1", "a-s4"]);
    expect(overlay.outOfOrder).toEqual(["a-s3"]);
    expect(overlay.durationMs).toBe(700);
    expect(overlay.smil).not.toMatch(/clipBegin="0:00:00.400" clipEnd="0:00:00.400"/);
  });

  it("names no unit outside its container", () => {
    const overlay = mediaOverlay({ file: "01-a.xhtml", containerId: "elsewhere", body: body(), clips: new Map([["a-s1", clip(0, 400)]]) });
    expect(overlay.units).toEqual([]);
  });
});

describe("the talking EPUB stage", () => {
  it("writes <slug>.talking.epub from the audio it needs, named in its manifest entry", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-talking-stage-"));
    folders.push(outDir);
    const { document } = await readDocument(join(import.meta.dirname, "../../content/al-hol-emptied.md"));
    const sentenced = handMadeSentences(document);
    const audio = await handMadeAudio(outDir, sentenced);
    const stage = talkingEpubStageFrom(() => sentenced);
    expect(stage.needs).toEqual(["audio"]);
    const context = fakeContext(outDir);
    const result = await stage.write(document, context, { audio });
    expect(result.manifest.path).toBe(`${document.slug}.talking.epub`);
    expect(result.files).toEqual([join(outDir, `${document.slug}.talking.epub`)]);
    expect(result.manifest.narration?.overlays).toBeGreaterThan(0);
    const epub = openEpubBytes(new Uint8Array(await readFile(result.files[0]!)));
    expect(epub.manifest.filter((item) => item.mediaType === "audio/mpeg").length).toBe(audio.tracks.length);
  }, 60_000);

  it("warns about a variable-bitrate MP3 (Media Overlays: VBR SHOULD NOT be used), not about the CBR ones", async () => {
    const { document } = await readDocument(join(import.meta.dirname, "../../content/al-hol-emptied.md"));
    const sentenced = handMadeSentences(document);
    for (const variable of [false, true]) {
      const outDir = await mkdtemp(join(tmpdir(), "lectern-talking-vbr-"));
      folders.push(outDir);
      const audio = await handMadeAudio(outDir, sentenced, new Set(), variable);
      const context = fakeContext(outDir);
      await talkingEpubStageFrom(() => sentenced).write(document, context, { audio });
      expect(context.messages.some((message) => message.rule === "talking-audio-vbr")).toBe(variable);
    }
  }, 120_000);

  it("refuses an audio track that is not an MP3 of the audio folder, in one line", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "lectern-talking-stage-"));
    folders.push(outDir);
    const { document } = await readDocument(join(import.meta.dirname, "../../content/al-hol-emptied.md"));
    const sentenced = handMadeSentences(document);
    const audio = await handMadeAudio(outDir, sentenced);
    const stage = talkingEpubStageFrom(() => sentenced);
    const escaping = { ...audio, tracks: [{ ...audio.tracks[0]!, path: "../../etc/passwd" }] };
    await expect(stage.write(document, fakeContext(outDir), { audio: escaping })).rejects.toMatchObject({
      name: "LecternError",
      code: "STAGE",
      message: expect.stringMatching(/^talking EPUB: .* is not an MP3 of the audio folder$/),
    });
    const short = { ...audio, tracks: [{ ...audio.tracks[0]!, durationMs: audio.tracks[0]!.durationMs + 5_000 }] };
    await expect(stage.write(document, fakeContext(outDir), { audio: short })).rejects.toThrow(/holds \d+ ms of audio, its timings \d+ ms/);
  }, 60_000);
});
