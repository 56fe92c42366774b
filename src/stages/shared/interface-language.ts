// Lectern's own words ("Contents", "Source:", "Image:", "Done:") come from the document's
// language's catalogue (src/document/words); for a language without one they are English,
// and this marks them so.
import { wordsFor } from "../../document/words/index.js";

/**
 * The language to mark Lectern's own words with in a document in `documentLanguage`: `en` in
 * a Japanese or Arabic document, whose words fall back to English, so a screen reader switches
 * voice for them (WCAG 3.1.2 Language of Parts); undefined where the words are in the
 * document's own language (English, French, German…).
 */
export function interfaceLanguageMark(documentLanguage: string): string | undefined {
  return wordsFor(documentLanguage).fallback ? "en" : undefined;
}
