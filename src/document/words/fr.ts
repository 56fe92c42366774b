// French. Written by the Lectern team, not by a native editor: a native speaker should review
// the landmark labels ("Repères") and the spoken phrases (table, notes, code announcements).
// A colon takes a no-break space before it, as French typesetting requires.
import type { Words } from "./catalogue.js";

export const french: Words = {
  contents: "Table des matières",
  landmarks: "Repères",
  cover: "Couverture",
  titlePage: "Page de titre",
  startOfContent: "Début du contenu",
  coverOf: "Couverture\u00a0: {book}",
  titleByAuthor: "{title}, par {author}",
  backToReference: "Retour à l'appel de note {number}",
  source: "Source\u00a0:",
  image: "Image\u00a0:",
  done: "Fait",
  notDone: "À faire",
  label: "{name}\u00a0:",
  missingNote: "(Cette note manque dans la source.)",
  aboutTheAuthor: "À propos de l’auteur",
  copyright: "Droits d’auteur",
  endMatter: "Fin du document",
  admonitions: { note: "Remarque", tip: "Astuce", info: "Info", warning: "Avertissement", danger: "Danger", caution: "Attention", important: "Important" },
  link: "lien",
  quote: "Citation\u00a0:",
  endQuote: "Fin de citation.",
  table: "Tableau de {columns} et {rows}.",
  // CLDR puts 0 and 1 in "one" for French: "0 ligne", "1 ligne", "2 lignes".
  columns: { one: "{count} colonne", other: "{count} colonnes" },
  rows: { one: "{count} ligne", other: "{count} lignes" },
  notesHeading: { one: "Note.", other: "Notes." },
  note: "Note {number}\u00a0:",
  byAuthor: "Par {author}.",
  phraseIn: "(un passage en {language})",
  // After NVDA's French symbols.dic.
  code: {
    symbols: {
      "~": "tilde", "/": "barre oblique", "\\": "barre oblique inversée", ".": "point", _: "souligné", "-": "tiret", "=": "égal",
      "+": "plus", "*": "étoile", "&": "et commercial", "|": "barre verticale", "^": "circonflexe", "%": "pour cent",
      $: "dollar", "#": "dièse", "@": "arobase", "!": "point d'exclamation", "?": "point d'interrogation", ":": "deux-points",
      ";": "point-virgule", ",": "virgule", "'": "apostrophe", '"': "guillemet", "`": "accent grave",
      "(": "parenthèse ouvrante", ")": "parenthèse fermante", "[": "crochet ouvrant", "]": "crochet fermant",
      "{": "accolade ouvrante", "}": "accolade fermante", "<": "inférieur", ">": "supérieur",
    },
    example: "Un exemple de code, {lines}.",
    languageExample: "Un exemple de code {language}, {lines}.",
    lines: { one: "{count} ligne", other: "{count} lignes" },
    more: "et la suite",
  },
  unknownAuthor: "Auteur inconnu",
  readBy: "Lu par {engine} ({voice}).",
};
