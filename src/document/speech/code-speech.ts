// Code for the ear: inline code and short code blocks read as what they say, with their symbols
// named the way a screen reader's "some punctuation" level names them, in the document's
// language where Lectern has a catalogue (src/document/words), else in English.
import { count, fill, spokenWordsLanguage, wordsFor, type CodeSymbol, type CodeWords } from "../words/index.js";

/** How code blocks are read: `all` every block, `short` a command or two (default), `none` announced only. */
export type ReadCode = "all" | "short" | "none";

export const readCodeChoices: readonly ReadCode[] = ["all", "short", "none"];

/**
 * A block is "short" — a command or two, read out under `short` — at up to 2 lines and 80
 * characters: one terminal line's width, as much as a listener can hold and type back
 * (`curl -o- https://… | bash` is about 80). Longer blocks are programs: read, they are minutes
 * of symbols nobody can follow by ear.
 */
export const shortCodeBlock = { lines: 2, characters: 80 } as const;

/** Longest code read out in full (characters); past it the start is read, then "and more". */
export const maxSpokenCodeLength = 200;

/** A code block's language as spoken: its name, and for English the article before it ("an HTML example"). */
export interface CodeLanguage {
  readonly name: string;
  readonly an?: true;
}

/**
 * The language code is said in, and its symbol names: the document's own where Lectern has a
 * catalogue for it (src/document/words), else English, said by the English voice.
 */
export function codeVocabularyLanguage(language: string, canVoice: (language: string) => boolean): string {
  return spokenWordsLanguage(language, canVoice);
}

function vocabularyOf(language: string): CodeWords {
  return wordsFor(language).words.code;
}

/**
 * Fence info strings (the first word, lower-cased) → the language's spoken name. Common aliases
 * as GitHub's Linguist and highlight.js name them.
 */
const codeLanguages: Readonly<Record<string, CodeLanguage>> = (() => {
  const table: Record<string, CodeLanguage> = {};
  const add = (names: string, language: CodeLanguage) => {
    for (const name of names.split(" ")) table[name] = language;
  };
  add("sh bash shell zsh console shell-session shellsession fish ksh", { name: "shell" });
  add("powershell ps1 pwsh", { name: "PowerShell" });
  add("bat cmd batch", { name: "Windows batch" });
  add("js javascript mjs cjs node jsx", { name: "JavaScript" });
  add("ts typescript tsx mts cts", { name: "TypeScript" });
  add("py python python3 py3", { name: "Python" });
  add("rb ruby", { name: "Ruby" });
  add("go golang", { name: "Go" });
  add("rs rust", { name: "Rust" });
  add("java", { name: "Java" });
  add("kt kotlin", { name: "Kotlin" });
  add("swift", { name: "Swift" });
  add("c h", { name: "C" });
  add("cpp c++ cc cxx hpp", { name: "C++" });
  add("cs csharp c#", { name: "C sharp" });
  add("php", { name: "PHP" });
  add("html xhtml htm", { name: "HTML", an: true });
  add("xml svg", { name: "XML", an: true });
  add("css scss sass less", { name: "CSS" });
  add("json jsonc json5", { name: "JSON" });
  add("yaml yml", { name: "YAML" });
  add("toml", { name: "TOML" });
  add("ini", { name: "INI", an: true });
  add("sql", { name: "SQL", an: true });
  add("md markdown", { name: "Markdown" });
  add("diff patch", { name: "diff" });
  add("dockerfile docker", { name: "Dockerfile" });
  add("makefile make", { name: "Makefile" });
  add("lua", { name: "Lua" });
  add("r", { name: "R", an: true });
  add("perl pl", { name: "Perl" });
  add("elixir ex exs", { name: "Elixir", an: true });
  add("erlang erl", { name: "Erlang", an: true });
  add("haskell hs", { name: "Haskell" });
  add("scala", { name: "Scala" });
  add("dart", { name: "Dart" });
  add("vim viml", { name: "Vim script" });
  add("nginx", { name: "nginx configuration" });
  add("graphql gql", { name: "GraphQL" });
  add("latex tex", { name: "LaTeX" });
  return table;
})();

/** The spoken name of a fence's language (`sh` → shell); undefined for none, `text` or one Lectern does not know. */
export function codeLanguage(info: string | null | undefined): CodeLanguage | undefined {
  const first = info
    ?.trim()
    .split(/[\s{,]/)[0]
    ?.toLowerCase();
  if (!first) return undefined;
  return codeLanguages[first];
}

/** How a language's line comments start, for the languages Lectern names. */
const hashComments = new Set(["shell", "PowerShell", "Python", "Ruby", "YAML", "TOML", "Perl", "R", "Elixir", "Makefile", "Dockerfile", "nginx configuration"]);
const slashComments = new Set(["JavaScript", "TypeScript", "Go", "Rust", "Java", "Kotlin", "Swift", "C", "C++", "C sharp", "PHP", "Dart", "Scala"]);

/**
 * A line of code and its trailing comment (`nvm install node # "node" is an alias`): the
 * comment is prose, read as prose. A marker inside quotes, or not after a space, starts none.
 */
export function splitLineComment(line: string, language: CodeLanguage | undefined): { code: string; comment?: string } {
  const marker = language && hashComments.has(language.name) ? "#" : language && slashComments.has(language.name) ? "//" : undefined;
  if (!marker) return { code: line };
  for (let index = line.indexOf(marker); index !== -1; index = line.indexOf(marker, index + 1)) {
    const before = line.slice(0, index);
    const quotes = ((before.match(/"/g)?.length ?? 0) % 2) + ((before.match(/'/g)?.length ?? 0) % 2);
    if ((index === 0 || /\s$/.test(before)) && quotes === 0) {
      const comment = line
        .slice(index + marker.length)
        .replace(/^[#/!\s]+/, "")
        .trim();
      return comment ? { code: before.trim(), comment } : { code: before.trim() };
    }
  }
  return { code: line };
}

/** Shell-like blocks whose lines may start with a prompt that nobody types. */
const shellNames = new Set(["shell", "PowerShell"]);

/** "A shell example, 3 lines.", in `language` (one `codeVocabularyLanguage` chose). */
export function codeBlockAnnouncement(language: CodeLanguage | undefined, lines: number, spokenIn: string): string {
  const vocabulary = vocabularyOf(spokenIn);
  const size = count(vocabulary.lines, lines, spokenIn);
  if (!language) return fill(vocabulary.example, { lines: size });
  const template = language.an ? (vocabulary.languageExampleAn ?? vocabulary.languageExample) : vocabulary.languageExample;
  return fill(template, { language: language.name, lines: size });
}

/** The lines of a block that would be read: its lines without trailing blank ones, prompts (`$ `) dropped in shell blocks. */
export function codeBlockLines(value: string, language: CodeLanguage | undefined): string[] {
  const lines = value.replace(/\s+$/, "").split("\n");
  if (language && shellNames.has(language.name)) return lines.map((line) => line.replace(/^\s*(?:\$|%|>|PS [^>]*>)\s+/, ""));
  return lines;
}

/** Whether a block is read out under `--read-code short`. */
export function isShortCodeBlock(value: string): boolean {
  const trimmed = value.replace(/\s+$/, "");
  return trimmed.split("\n").length <= shortCodeBlock.lines && Array.from(trimmed).length <= shortCodeBlock.characters;
}

/**
 * A piece of code as it is said: words as they are (camelCase and letter–digit joints split,
 * `readDocument` → "read Document", `utf8` → "utf 8"), a hyphen inside a word silent
 * (`no-cache` → "no cache"), every other symbol named (`~/.bashrc` → "tilde slash dot
 * bashrc"). Digits stay digits: the voice reads them in its own language. Pure.
 */
export function speakCode(code: string, language: string): { text: string; shortened: boolean } {
  const vocabulary = vocabularyOf(language);
  const characters = Array.from(code);
  const shortened = characters.length > maxSpokenCodeLength;
  const kept = shortened ? characters.slice(0, maxSpokenCodeLength) : characters;
  const words: string[] = [];
  let word = "";
  const flush = () => {
    if (word) words.push(...splitIdentifier(word));
    word = "";
  };
  const isWordCharacter = (character: string | undefined): boolean => character !== undefined && /[\p{L}\p{M}\p{Nd}]/u.test(character);
  kept.forEach((character, index) => {
    if (isWordCharacter(character) || (character === "'" && isWordCharacter(kept[index - 1]) && /\p{L}/u.test(kept[index + 1] ?? ""))) {
      word += character;
      return;
    }
    flush();
    if (/\s/u.test(character)) return;
    // A hyphen joining two words is a joint, as in prose ("no-cache", "well-known"); leading ones are typed.
    if (character === "-" && isWordCharacter(kept[index - 1]) && isWordCharacter(kept[index + 1])) return;
    words.push(vocabulary.symbols[character as CodeSymbol] ?? character);
  });
  flush();
  if (shortened) words.push(vocabulary.more);
  return { text: words.join(" "), shortened };
}

/** `readDocument` → read Document, `XMLHttpRequest` → XML Http Request, `utf8` → utf 8. */
function splitIdentifier(word: string): string[] {
  return word
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\p{Nd})/gu, "$1 $2")
    .replace(/(\p{Nd})(\p{L})/gu, "$1 $2")
    .split(" ")
    .filter(Boolean);
}
