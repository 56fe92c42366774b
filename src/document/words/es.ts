// Spanish. Written by the Lectern team, not by a native editor: a native speaker should review
// the landmark labels ("Puntos de referencia") and the spoken phrases.
import type { Words } from "./catalogue.js";

export const spanish: Words = {
  contents: "Índice",
  landmarks: "Puntos de referencia",
  cover: "Cubierta",
  titlePage: "Portada",
  startOfContent: "Inicio del contenido",
  coverOf: "Cubierta: {book}",
  titleByAuthor: "{title}, de {author}",
  backToReference: "Volver a la referencia {number}",
  source: "Fuente:",
  image: "Imagen:",
  done: "Hecho",
  notDone: "Pendiente",
  label: "{name}:",
  missingNote: "(Esta nota falta en el original.)",
  link: "enlace",
  quote: "Cita:",
  endQuote: "Fin de la cita.",
  table: "Tabla de {columns} y {rows}.",
  columns: { one: "{count} columna", other: "{count} columnas" },
  rows: { one: "{count} fila", other: "{count} filas" },
  notesHeading: { one: "Nota.", other: "Notas." },
  note: "Nota {number}:",
  byAuthor: "Por {author}.",
  phraseIn: "(una frase en {language})",
  // After NVDA's Spanish symbols.dic.
  code: {
    symbols: {
      "~": "tilde", "/": "barra", "\\": "barra invertida", ".": "punto", _: "guion bajo", "-": "guion", "=": "igual",
      "+": "más", "*": "asterisco", "&": "y comercial", "|": "barra vertical", "^": "circunflejo", "%": "por ciento",
      $: "dólar", "#": "almohadilla", "@": "arroba", "!": "exclamación", "?": "interrogación", ":": "dos puntos",
      ";": "punto y coma", ",": "coma", "'": "apóstrofo", '"': "comillas", "`": "acento grave", "(": "abre paréntesis",
      ")": "cierra paréntesis", "[": "abre corchete", "]": "cierra corchete", "{": "abre llave", "}": "cierra llave",
      "<": "menor que", ">": "mayor que",
    },
    example: "Un ejemplo de código, {lines}.",
    languageExample: "Un ejemplo de código {language}, {lines}.",
    lines: { one: "{count} línea", other: "{count} líneas" },
    more: "etcétera",
  },
  unknownAuthor: "Autor desconocido",
  readBy: "Leído por {engine} ({voice}).",
};
