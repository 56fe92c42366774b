// Lectern's own words ("Contents", "Source:", "Image:", "Done:") are English in every output.

/** The language of the words Lectern writes itself. */
export const interfaceLanguage = "en";

/**
 * The language to mark Lectern's own words with in a document in `documentLanguage`:
 * `en` in a French or Arabic document, so a screen reader switches voice for them (WCAG 3.1.2
 * Language of Parts) instead of reading English with a French voice; undefined in an English one.
 */
export function interfaceLanguageMark(documentLanguage: string): string | undefined {
  return documentLanguage.split("-")[0]?.toLowerCase() === interfaceLanguage ? undefined : interfaceLanguage;
}
