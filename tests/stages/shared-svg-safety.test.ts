// SVG images are made inert before a book carries them: a battery of real attack payloads
// (script in every disguise, handlers, animation rewriting links, remote references in
// attributes and CSS, foreign content, DTD entities), and random SVG built from them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderEpub } from "../../src/stages/epub/index.js";
import { coverSvg } from "../../src/stages/epub/front-matter-pages.js";
import { serializeSvg } from "../../src/stages/epub/xhtml.js";
import { cssIsInert, sanitizeSvg, type SvgSafety } from "../../src/stages/shared/svg-safety.js";
import { findAll, localName, parseXml } from "../helpers/epub.js";

const svg = (body: string, attributes = "") =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"${attributes}>${body}<rect id="keep" width="10" height="10" fill="#888"/></svg>`;

/** Each payload would run script, load another file, or read one, if it reached a reader. */
const payloads: Record<string, string> = {
  "plain script": svg("<script>alert(1)</script>"),
  "script behind a prefix bound to the SVG namespace": svg('<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>'),
  "prefixed root and prefixed script": `<x:svg xmlns:x="http://www.w3.org/2000/svg"><x:script>alert(1)</x:script><x:rect id="keep" width="1" height="1"/></x:svg>`,
  "script with an XHTML namespace": svg('<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>'),
  "upper-case names and handlers": svg('<SCRIPT>alert(1)</SCRIPT><rect ONCLICK="alert(1)" onLoad="alert(1)" width="1" height="1"/>'),
  "handler on the root": svg("", ' onload="alert(1)"'),
  "XML Events handler element": svg('<handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load" type="application/ecmascript">alert(1)</handler>'),
  "set rewriting a link to javascript:": svg('<a xlink:href="#keep"><set attributeName="xlink:href" to="javascript:alert(1)"/><text>click</text></a>'),
  "animate targeting href": svg('<a href="#keep"><animate attributeName="href" values="javascript:alert(1)" begin="0s"/><text>x</text></a>'),
  "animate targeting an event attribute": svg('<rect width="1" height="1"><animate attributeName="onclick" to="alert(1)"/></rect>'),
  "javascript: link with entities and whitespace": svg('<a xlink:href=" &#x6A;ava&#x09;script&#58;alert(1)"><text>x</text></a>'),
  "SVG 2 href with a javascript: URL": svg('<a href="&#10;javascript:alert(1)"><text>x</text></a>'),
  "@import in a style sheet": svg("<style>@import url(http://evil.example/x.css); rect { fill: red }</style>"),
  "@import written with CSS escapes": svg("<style>@\\69mport 'http://evil.example/x.css';</style>"),
  "remote url() inside CDATA in a style sheet": svg("<style><![CDATA[ rect { fill: url(http://evil.example/p.png) } ]]></style>"),
  "url written with CSS escapes and a comment": svg("<style>rect { fill: u\\72l(/**/http://evil.example/p.png) }</style>"),
  "remote url() in a style attribute": svg('<rect style="fill: url(//evil.example/x.png)" width="1" height="1"/>'),
  "remote url() in a presentation attribute": svg('<rect fill="url(http://evil.example/p.svg#g)" width="1" height="1"/>'),
  "image-set() in a style attribute": svg('<rect style="fill: -webkit-image-set(\'http://evil.example/a.png\' 1x)" width="1" height="1"/>'),
  "remote image by xlink:href": svg('<image xlink:href="http://evil.example/pixel.png" width="1" height="1"/>'),
  "local file by href": svg('<image href="file:///etc/passwd" width="1" height="1"/>'),
  "use of another file's symbol": svg('<use xlink:href="evil.svg#icon"/>'),
  "xlink prefix renamed": svg('<image e:href="http://evil.example/p.png" xmlns:e="http://www.w3.org/1999/xlink" width="1" height="1"/>'),
  "feImage loading a remote picture": svg('<filter id="f"><feImage href="https://evil.example/p.png"/></filter>'),
  "nested SVG document as a data: URL": svg('<image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" width="1" height="1"/>'),
  "foreignObject with an iframe": svg('<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"></iframe></foreignObject>'),
  "xml-stylesheet instruction": `<?xml-stylesheet href="http://evil.example/x.css"?>${svg("")}`,
  "xml:base pointing away": svg('<g xml:base="http://evil.example/"><use xlink:href="#keep"/></g>'),
  "DOCTYPE with an unused entity": `<!DOCTYPE svg [<!ENTITY evil "alert(1)">]>${svg("")}`,
};

/** Refused outright: entities are never expanded, so a reference to one cannot be read. */
const refused: Record<string, string> = {
  "script in a DTD entity": `<!DOCTYPE svg [<!ENTITY s "<script>alert(1)</script>">]><svg xmlns="http://www.w3.org/2000/svg">&s;</svg>`,
  "external entity reading a local file (XXE)": `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>`,
  "billion laughs": `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol3;</text></svg>`,
  "not well-formed": `<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`,
  "not SVG at all": `<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`,
  "svg without the SVG namespace": `<svg><script>alert(1)</script></svg>`,
  "nesting deeper than the stack": `<svg xmlns="http://www.w3.org/2000/svg">${"<g>".repeat(100_000)}${"</g>".repeat(100_000)}</svg>`,
};

/** A drawing that needs nothing removed: fragment references, styles, text, an embedded PNG. */
const harmless = svg(
  '<defs><linearGradient id="g"><stop offset="0" stop-color="#888"/></linearGradient></defs>' +
    '<style>rect > .x { fill: url(#g) }</style><rect fill="url(#g)" style="stroke: url( \'#g\' )" width="5" height="5"/>' +
    '<text x="1" y="9" xml:lang="fr">Éléphant &amp; ]]&gt;</text><use xlink:href="#keep"/>' +
    '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
);

const forbiddenElements = new Set(["script", "handler", "foreignObject", "iframe", "set", "animate", "animateTransform", "animateMotion", "a"]);

/** What the packaged bytes must be: well-formed XML with nothing that runs or loads. */
function expectInert(output: string): void {
  const tree = parseXml(output);
  expect(tree.name).toBe("svg");
  expect(tree.namespace).toBe("http://www.w3.org/2000/svg");
  for (const node of findAll(tree, () => true)) {
    expect(forbiddenElements.has(localName(node)), node.name).toBe(false);
    expect(node.namespace).toBe("http://www.w3.org/2000/svg");
    for (const [name, value] of Object.entries(node.attributes)) {
      expect(name, name).not.toMatch(/^on/i);
      if (localName({ name, namespace: "", attributes: {}, children: [], text: "" }) === "href") expect(value).toMatch(/^#|^data:image\/png;base64,/);
      expect(name).not.toBe("xml:base");
    }
  }
  expect(output).not.toMatch(/evil|javascript|alert|passwd|@import|url\((?![\s'"]*#)|<!DOCTYPE|<\?xml-stylesheet/i);
}

describe("sanitizeSvg", () => {
  it.each(Object.entries(payloads))("makes inert: %s", (_, payload) => {
    const result = sanitizeSvg(payload);
    expect(result.kind).toBe("clean");
    const { svg: output, removed } = result as Extract<SvgSafety, { kind: "clean" }>;
    expectInert(output);
    // Something was taken out, and the author is told.
    expect(removed.length).toBeGreaterThan(0);
    // The drawing itself stays.
    expect(findAll(parseXml(output), (node) => node.attributes.id === "keep")).toHaveLength(1);
  });

  it.each(Object.entries(refused))("refuses: %s", (_, payload) => {
    const result = sanitizeSvg(payload);
    expect(result.kind).toBe("refused");
  });

  it("keeps a harmless drawing as it is: gradients by fragment, text, styles, embedded PNG", () => {
    const result = sanitizeSvg(harmless) as Extract<SvgSafety, { kind: "clean" }>;
    expect(result.removed).toEqual([]);
    const tree = parseXml(result.svg);
    expect(tree.text).toContain("Éléphant & ]]>");
    expect(tree.text).toContain("rect > .x { fill: url(#g) }");
    expect(findAll(tree, (node) => node.attributes["xlink:href"] !== undefined).map((node) => node.attributes["xlink:href"])).toEqual([
      "#keep",
      "data:image/png;base64,iVBORw0KGgo=",
    ]);
  });

  it("the generated cover passes unchanged, whatever the title holds", () => {
    const cover = serializeSvg(coverSvg({ title: 'A ]]> <script>alert(1)</script> & "title"', author: "An -- author", language: "en" }));
    const result = sanitizeSvg(cover) as Extract<SvgSafety, { kind: "clean" }>;
    expect(result.kind).toBe("clean");
    expect(result.removed).toEqual([]);
    expect(parseXml(result.svg).text).toContain("<script>");
  });

  it("cssIsInert: fragment references only, escapes decoded", () => {
    expect(cssIsInert("fill: url(#a); stroke: url('#b')")).toBe(true);
    expect(cssIsInert("fill: url(a.png)")).toBe(false);
    expect(cssIsInert("fill: \\75 rl(http://x)")).toBe(false);
    expect(cssIsInert("@IMPORT 'x.css'")).toBe(false);
    expect(cssIsInert("width: expression(alert(1))")).toBe(false);
  });

  it("on random SVG assembled from attack fragments, the output always parses and is inert", () => {
    const fragments = [
      ...Object.values(payloads).map((payload) => payload.replace(/^.*?<svg[^>]*>|<rect id="keep"[^>]*\/><\/svg>$/g, "")),
      "<g>",
      "</g>",
      "<text>a &lt; b ]]&gt;</text>",
      "<![CDATA[ ]]> ]]]]><![CDATA[> ]]>",
      "<!-- -- -->",
      "\u0085\u2028\u202E",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 12 }), fc.string({ maxLength: 20 }), (parts, noise) => {
        const result = sanitizeSvg(svg(parts.join("") + noise.replace(/[<&]/g, "")));
        if (result.kind === "clean") expectInert(result.svg);
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe("hostile SVG in a book", () => {
  it("is packaged cleaned (unzipped and parsed), or left out when it cannot be read, with the image's line", async () => {
    const { mkdtemp, rm, writeFile, mkdir } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { readDocument } = await import("../../src/document/read.js");
    const { epubCheckMessages, openEpubBytes } = await import("../helpers/epub.js");
    const folder = await mkdtemp(join(tmpdir(), "lectern-svg-"));
    try {
      await mkdir(join(folder, "images"));
      // Every payload, in one book: EPUBCheck reads each packaged image too.
      const names = Object.keys(payloads);
      const lines = ["---", "title: Pictures", "---", "", "Some pictures follow.", ""];
      const lineOf: Record<string, number> = {};
      for (const [index, name] of names.entries()) {
        await writeFile(join(folder, "images", `attack-${index}.svg`), payloads[name]!);
        lineOf[`attack-${index}.svg`] = lines.length + 1;
        lines.push(`![Drawing ${index}](images/attack-${index}.svg)`, "");
      }
      await writeFile(join(folder, "images", "harmless.svg"), harmless);
      lines.push("![A harmless drawing](images/harmless.svg)", "");
      await writeFile(join(folder, "images", "xxe.svg"), refused["external entity reading a local file (XXE)"]!);
      lines.push("![The XXE drawing](images/xxe.svg)", "");
      await writeFile(join(folder, "book.md"), lines.join("\n"));
      const { document } = await readDocument(join(folder, "book.md"));
      const warnings: { rule: string; reason: string; line?: number }[] = [];
      const { bytes } = await renderEpub(document, {
        now: new Date("2026-02-02T00:00:00Z"),
        report: (rule, reason, line) => warnings.push({ rule, reason, ...(line ? { line } : {}) }),
      });
      const epub = openEpubBytes(bytes);
      const packaged = epub.manifest.filter((item) => item.mediaType === "image/svg+xml" && !item.properties.includes("cover-image"));
      // A prefixed root (`<x:svg>`) is not recognised as SVG by its bytes (image-files.ts) and is left out as no image.
      const prefixedRoot = `attack-${names.indexOf("prefixed root and prefixed script")}.svg`;
      expect(packaged).toHaveLength(names.length - 1 + 1);
      for (const item of packaged) expectInert(epub.text(item.path));
      const cleaned = warnings.filter((warning) => warning.rule === "image-svg-cleaned");
      expect(cleaned.map((warning) => warning.line)).toEqual(
        Object.entries(lineOf)
          .filter(([name]) => name !== prefixedRoot)
          .map(([, line]) => line),
      );
      expect(warnings.find((warning) => warning.rule === "image-type-unsupported")?.reason).toContain(prefixedRoot);
      expect(warnings.find((warning) => warning.rule === "image-svg-invalid")?.reason).toMatch(/xxe\.svg.*not well-formed XML/);
      const text = [...epub.contentDocuments.values()].map((content) => content.text).join("\n");
      expect(text).toContain("The XXE drawing");
      expect(new TextDecoder().decode(bytes)).not.toContain("root:");
      expect(await epubCheckMessages(bytes)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
