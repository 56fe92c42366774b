// The words Lectern adds itself, in the document's language when Lectern has a catalogue for
// it, else in English: EPUB and PDF then mark them `lang="en"` and speech gives them to the
// English voice (WCAG 3.1.2 Language of Parts).
import type { Plural, Words } from "./catalogue.js";
import { dutch } from "./nl.js";
import { english } from "./en.js";
import { french } from "./fr.js";
import { german } from "./de.js";
import { italian } from "./it.js";
import { portuguese } from "./pt.js";
import { spanish } from "./es.js";

export { admonitionKinds, codeSymbols, type AdmonitionKind, type CodeSymbol, type CodeWords, type Plural, type Words } from "./catalogue.js";

/** Catalogues by primary language subtag. */
export const catalogues: Readonly<Record<string, Words>> = { en: english, fr: french, de: german, es: spanish, it: italian, pt: portuguese, nl: dutch };

/** Lectern's words for a document, and the language they are in. */
export interface InterfaceWords {
  readonly words: Words;
  /** BCP 47 tag of the words: the document's own tag (`fr-CA`), or `en` for the fallback. */
  readonly language: string;
  /** True when the document's language has no catalogue and the words are English. */
  readonly fallback: boolean;
}

function primarySubtag(tag: string): string {
  return tag.split("-")[0]?.toLowerCase() ?? "";
}

export function wordsFor(documentLanguage: string): InterfaceWords {
  const words = catalogues[primarySubtag(documentLanguage)];
  return words ? { words, language: documentLanguage, fallback: false } : { words: english, language: "en", fallback: true };
}

/**
 * The language Lectern's spoken words are given to: the document's where there is a catalogue;
 * else English, said by the English voice when the engine has one (an English phrase read by a
 * Japanese voice is mangled), else by the document's voice as the last resort.
 */
export function spokenWordsLanguage(documentLanguage: string, canVoice: (language: string) => boolean): string {
  const { language, fallback } = wordsFor(documentLanguage);
  if (!fallback) return language;
  return canVoice("en") ? "en" : documentLanguage;
}

/** A template with its `{name}` slots filled; a slot without a value is left as written. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}

/**
 * A template cut at its slots, for text that keeps its own language: "By {author}." →
 * `["By ", {slot: "author"}, "."]`, so a name is said in the document's language and "By" in
 * the words' language.
 */
export function templateParts(template: string): (string | { readonly slot: string })[] {
  const parts: (string | { slot: string })[] = [];
  let from = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    if (match.index > from) parts.push(template.slice(from, match.index));
    parts.push({ slot: match[1]! });
    from = match.index + match[0].length;
  }
  if (from < template.length) parts.push(template.slice(from));
  return parts;
}

/** A counted phrase in `language`: the plural form CLDR picks, the number written the language's way ("1 000 colonnes"). */
export function count(plural: Plural, value: number, language: string): string {
  const category = new Intl.PluralRules(language).select(value);
  return fill(plural[category] ?? plural.other, { count: new Intl.NumberFormat(language).format(value) });
}
