import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { loadLexicon, parsePlsLexicon } from "../../src/document/speech/lexicon.js";

describe("pronunciations in front matter", () => {
  it("are read into metadata and win over a lexicon file next to the document", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    await writeFile(join(folder, "lexicon.json"), JSON.stringify({ Hol: "Hole", SDF: "S D F" }));
    const document = parseSource("---\npronunciations:\n  Hol: Hohl\n  al-Sharaa: al Sha-rah\n---\n\nText about al-Hol.\n", join(folder, "story.md"), "markdown");
    expect(document.metadata.pronunciations).toEqual({ Hol: "Hohl", "al-Sharaa": "al Sha-rah" });
    const { lexicon, file } = await loadLexicon(document);
    expect(file).toBe(join(folder, "lexicon.json"));
    expect(Object.fromEntries(lexicon)).toEqual({ Hol: "Hohl", SDF: "S D F", "al-Sharaa": "al Sha-rah" });
  });

  it("without a file, the front matter alone is the lexicon", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    const document = parseSource("---\nlexicon: { IPT: I P T }\n---\n\nThe IPT said so.\n", join(folder, "story.md"), "markdown");
    expect(Object.fromEntries((await loadLexicon(document)).lexicon)).toEqual({ IPT: "I P T" });
  });

  it("a pronunciations value that is not a mapping of text is a one-line error with the line", () => {
    expect(() => parseSource("---\ntitle: T\npronunciations: [Hol]\n---\n\nText.\n", "/tmp/x.md", "markdown")).toThrow(
      /Expected `pronunciations` in front matter to map words to how they are said, got `\["Hol"\]` \(list\)/,
    );
    expect(() => parseSource("---\npronunciations:\n  Hol: [a, b]\n---\n\nText.\n", "/tmp/x.md", "markdown")).toThrow(/pronunciation of `Hol` to be text/);
  });
});

describe("PLS lexicons are parsed as XML", () => {
  it("decodes entities and CDATA, takes aliases, skips phoneme-only lexemes", () => {
    const lexicon = parsePlsLexicon(`<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>AT&amp;T</grapheme><alias>A T and T</alias></lexeme>
  <lexeme><grapheme>Hol</grapheme><grapheme>HOL</grapheme><alias><![CDATA[Hole]]></alias></lexeme>
  <lexeme><grapheme>SDF</grapheme><phoneme>ɛs di ɛf</phoneme></lexeme>
</lexicon>`);
    expect([...lexicon]).toEqual([
      ["AT&T", "A T and T"],
      ["Hol", "Hole"],
      ["HOL", "Hole"],
    ]);
  });

  it("malformed XML throws", () => {
    expect(() => parsePlsLexicon("<lexicon><lexeme><grapheme>x</lexeme>")).toThrow();
  });
});
