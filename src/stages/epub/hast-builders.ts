// Small constructors for hast nodes, so the EPUB writer builds trees instead of strings.
import type { Element, ElementContent, Properties, Text } from "hast";
import { interfaceLanguageMark } from "../shared/interface-language.js";

/** An element node; `properties` use hast property names (`className`, `ariaLabel`, `epub:type`). */
export function element(tagName: string, properties: Properties = {}, children: ElementContent[] = []): Element {
  return { type: "element", tagName, properties, children };
}

export function text(value: string): Text {
  return { type: "text", value };
}

/**
 * Words Lectern itself writes ("Contents", "Source:"), from the book language's catalogue
 * (src/document/words). In a book in a language without one they are English, marked
 * `lang="en"`, so a screen reader switches voice for them (WCAG 3.1.2 Language of Parts)
 * instead of reading English with, say, an Arabic voice.
 */
export function interfaceText(value: string, documentLanguage: string): ElementContent {
  const lang = interfaceLanguageMark(documentLanguage);
  if (lang === undefined) return text(value);
  return element("span", { lang, dir: "ltr" }, [text(value)]);
}
