// German. Written by the Lectern team, not by a native editor: a native speaker should review
// the landmark labels ("Orientierungspunkte") and the spoken phrases.
import type { Words } from "./catalogue.js";

export const german: Words = {
  contents: "Inhaltsverzeichnis",
  landmarks: "Orientierungspunkte",
  cover: "Cover",
  titlePage: "Titelseite",
  startOfContent: "Beginn des Inhalts",
  coverOf: "Cover: {book}",
  titleByAuthor: "{title} von {author}",
  backToReference: "Zurück zum Verweis {number}",
  source: "Quelle:",
  image: "Bild:",
  done: "Erledigt",
  notDone: "Offen",
  label: "{name}:",
  missingNote: "(Diese Anmerkung fehlt in der Quelle.)",
  link: "Link",
  quote: "Zitat:",
  endQuote: "Zitatende.",
  table: "Tabelle mit {columns} und {rows}.",
  columns: { one: "{count} Spalte", other: "{count} Spalten" },
  rows: { one: "{count} Zeile", other: "{count} Zeilen" },
  notesHeading: { one: "Anmerkung.", other: "Anmerkungen." },
  note: "Anmerkung {number}:",
  byAuthor: "Von {author}.",
  phraseIn: "(eine Passage auf {language})",
  // After NVDA's German symbols.dic.
  code: {
    symbols: {
      "~": "Tilde", "/": "Schrägstrich", "\\": "Backslash", ".": "Punkt", _: "Unterstrich", "-": "Strich", "=": "gleich",
      "+": "plus", "*": "Stern", "&": "und", "|": "senkrechter Strich", "^": "Zirkumflex", "%": "Prozent", $: "Dollar",
      "#": "Raute", "@": "at", "!": "Ausrufezeichen", "?": "Fragezeichen", ":": "Doppelpunkt", ";": "Semikolon", ",": "Komma",
      "'": "Apostroph", '"': "Anführungszeichen", "`": "Gravis", "(": "Klammer auf", ")": "Klammer zu",
      "[": "eckige Klammer auf", "]": "eckige Klammer zu", "{": "geschweifte Klammer auf", "}": "geschweifte Klammer zu",
      "<": "kleiner", ">": "größer",
    },
    example: "Ein Codebeispiel, {lines}.",
    languageExample: "Ein Codebeispiel in {language}, {lines}.",
    lines: { one: "{count} Zeile", other: "{count} Zeilen" },
    more: "und so weiter",
  },
  unknownAuthor: "Unbekannter Autor",
  readBy: "Gelesen von {engine} ({voice}).",
};
