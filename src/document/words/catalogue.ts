// The shape of a message catalogue: every word or phrase Lectern writes or says itself, as
// plain data. Templates hold `{name}` slots filled by `fill`; counted phrases choose their form
// by Intl.PluralRules (`count`). A catalogue missing a key is a type error.

/** A phrase with a count in it, one form per CLDR plural category the language uses. `other` is required. */
export type Plural = Readonly<Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>;

/** The symbols Lectern names when it reads code (every other character is said as it is). */
export const codeSymbols = [
  "~",
  "/",
  "\\",
  ".",
  "_",
  "-",
  "=",
  "+",
  "*",
  "&",
  "|",
  "^",
  "%",
  "$",
  "#",
  "@",
  "!",
  "?",
  ":",
  ";",
  ",",
  "'",
  '"',
  "`",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "<",
  ">",
] as const;

export type CodeSymbol = (typeof codeSymbols)[number];

/** The kinds of admonition Docusaurus and VuePress know (`:::tip` … `:::`). */
export const admonitionKinds = ["note", "tip", "info", "warning", "danger", "caution", "important"] as const;

export type AdmonitionKind = (typeof admonitionKinds)[number];

/** What a language calls code symbols and how it announces a code block. */
export interface CodeWords {
  /** Symbol names at a screen reader's "some punctuation" level (NVDA's symbols.dic where it has the language). */
  readonly symbols: Readonly<Record<CodeSymbol, string>>;
  /** A block whose language is unknown: "A code example, {lines}." */
  readonly example: string;
  /** A block in a named language: "A {language} example, {lines}." */
  readonly languageExample: string;
  /** English only: the form for a language name said with "an" ("An HTML example"). */
  readonly languageExampleAn?: string;
  /** A block's size, in `{count}` lines. */
  readonly lines: Plural;
  /** Said after a piece of code cut short for listening. */
  readonly more: string;
}

export interface Words {
  // EPUB navigation document, landmarks and front matter.
  /** Heading of the table of contents. */
  readonly contents: string;
  /** Heading of the landmarks list. */
  readonly landmarks: string;
  /** Landmark label of the cover page; also the ID3 picture's description. */
  readonly cover: string;
  /** Landmark label of the title page. */
  readonly titlePage: string;
  /** Landmark label of the first page of text. */
  readonly startOfContent: string;
  /** The cover's alt text: "Cover: {book}". */
  readonly coverOf: string;
  /** A book named with its author: "{title}, by {author}" (cover alt text, description). */
  readonly titleByAuthor: string;
  /** A footnote's back link, for a screen reader: "Back to reference {number}". */
  readonly backToReference: string;

  // Labels set before the document's own text (EPUB, PDF, ID3).
  readonly source: string;
  readonly image: string;
  /** A task list item's state (EPUB check mark's name; PDF `Lbl` text and speech, as a `label`). */
  readonly done: string;
  readonly notDone: string;
  /** A word made a label before text: "{name}:" (French puts a no-break space before the colon). */
  readonly label: string;
  /** PDF: where a footnote the text calls has no definition. */
  readonly missingNote: string;
  // Titles of the end-matter section Lectern makes of a closing bio or copyright lines.
  /** A closing author bio. */
  readonly aboutTheAuthor: string;
  /** Closing copyright or licence lines. */
  readonly copyright: string;
  /** Closing lines of both kinds, or another kind. */
  readonly endMatter: string;
  /** The label of an admonition that gives no title (Docusaurus `:::tip`), by its kind. */
  readonly admonitions: Readonly<Record<AdmonitionKind, string>>;

  // Speech.
  /** A link whose text is only its address. */
  readonly link: string;
  readonly quote: string;
  readonly endQuote: string;
  /** "Table with {columns} and {rows}." */
  readonly table: string;
  readonly columns: Plural;
  readonly rows: Plural;
  /** Said before a section's footnotes: "Note." / "Notes.". */
  readonly notesHeading: Plural;
  /** Before each footnote: "Note {number}:". */
  readonly note: string;
  /** After the title, in the lead section: "By {author}." */
  readonly byAuthor: string;
  /** A span in a language no voice can say: "(a phrase in {language})", the name from Intl.DisplayNames. */
  readonly phraseIn: string;
  readonly code: CodeWords;

  // Audio tags.
  readonly unknownAuthor: string;
  /** The ID3 comment's credit: "Read by {engine} ({voice})." */
  readonly readBy: string;
}
