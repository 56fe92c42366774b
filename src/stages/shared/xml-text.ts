// Text that XML 1.0 can hold, for every XML file Lectern writes (EPUB documents, the PDF's XMP).

/**
 * Characters XML 1.0 cannot hold at all, even escaped (§2.2 `Char`): C0 controls other than
 * tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. One stray control
 * character in a title would otherwise make every file of a book, or the PDF's XMP packet,
 * ill-formed.
 */
const xmlInvalidCharacters = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `value` without the characters XML 1.0 cannot hold. */
export function xmlSafeText(value: string): string {
  return value.replace(xmlInvalidCharacters, "");
}
