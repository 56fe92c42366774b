import { execFileSync } from "node:child_process";
import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { LecternError } from "../../src/messages.js";
import { build } from "../../src/pipeline.js";
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

describe("a lexicon file that does not parse is an error against the lexicon, with its line and column", () => {
  async function loadFailure(name: string, text: string): Promise<LecternError> {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    await writeFile(join(folder, name), text);
    const failure = await loadLexicon({ path: join(folder, "story.md"), directory: folder }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LecternError);
    return failure as LecternError;
  }

  it("JSON: the lexicon file, the line and column of the error", async () => {
    const error = await loadFailure("story.lexicon.json", '{\n  "Hol": "Hole",\n  "SDF" "S D F"\n}\n');
    expect(error.code).toBe("CONFIG");
    expect(error.file).toMatch(/story\.lexicon\.json$/);
    expect(error.line).toBe(3);
    expect(error.message).toBe('the pronunciation lexicon is not valid JSON: unexpected `"` (column 9)');
    expect(error.format()).not.toContain("\n");
  });

  it("JSON cut short: the line of the end", async () => {
    const error = await loadFailure("lexicon.json", '{\n  "Hol": "Hole"\n');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/ends before the JSON does/);
  });

  it("JSON with a byte order mark reads", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    await writeFile(join(folder, "lexicon.json"), '\uFEFF{"Hol": "Hole"}');
    expect(Object.fromEntries((await loadLexicon({ path: join(folder, "story.md"), directory: folder })).lexicon)).toEqual({ Hol: "Hole" });
  });

  it("PLS: the lexicon file, the line and column of the XML error", async () => {
    const error = await loadFailure("story.pls", '<?xml version="1.0"?>\n<lexicon>\n  <lexeme><grapheme>x</lexeme>\n</lexicon>\n');
    expect(error.file).toMatch(/story\.pls$/);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^the pronunciation lexicon is not valid XML: .*\(column \d+\)$/);
  });

  it("through a build: the audio stage fails naming the lexicon file and line, not the document", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    await writeFile(join(folder, "story.md"), "Words to be read aloud.\n");
    await writeFile(join(folder, "lexicon.json"), '{"Hol": "Hole",}');
    const result = await build(join(folder, "story.md"), { outDir: join(folder, "out"), formats: ["audio"], cacheDir: false });
    const error = String((result.manifest.stages as Record<string, { error?: unknown }>).audio?.error);
    expect(error).toMatch(/lexicon\.json:1: the pronunciation lexicon is not valid JSON: unexpected `\}` \(column 16\)/);
    expect(error).not.toMatch(/story\.md/);
  });
});

describe("a lexicon found beside the document is untrusted", () => {
  const refusal = (folder: string) =>
    loadLexicon({ path: join(folder, "story.md"), directory: folder }).then(
      () => undefined,
      (error: unknown) => error,
    );

  it("a FIFO named lexicon.json is refused at once, not waited on for ever", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    execFileSync("mkfifo", [join(folder, "lexicon.json")]);
    const failure = await refusal(folder);
    expect(failure).toBeInstanceOf(LecternError);
    expect((failure as LecternError).format()).toMatch(/lexicon\.json: the pronunciation lexicon cannot be used: it is not a regular file/);
  });

  it("a link to a file elsewhere is not followed (its contents never reach a message)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-lexicon-"));
    const elsewhere = await mkdtemp(join(tmpdir(), "lectern-elsewhere-"));
    await writeFile(join(elsewhere, "secret"), "root:x:0:0:secret");
    await symlink(join(elsewhere, "secret"), join(folder, "lexicon.json"));
    const failure = await refusal(folder);
    expect((failure as LecternError).format()).toMatch(/it is a symbolic link/);
    expect((failure as LecternError).format()).not.toMatch(/root|secret/);
  });
});
