// Code for the ear (issue 14, item 3): inline code and code blocks read as what they say.
// The README sentences are from nvm-sh/nvm's README.md (MIT licence, commit b17550a).
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/document/read.js";
import { scriptText, sectionSpeech, speakCode, type SpeechOptions } from "../../src/document/speech/index.js";

function speech(markdown: string, options: SpeechOptions = {}, language?: string) {
  const source = `${language ? `---\nlang: ${language}\n---\n` : ""}## Section\n\n${markdown}`;
  const document = parseSource(source, "/tmp/code.md", "markdown");
  return sectionSpeech(document, document.sections[0]!, { canVoice: (tag) => ["en", "fr", "de", "es", "it", "pl"].includes(tag.split("-")[0]!), ...options });
}

describe('speakCode: symbols named as a screen reader\'s "some punctuation" level names them', () => {
  it.each([
    ["~/.bashrc", "tilde slash dot bashrc"],
    ["relative_url", "relative underscore url"],
    ["--no-cache", "dash dash no cache"],
    ["npm install", "npm install"],
    ["readDocument", "read Document"],
    ["XMLHttpRequest", "XML Http Request"],
    ["x == y", "x equals equals y"],
    ["$PROFILE", "dollar PROFILE"],
    ["utf8", "utf 8"],
    ["a && b || c", "a and and b bar bar c"],
    ["{ key: [1, 2] }", "left brace key colon left bracket 1 comma 2 right bracket right brace"],
    ["don't", "don't"],
    ["C:\\Users", "C colon backslash Users"],
  ])("en: %j → %j", (code, spoken) => expect(speakCode(code, "en").text).toBe(spoken));

  it.each([
    ["fr", "~/.bashrc", "tilde barre oblique point bashrc"],
    ["fr", "relative_url", "relative souligné url"],
    ["de", "~/.bashrc", "Tilde Schrägstrich Punkt bashrc"],
    ["de", "a = b", "a gleich b"],
    ["es", "~/.bashrc", "tilde barra punto bashrc"],
    ["es", "--no-cache", "guion guion no cache"],
  ])("%s: %j → %j", (language, code, spoken) => expect(speakCode(code, language).text).toBe(spoken));

  it("reads the start of a very long piece of code, then says there is more", () => {
    const { text, shortened } = speakCode("a".repeat(150) + " " + "b".repeat(150), "en");
    expect(shortened).toBe(true);
    expect(text).toMatch(/^a+ b+ and more$/);
    expect(text.length).toBeLessThan(220);
  });
});

describe("inline code in sentences", () => {
  const nvm =
    "The script clones the nvm repository to `~/.nvm`, and attempts to add the source lines from the snippet below to the correct profile file (`~/.bashrc`, `~/.bash_profile`, `~/.zshrc`, or `~/.profile`).";

  it('is read as what it says, never as the word "code" (nvm README)', () => {
    const [, paragraph] = speech(nvm);
    const spoken = paragraph!.segments.map((segment) => segment.text).join(" ");
    expect(spoken).toBe(
      "The script clones the nvm repository to tilde slash dot nvm, and attempts to add the source lines from the snippet below to the correct profile file (tilde slash dot bashrc, tilde slash dot bash underscore profile, tilde slash dot zshrc, or tilde slash dot profile).",
    );
    expect(spoken).not.toMatch(/\bcode\b/);
  });

  it("shows the code as written in the captions", () => {
    const [, paragraph] = speech(nvm);
    expect(paragraph!.caption).toEqual([nvm.replace(/`/g, "")]);
  });

  it("is not normalised as prose: a version in code keeps its digits for the voice", () => {
    const text = scriptText(speech("Run `nvm install 8.0.0` first."));
    expect(text).toContain("Run nvm install 8 dot 0 dot 0 first.");
  });

  it("reads raw HTML <code> and <kbd> as code too", () => {
    const [, paragraph] = speech("Press <kbd>Ctrl</kbd>+<kbd>C</kbd> or run <code>npm --version</code> now.");
    expect(paragraph!.segments[0]!.text).toBe("Press Ctrl + C or run npm dash dash version now.");
    expect(paragraph!.caption).toEqual(["Press Ctrl+C or run npm --version now."]);
  });

  it("applies the lexicon to the code's words", () => {
    const text = scriptText(speech("Run `nvm use`.", { lexicon: new Map([["nvm", "N V M"]]) }));
    expect(text).toContain("Run N V M use.");
  });

  it("is said in the document's language where Lectern names the symbols", () => {
    const [, paragraph] = speech("Ajoutez ces lignes à `~/.bashrc`, puis relancez le terminal.", {}, "fr-FR");
    expect(paragraph!.segments).toEqual([{ text: "Ajoutez ces lignes à tilde barre oblique point bashrc, puis relancez le terminal.", language: "fr-FR" }]);
  });

  it("is said by the English voice, marked English, in a language Lectern has no symbol names for", () => {
    const [, paragraph] = speech("Dodaj te wiersze do `~/.bashrc`, potem uruchom ponownie.", {}, "pl");
    expect(paragraph!.segments).toEqual([
      { text: "Dodaj te wiersze do", language: "pl" },
      { text: "tilde slash dot bashrc", language: "en" },
      { text: ", potem uruchom ponownie.", language: "pl" },
    ]);
    expect(paragraph!.caption).toEqual(["Dodaj te wiersze do ~/.bashrc, potem uruchom ponownie."]);
  });

  it('in a heading ("2. code and code filters" before)', () => {
    const [, heading] = speech("### `include` and `exclude` filters\n\nText.");
    expect(heading!.segments[0]!.text).toBe("include and exclude filters.");
  });
});

describe("code blocks", () => {
  const shell = "```sh\n$ npm install lectern\n$ npx lectern build notes.md\n```";
  const long = "```python\nimport sys\n\nfor line in sys.stdin:\n    print(line.upper())\n```";

  it.each([
    ["```sh\nls\n```", "A shell example, one line."],
    ["```bash\nls\nls\nls\n```", "A shell example, three lines."],
    ["```js\nx()\n```", "A JavaScript example, one line."],
    ["```py\nx()\n```", "A Python example, one line."],
    ["```html\n<p>\n```", "An H T M L example, one line."],
    ["```\nx\ny\n```", "A code example, two lines."],
    ["```made-up-language\nx\n```", "A code example, one line."],
  ])("%j is announced as %j", (block, announcement) => {
    expect(scriptText(speech(block, { readCode: "none" })).split("\n")[1]).toBe(announcement);
  });

  it("reads a short block (a command or two) after its announcement, prompts left out, as one unit", () => {
    const utterances = speech(shell);
    expect(scriptText(utterances).split("\n").slice(1)).toEqual(["A shell example, two lines.", "npm install lectern. npx lectern build notes dot md"]);
    const code = utterances.filter((utterance) => utterance.kind === "code");
    // The block is one unit (src/document/sentences.ts): one utterance with its id; the announcement has none.
    expect(code.map((utterance) => utterance.caption)).toEqual([["npm install lectern. npx lectern build notes.md"]]);
    expect(code.map((utterance) => utterance.line)).toEqual([4]);
    expect(code[0]!.id).toMatch(/-s\d+$/);
    // The announcement opens the block's own unit: the talking book's clip for the block plays it first.
    expect(utterances.find((utterance) => utterance.kind === "announcement")?.id).toBe(code[0]!.id);
  });

  it("announces a longer block without reading it, unless readCode is all", () => {
    expect(scriptText(speech(long)).split("\n").slice(1)).toEqual(["A Python example, four lines."]);
    expect(
      scriptText(speech(long, { readCode: "all" }))
        .split("\n")
        .slice(1),
    ).toEqual(["A Python example, four lines.", "import sys. for line in sys dot stdin colon. print left paren line dot upper left paren right paren right paren"]);
    expect(
      scriptText(speech(shell, { readCode: "none" }))
        .split("\n")
        .slice(1),
    ).toEqual(["A shell example, two lines."]);
  });

  it("reads a line's comment as prose after its code (nvm README), a marker in quotes being no comment", () => {
    const text = scriptText(speech('```sh\nnvm install node # "node" is an alias for the latest version\n```\n\n```sh\necho "# hi"\n```\n\n```js\nrun(); // the 2nd try\n```'));
    expect(text.split("\n").slice(1)).toEqual([
      "A shell example, one line.",
      'nvm install node, "node" is an alias for the latest version',
      "A shell example, one line.",
      "echo double quote hash hi double quote",
      "A JavaScript example, one line.",
      "run left paren right paren semicolon, the second try",
    ]);
    const [, , line] = speech('```sh\nnvm install node # "node" is an alias\n```');
    expect(line!.caption).toEqual(['nvm install node # "node" is an alias']);
  });

  it("is announced in French, German, Spanish, Italian, Portuguese and Dutch documents in their language", () => {
    expect(scriptText(speech(long, {}, "it")).split("\n")[1]).toBe("Un esempio di codice Python, 4 righe.");
    expect(scriptText(speech(long, {}, "pt")).split("\n")[1]).toBe("Um exemplo de código Python, 4 linhas.");
    expect(scriptText(speech(long, {}, "nl")).split("\n")[1]).toBe("Een codevoorbeeld in Python, 4 regels.");
    expect(scriptText(speech(long, {}, "fr")).split("\n")[1]).toBe("Un exemple de code Python, 4 lignes.");
    expect(scriptText(speech(long, {}, "de")).split("\n")[1]).toBe("Ein Codebeispiel in Python, 4 Zeilen.");
    expect(scriptText(speech(long, {}, "es")).split("\n")[1]).toBe("Un ejemplo de código Python, 4 líneas.");
  });

  it("is announced in English, marked English, in other languages", () => {
    const [, announcement] = speech(long, {}, "pl");
    expect(announcement!.segments).toEqual([{ text: "A Python example, four lines.", language: "en" }]);
  });
});
