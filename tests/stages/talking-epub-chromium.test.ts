// Playback smoke test in headless Chromium: a chapter of the talking EPUB, its SMIL and its
// MP3 served from 127.0.0.1, with a small SMIL-driven highlighter (the job a reading system
// does) injected by the test. The audio's clock is set to clip midpoints, not played in real
// time, and the element carrying the active class must be the unit of that clip.
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDocument } from "../../src/document/read.js";
import { renderTalkingEpub } from "../../src/stages/talking-epub/index.js";
import { chromiumAvailable, chromiumPath, launchChromium } from "../helpers/chromium.js";
import { parseXml, findAll, localName } from "../helpers/epub.js";
import { handMadeAudio, handMadeSentences } from "./talking-epub-input.js";

if (!chromiumAvailable) console.info(`Chromium playback test skipped: no browser at ${chromiumPath} (apt-get install chromium)`);

// `.ci/run` sets this after installing Debian's chromium: in CI a missing browser is a failure, not a skip.
describe.runIf(process.env.LECTERN_REQUIRE_CHROMIUM === "1" && !chromiumAvailable)("Chromium (required here)", () => {
  it("is installed", () => {
    expect.fail(`LECTERN_REQUIRE_CHROMIUM=1 but there is no browser at ${chromiumPath}`);
  });
});

const types: Record<string, string> = {
  ".xhtml": "application/xhtml+xml",
  ".smil": "application/smil+xml",
  ".mp3": "audio/mpeg",
  ".css": "text/css",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * The highlighter: reads the SMIL, and on every `seeked`/`timeupdate` of one `<audio>` puts
 * the active class on the element of the clip holding `currentTime` (EPUB 3.3 Media Overlays
 * §4 rendering, reduced to one audio file).
 */
const highlighter = `
window.startHighlighter = async (smilHref, activeClass) => {
  const smil = new DOMParser().parseFromString(await (await fetch(smilHref)).text(), "application/xml");
  const clock = (value) => { const [h, m, s] = value.split(":"); return (Number(h) * 60 + Number(m)) * 60 + Number(s); };
  const base = new URL(smilHref, location.href);
  const pars = [...smil.getElementsByTagNameNS("http://www.w3.org/ns/SMIL", "par")].map((par) => {
    const text = par.getElementsByTagNameNS("http://www.w3.org/ns/SMIL", "text")[0];
    const audio = par.getElementsByTagNameNS("http://www.w3.org/ns/SMIL", "audio")[0];
    return { id: text.getAttribute("src").split("#")[1], audio: new URL(audio.getAttribute("src"), base).href, begin: clock(audio.getAttribute("clipBegin")), end: clock(audio.getAttribute("clipEnd")) };
  });
  const player = document.createElementNS("http://www.w3.org/1999/xhtml", "audio");
  player.preload = "auto";
  player.src = pars[0].audio;
  document.body.append(player);
  const sync = () => {
    const now = player.currentTime;
    const current = pars.find((par) => par.audio === player.currentSrc && now >= par.begin && now < par.end);
    for (const element of document.querySelectorAll("." + activeClass)) if (element.id !== current?.id) element.classList.remove(activeClass);
    if (current) document.getElementById(current.id)?.classList.add(activeClass);
  };
  player.addEventListener("seeked", sync);
  player.addEventListener("timeupdate", sync);
  await new Promise((resolve, reject) => { player.addEventListener("loadedmetadata", resolve, { once: true }); player.addEventListener("error", () => reject(new Error("audio error " + player.error?.code)), { once: true }); });
  window.lecternPlayer = player;
  return pars;
};
window.seekTo = (seconds) => new Promise((resolve) => {
  window.lecternPlayer.addEventListener("seeked", () => resolve(window.lecternPlayer.currentTime), { once: true });
  window.lecternPlayer.currentTime = seconds;
});
`;

describe.skipIf(!chromiumAvailable)("the talking EPUB in headless Chromium", () => {
  let folder: string;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let chapter: string;
  let smil: string;
  let activeClass: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "lectern-talking-chromium-"));
    const { document } = await readDocument(join(import.meta.dirname, "../fixtures/every-construct/document.md"));
    const sentenced = handMadeSentences(document);
    const audio = await handMadeAudio(folder, sentenced);
    const { bytes } = await renderTalkingEpub(document, sentenced, audio, {
      now: new Date("2026-02-02T00:00:00Z"),
      report: () => {},
      readAudio: async (path) => new Uint8Array(await readFile(join(folder, path))),
    });
    const files = unzipSync(bytes);
    const opf = parseXml(new TextDecoder().decode(files["OEBPS/content.opf"]!));
    activeClass = findAll(opf, (node) => localName(node) === "meta" && node.attributes.property === "media:active-class")[0]!.text;
    // The chapter with a table: its overlay nests seqs, and its clips are many.
    chapter = "03-tables-and-quotes.xhtml";
    smil = "03-tables-and-quotes.smil";
    server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname)).replace(/^\/+/, "");
      const data = files[`OEBPS/${path}`];
      if (!data) return void response.writeHead(404).end();
      const type = types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream";
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
      if (range) {
        // Media elements seek by byte ranges.
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
        response.writeHead(206, { "content-type": type, "content-range": `bytes ${start}-${end}/${data.length}`, "accept-ranges": "bytes", "content-length": end - start + 1 });
        return void response.end(data.subarray(start, end + 1));
      }
      response.writeHead(200, { "content-type": type, "accept-ranges": "bytes", "content-length": data.length }).end(data);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it("moves the active class to the unit whose clip holds the audio's current time", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/${chapter}`);
      await page.addScriptTag({ content: highlighter });
      const pars = await page.evaluate(
        ([href, name]) => (window as unknown as { startHighlighter(h: string, c: string): Promise<{ id: string; begin: number; end: number }[]> }).startHighlighter(href!, name!),
        [smil, activeClass],
      );
      expect(pars.length).toBeGreaterThan(5);
      // First, last, and some in between, out of order: the highlight follows the clock, not a sequence.
      const picks = [0, pars.length - 1, Math.floor(pars.length / 2), 1, Math.floor(pars.length / 3)];
      for (const index of picks) {
        const par = pars[index]!;
        await page.evaluate((seconds) => (window as unknown as { seekTo(s: number): Promise<number> }).seekTo(seconds), (par.begin + par.end) / 2);
        const active = await page.evaluate((name) => [...document.querySelectorAll(`.${name}`)].map((element) => element.id), activeClass);
        expect(active, `clip ${index} (${par.begin}–${par.end} s)`).toEqual([par.id]);
      }
      // Between two clips (the gap before the second), nothing is highlighted.
      await page.evaluate((seconds) => (window as unknown as { seekTo(s: number): Promise<number> }).seekTo(seconds), (pars[0]!.end + pars[1]!.begin) / 2);
      expect(await page.evaluate((name) => document.querySelectorAll(`.${name}`).length, activeClass)).toBe(0);
      // The rule the style sheet gives the class applies (CSS-030's reason to exist).
      const highlighted = await page.evaluate(
        ([id, name]) => {
          const element = document.getElementById(id!)!;
          element.classList.add(name!);
          return getComputedStyle(element).backgroundColor;
        },
        [pars[0]!.id, activeClass],
      );
      expect(highlighted).not.toBe("rgba(0, 0, 0, 0)");
      // In forced colours (Windows high contrast) the highlight is the system's own Highlight.
      await page.emulateMedia({ forcedColors: "active" });
      const [forced, system] = await page.evaluate((id) => {
        const probe = document.createElementNS("http://www.w3.org/1999/xhtml", "span") as HTMLElement;
        probe.style.backgroundColor = "Highlight";
        probe.style.setProperty("forced-color-adjust", "none");
        document.body.append(probe);
        return [getComputedStyle(document.getElementById(id)!).backgroundColor, getComputedStyle(probe).backgroundColor];
      }, pars[0]!.id);
      expect(forced).toBe(system);
    } finally {
      await page.close();
    }
  }, 60_000);
});
