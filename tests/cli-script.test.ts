// `lectern script`: the text the engine is given, printed without synthesizing anything.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../src/cli.js";

const root = new URL("..", import.meta.url).pathname;
const tsx = join(root, "node_modules/.bin/tsx");
const nvm = "tests/fixtures/speech/nvm-excerpt.md";
const french = "tests/fixtures/speech/installer.md";

function lectern(args: string[], cwd = root) {
  const result = spawnSync(tsx, [join(root, "src/cli.ts"), ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("lectern script", () => {
  it("prints each section's utterances as the engine gets them, and writes nothing", async () => {
    const folder = await mkdtemp(join(tmpdir(), "lectern-script-"));
    try {
      const { code, stdout, stderr } = lectern(["script", join(root, nvm)], folder);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const lines = stdout.split("\n");
      expect(lines[0]).toBe("# nvm, an excerpt: the text espeak (voice gmw/en-US) is given, in en-US; [tag] marks a change of language");
      expect(lines).toContain("## 01-installing-and-updating: Installing and Updating");
      expect(lines).toContain("## 02-usage: Usage");
      // Normalised and read as written: inline code spoken, the short command read, the long block announced.
      expect(stdout).toContain("to the correct profile file (tilde slash dot bashrc, tilde slash dot bash underscore profile, tilde slash dot zshrc, or tilde slash dot profile).");
      expect(lines).toContain("A shell example, one line.");
      expect(lines).toContain(
        "curl dash o dash https colon slash slash raw dot githubusercontent dot com slash nvm sh slash nvm slash v 0 dot 40 dot 6 slash install dot sh bar bash",
      );
      expect(lines).toContain("A shell example, two lines.");
      expect(stdout).toContain("(for example, nvm alias default).");
      expect(stdout).not.toMatch(/\bcode\b|`/);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("follows --read-code, and marks a change of language", () => {
    const none = lectern(["script", nvm, "--read-code", "none"]);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain("curl");
    // Polish has no catalogue of Lectern's words: code and announcements go to the English voice, marked.
    const polish = lectern(["script", french, "--lang", "pl"]);
    expect(polish.code).toBe(0);
    expect(polish.stdout).toContain("[en] tilde slash dot bashrc [pl]");
    expect(polish.stdout).toContain("[en] A shell example, one line.");
  });

  it("says nothing in English in a French document", () => {
    const { code, stdout } = lectern(["script", french]);
    expect(code).toBe(0);
    expect(stdout).toContain("tilde barre oblique point bashrc");
    expect(stdout).toContain("Un exemple de code shell, 1 ligne.");
    const spoken = stdout.split("\n").slice(1).join("\n");
    expect(spoken).not.toMatch(/\[en\]|\b(?:one|two|three|twenty|hundred|dot|slash|dash|example|line|percent|euros?|kilo\w*|mega\w*)\b/i);
  });

  it("refuses a folder and a bad --read-code in one line", () => {
    const folder = lectern(["script", "tests/fixtures/speech"]);
    expect(folder.code).toBe(65);
    expect(folder.stderr.trim().split("\n")).toHaveLength(1);
    expect(folder.stderr).toMatch(/is a folder, not a document/);
    expect(() => parseCommandLine(["script", "a.md", "--read-code", "some"])).toThrow(/Expected `--read-code` to be one of all, short, none, got `some`/);
    expect(() => parseCommandLine(["script"])).toThrow(/missing the document to read/);
  });

  it("is in the help", () => {
    const help = lectern(["--help"]).stdout;
    expect(help).toMatch(/lectern script <file> \[options\]/);
    expect(help).toMatch(/--read-code <which>/);
  });

  it("parses --read-code for build and script", () => {
    expect(parseCommandLine(["build", "a.md", "--read-code", "all"])).toMatchObject({ command: "build", readCode: "all" });
    expect(parseCommandLine(["script", "a.md"])).toMatchObject({ command: "script", input: "a.md" });
    expect(parseCommandLine(["script", "a.md"])).not.toHaveProperty("readCode");
  });
});
