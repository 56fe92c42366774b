// Italian. Written by the Lectern team, not by a native editor: a native speaker should review
// every entry, the symbol names above all (after NVDA's Italian symbols.dic as we remember it).
import type { Words } from "./catalogue.js";

export const italian: Words = {
  contents: "Indice",
  landmarks: "Punti di riferimento",
  cover: "Copertina",
  titlePage: "Frontespizio",
  startOfContent: "Inizio del contenuto",
  coverOf: "Copertina: {book}",
  titleByAuthor: "{title}, di {author}",
  backToReference: "Torna al richiamo {number}",
  source: "Fonte:",
  image: "Immagine:",
  done: "Fatto:",
  notDone: "Da fare:",
  link: "collegamento",
  quote: "Citazione:",
  endQuote: "Fine citazione.",
  table: "Tabella con {columns} e {rows}.",
  columns: { one: "{count} colonna", other: "{count} colonne" },
  rows: { one: "{count} riga", other: "{count} righe" },
  notesHeading: { one: "Nota.", other: "Note." },
  note: "Nota {number}:",
  byAuthor: "Di {author}.",
  phraseIn: "(una frase in {language})",
  code: {
    symbols: {
      "~": "tilde", "/": "barra", "\\": "barra rovesciata", ".": "punto", _: "trattino basso", "-": "trattino", "=": "uguale",
      "+": "più", "*": "asterisco", "&": "e commerciale", "|": "barra verticale", "^": "accento circonflesso", "%": "per cento",
      $: "dollaro", "#": "cancelletto", "@": "chiocciola", "!": "punto esclamativo", "?": "punto interrogativo", ":": "due punti",
      ";": "punto e virgola", ",": "virgola", "'": "apostrofo", '"': "virgolette", "`": "accento grave",
      "(": "parentesi aperta", ")": "parentesi chiusa", "[": "parentesi quadra aperta", "]": "parentesi quadra chiusa",
      "{": "parentesi graffa aperta", "}": "parentesi graffa chiusa", "<": "minore", ">": "maggiore",
    },
    example: "Un esempio di codice, {lines}.",
    languageExample: "Un esempio di codice {language}, {lines}.",
    lines: { one: "{count} riga", other: "{count} righe" },
    more: "e altro",
  },
  unknownAuthor: "Autore sconosciuto",
  readBy: "Letto da {engine} ({voice}).",
};
