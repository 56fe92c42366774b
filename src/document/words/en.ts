// English: the catalogue every other one is checked against, and the fallback for languages
// Lectern has none for.
import type { Words } from "./catalogue.js";

export const english: Words = {
  contents: "Contents",
  landmarks: "Landmarks",
  cover: "Cover",
  titlePage: "Title page",
  startOfContent: "Start of content",
  coverOf: "Cover: {book}",
  titleByAuthor: "{title}, by {author}",
  backToReference: "Back to reference {number}",
  source: "Source:",
  image: "Image:",
  done: "Done",
  notDone: "Not done",
  label: "{name}:",
  missingNote: "(This note is missing from the source.)",
  aboutTheAuthor: "About the Author",
  copyright: "Copyright",
  endMatter: "End Matter",
  admonitions: { note: "Note", tip: "Tip", info: "Info", warning: "Warning", danger: "Danger", caution: "Caution", important: "Important" },
  link: "link",
  quote: "Quote:",
  endQuote: "End quote.",
  table: "Table with {columns} and {rows}.",
  columns: { one: "{count} column", other: "{count} columns" },
  rows: { one: "{count} row", other: "{count} rows" },
  notesHeading: { one: "Note.", other: "Notes." },
  note: "Note {number}:",
  byAuthor: "By {author}.",
  phraseIn: "(a phrase in {language})",
  // Symbol names after NVDA's symbols.dic at the "some" level, with the programmer's names
  // where they differ ("dash", not "minus", in `--no-cache`).
  code: {
    symbols: {
      "~": "tilde", "/": "slash", "\\": "backslash", ".": "dot", _: "underscore", "-": "dash", "=": "equals", "+": "plus",
      "*": "star", "&": "and", "|": "bar", "^": "caret", "%": "percent", $: "dollar", "#": "hash", "@": "at", "!": "bang",
      "?": "question mark", ":": "colon", ";": "semicolon", ",": "comma", "'": "quote", '"': "double quote", "`": "backtick",
      "(": "left paren", ")": "right paren", "[": "left bracket", "]": "right bracket", "{": "left brace", "}": "right brace",
      "<": "less than", ">": "greater than",
    },
    example: "A code example, {lines}.",
    languageExample: "A {language} example, {lines}.",
    languageExampleAn: "An {language} example, {lines}.",
    lines: { one: "{count} line", other: "{count} lines" },
    more: "and more",
  },
  unknownAuthor: "Unknown author",
  readBy: "Read by {engine} ({voice}).",
};
