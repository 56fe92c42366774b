// Dutch. Written by the Lectern team, not by a native editor: a native speaker should review
// every entry, the symbol names above all.
import type { Words } from "./catalogue.js";

export const dutch: Words = {
  contents: "Inhoud",
  landmarks: "Oriëntatiepunten",
  cover: "Omslag",
  titlePage: "Titelpagina",
  startOfContent: "Begin van de inhoud",
  coverOf: "Omslag: {book}",
  titleByAuthor: "{title}, door {author}",
  backToReference: "Terug naar verwijzing {number}",
  source: "Bron:",
  image: "Afbeelding:",
  done: "Klaar:",
  notDone: "Te doen:",
  link: "link",
  quote: "Citaat:",
  endQuote: "Einde citaat.",
  table: "Tabel met {columns} en {rows}.",
  columns: { one: "{count} kolom", other: "{count} kolommen" },
  rows: { one: "{count} rij", other: "{count} rijen" },
  notesHeading: { one: "Noot.", other: "Noten." },
  note: "Noot {number}:",
  byAuthor: "Door {author}.",
  phraseIn: "(een zin in het {language})",
  code: {
    symbols: {
      "~": "tilde", "/": "schuine streep", "\\": "backslash", ".": "punt", _: "laag streepje", "-": "streepje", "=": "is gelijk",
      "+": "plus", "*": "ster", "&": "en-teken", "|": "verticale streep", "^": "dakje", "%": "procent", $: "dollar",
      "#": "hekje", "@": "apenstaartje", "!": "uitroepteken", "?": "vraagteken", ":": "dubbele punt", ";": "puntkomma",
      ",": "komma", "'": "apostrof", '"': "aanhalingsteken", "`": "accent grave", "(": "haakje openen", ")": "haakje sluiten",
      "[": "blokhaak openen", "]": "blokhaak sluiten", "{": "accolade openen", "}": "accolade sluiten",
      "<": "kleiner dan", ">": "groter dan",
    },
    example: "Een codevoorbeeld, {lines}.",
    languageExample: "Een codevoorbeeld in {language}, {lines}.",
    lines: { one: "{count} regel", other: "{count} regels" },
    more: "enzovoort",
  },
  unknownAuthor: "Onbekende auteur",
  readBy: "Voorgelezen door {engine} ({voice}).",
};
