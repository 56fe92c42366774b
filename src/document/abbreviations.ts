// Abbreviations, one table per language: where a full stop ends no sentence ("Dr. Smith",
// "z. B. Wasser", "M. Dupont"), and, for English, how the voice says them ("Doctor"). The
// sentence splitter (src/document/sentences.ts), the plain-text reader's heading rules
// (src/document/title-case.ts) and the speech normaliser all read these tables.

/** One abbreviation as written; `spoken` is its fixed reading where the normaliser expands it. */
export interface Abbreviation {
  /** As written, with its full stops (`Dr.`, `z. B.`, `p. ex.`). */
  readonly written: string;
  readonly spoken?: string;
  /** Only before a number (`No. 5`, `S. 12`, `Nr. 3`): elsewhere the full stop ends a sentence ("He said no."). */
  readonly beforeNumber?: boolean;
  /** Often the last word of a sentence (`etc.`): before a capital the full stop ends it. */
  readonly endsSentences?: boolean;
}

/**
 * Space-separated forms; `_` stands for a space inside one (`z._B.`), a trailing `#` marks one
 * that abbreviates only before a number, a trailing `$` one that often ends a sentence (`etc.`).
 */
const plain = (words: string): Abbreviation[] =>
  words.split(" ").map((form) => ({
    written: form.replace(/_/g, " ").replace(/[#$]$/, ""),
    ...(form.endsWith("#") ? { beforeNumber: true } : {}),
    ...(form.endsWith("$") ? { endsSentences: true } : {}),
  }));

// Case matters only for the spoken readings (the normaliser matches `Dr.` and not `dr.`); a
// sentence break is joined whatever the case (`DR. Smith`).
const english: readonly Abbreviation[] = [
  { written: "e.g.", spoken: "for example" },
  { written: "i.e.", spoken: "that is" },
  { written: "etc.", spoken: "et cetera", endsSentences: true },
  { written: "vs.", spoken: "versus" },
  { written: "approx.", spoken: "approximately" },
  { written: "Mr.", spoken: "Mister" },
  { written: "Mrs.", spoken: "Missus" },
  { written: "Ms.", spoken: "Miz" },
  { written: "Dr.", spoken: "Doctor" },
  { written: "Prof.", spoken: "Professor" },
  { written: "Gen.", spoken: "General" },
  { written: "Col.", spoken: "Colonel" },
  { written: "Lt.", spoken: "Lieutenant" },
  { written: "Sgt.", spoken: "Sergeant" },
  { written: "Capt.", spoken: "Captain" },
  { written: "Gov.", spoken: "Governor" },
  { written: "Sen.", spoken: "Senator" },
  { written: "Rep.", spoken: "Representative" },
  { written: "Jr.", spoken: "Junior" },
  { written: "Sr.", spoken: "Senior" },
  { written: "Mt.", spoken: "Mount" },
  { written: "Ave.", spoken: "Avenue" },
  { written: "Inc.", spoken: "Incorporated" },
  { written: "Ltd.", spoken: "Limited" },
  { written: "Corp.", spoken: "Corporation" },
  { written: "Dept.", spoken: "Department" },
  { written: "Fig.", spoken: "Figure" },
  { written: "Vol.", spoken: "Volume" },
  { written: "Ch.", spoken: "Chapter" },
  { written: "pp.", spoken: "pages", beforeNumber: true },
  { written: "p.", spoken: "page", beforeNumber: true },
  { written: "U.S.A.", spoken: "U S A" },
  { written: "U.S.", spoken: "U S" },
  { written: "U.K.", spoken: "U K" },
  { written: "U.N.", spoken: "U N" },
  { written: "E.U.", spoken: "E U" },
  { written: "D.C.", spoken: "D C" },
  // Read by their own rules (`St.`: saint or street; `No. 5`: number) or by the voice.
  ...plain("St. Co. No.# Ft. Rev. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. cf. et_al. ca. Mgr. Hon."),
];

/** Tables by primary language subtag. */
export const abbreviationTables: Readonly<Record<string, readonly Abbreviation[]>> = {
  en: english,
  fr: plain("M. MM. Mme. Mlle. Dr. Pr. Me. St. Ste. p._ex. cf. etc.$ env. av. apr. J.-C. hab. chap. fig. vol. éd. p.# pp.# n°. art. nb. c.-à-d."),
  de: plain(
    "z._B. z.B. d._h. d.h. u._a. u.a. o._Ä. s._o. s._u. usw.$ bzw. ca. vgl. evtl. ggf. inkl. exkl. sog. bspw. Nr.# Dr. Prof. Hr. Fr. Hrn. St. S.# Bd. Jh. Mio. Mrd. Tsd. etc.$ Abb. Kap. Str. geb. gest.",
  ),
  es: plain("Sr. Sra. Srta. Dr. Dra. Ud. Uds. Vd. Vds. D. Dña. p._ej. etc.$ pág. págs. núm. aprox. EE._UU. Prof. Lic. Ing. cap. fig. vol. art."),
  it: plain("Sig. Sigg. Sig.ra Dott. Dott.ssa Prof. Avv. Ing. Geom. Arch. ecc.$ es. p._es. pag. pagg. ca. cfr. fig. vol. cap. art. n.# S."),
  pt: plain("Sr. Sra. Srta. Dr. Dra. Prof. Profa. V._Exa. p._ex. etc.$ pág. págs. nº. núm. aprox. cap. fig. vol. art. Av. S."),
  nl: plain("dhr. mevr. mr. dr. prof. ir. ing. bijv. d.w.z. m.a.w. o.a. e.d. enz.$ blz.# nr.# ca. jl. vgl. resp. St."),
};

/** The table for a BCP 47 tag (`de-AT` → German); English for a language without one. */
export function abbreviationsFor(language: string): readonly Abbreviation[] {
  return abbreviationTables[language.split(/[-_]/)[0]!.toLowerCase()] ?? english;
}

interface Matcher {
  /** Lower-cased written forms of the table, each with when its full stop may still end a sentence. */
  readonly forms: ReadonlyMap<string, Pick<Abbreviation, "beforeNumber" | "endsSentences">>;
  /** Forms of two words (`z. b.`), as [first word, rest], to join a break between their words. */
  readonly split: readonly (readonly [string, string])[];
  /** The longest form, in characters: how far back from a full stop a form can start. */
  readonly longest: number;
  /** Whether `3.` before a word is an ordinal (German, Dutch: `am 3. Oktober`), no sentence end. */
  readonly ordinalDots: boolean;
}

const matchers = new Map<string, Matcher>();

function matcherFor(language: string): Matcher {
  const primary = language.split(/[-_]/)[0]!.toLowerCase();
  let matcher = matchers.get(primary);
  if (!matcher) {
    const forms = new Map(
      abbreviationsFor(primary).map((entry) => [entry.written.toLowerCase(), { beforeNumber: entry.beforeNumber === true, endsSentences: entry.endsSentences === true }] as const),
    );
    const split = [...forms.keys()].flatMap((form) => {
      const space = form.indexOf(" ");
      return space === -1 ? [] : [[form.slice(0, space), form.slice(space + 1)] as const];
    });
    matcher = { forms, split, longest: Math.max(...Array.from(forms.keys(), (form) => form.length)), ordinalDots: primary === "de" || primary === "nl" };
    matchers.set(primary, matcher);
  }
  return matcher;
}

/** Two or more initials: `U.S.`, `E.T.A.`, `J. R. R.` (letters each with its full stop, spaced or not). */
const initialSequence = /(?:^|[^\p{L}.])(?:(?:\p{L}\.){2,}|(?:\p{Lu}\.\s)+\p{Lu}\.)$/u;
/** One capital initial, which names someone only when a name follows it. */
const singleInitial = /(?:^|[^\p{L}.])\p{Lu}\.$/u;

/**
 * Capitalised words that begin sentences far more often than they are names, so that a single
 * initial before one ends its sentence ("plan B. It works.", "Appendix A. The results").
 */
const sentenceStarters = new Set(
  (
    "the a an it its this that these those there then they them we you he she i in on at of for to by with from as if when while but and or so not no yes my our " +
    "your his her their what which who whom how why where all some many most each every one after before here now also however although because since until once " +
    "both either neither do does did is are was were be can could will would should may might must let see note le la les un une des il elle ils elles on nous " +
    "vous je ce cette ces mais et ou donc puis alors en dans au aux du de der die das ein eine es er sie wir ich und aber dann im am el los las unos unas pero y"
  ).split(" "),
);

/**
 * Whether an initial ends no sentence: any sequence of two or more (`U.S.`, `J. R. R.`), and a
 * single capital (`J.`) only before what looks like the rest of a name: another initial, or a
 * capitalised word that is not a common sentence opener. So "J. Smith" and "John F. Kennedy"
 * join, while "plan B. It works." and "Appendix A. The results" break; a single initial before
 * an unknown capitalised word ("plan B. Sunlight helps") is still taken for a name, the rarer
 * mistake in running text. Without `next`, a single initial counts (a line alone, for headings).
 */
function endsWithInitials(tail: string, next: string | undefined): boolean {
  if (initialSequence.test(tail)) return true;
  if (!singleInitial.test(tail)) return false;
  if (next === undefined) return true;
  // A name may stand in brackets or quotes (`K. (Stephen)`) or in capitals (`‘W. RABBIT’`).
  const following = /^\s*[("“‘«]?(\p{Lu}(?:\.|[\p{L}'’-]*))/u.exec(next)?.[1];
  if (following === undefined) return false;
  return following.endsWith(".") || (following.length > 1 && !sentenceStarters.has(following.toLowerCase()));
}

/** No-break and thin spaces (`p.&nbsp;ex.`, `z.\u202FB.`) match a table's plain space. */
const plainSpaces = (text: string): string => text.replace(/[\u00A0\u202F\u2009]/g, " ");

/** What glues a full stop's word to the one before: `Hydr.` is no `Dr.`, nor `-al.` `al.`, nor `/etc.` `etc.`. */
const wordJoiner = /[\p{L}\p{N}._\-/]/u;

/**
 * True when `text` ends with an abbreviation of `language` ("U.S.", "Dr.", "z. B.", "p. ex."),
 * whose full stop ends no sentence; `next`, the text that follows, if known, lets a form that
 * abbreviates only before a number (`No. 5`) end a sentence elsewhere, lets one that often ends
 * a sentence (`etc.`) end it before a capital, decides a single initial (see `endsWithInitials`)
 * and joins the words of a two-word form (`z.` then `B. Wasser`). Only the ends are read (at most
 * the table's longest form), so the sentence splitter can ask it of every break in linear time.
 */
export function endsWithAbbreviation(text: string, language = "en", next?: string): boolean {
  const matcher = matcherFor(language);
  // Only the end is read: a caller may ask this of every break in a long paragraph.
  const end = plainSpaces(text.slice(-(matcher.longest + 200))).trimEnd();
  const after = next === undefined ? undefined : plainSpaces(next.slice(0, matcher.longest + 40));
  const tail = end.slice(-(matcher.longest + 1));
  if (endsWithInitials(tail, after)) return true;
  const lower = tail.toLowerCase();
  const beforeNumber = after === undefined || /^\s*\d/.test(after);
  const beforeCapital = after !== undefined && /^[\s"'“‘«»()[\]]*\p{Lu}/u.test(after);
  for (let length = 1; length <= Math.min(matcher.longest, lower.length); length++) {
    const form = matcher.forms.get(lower.slice(lower.length - length));
    if (form === undefined || (form.beforeNumber && !beforeNumber) || (form.endsSentences && beforeCapital)) continue;
    // A whole word: `Dr.`, but not the end of `Hydr.`; quotes or brackets before it ("(cf.", "«M.") do not hide it.
    const before = lower.length - length - 1 >= 0 ? lower[lower.length - length - 1]! : end.length > lower.length ? end[end.length - lower.length - 1]! : " ";
    if (!wordJoiner.test(before)) return true;
  }
  if (after !== undefined && matcher.split.length > 0) {
    const following = after.slice(0, matcher.longest + 1).toLowerCase();
    for (const [first, rest] of matcher.split) {
      if (lower.endsWith(first) && !wordJoiner.test(lower.at(-first.length - 1) ?? " ") && following.startsWith(rest) && !/[\p{L}\p{N}]/u.test(following[rest.length] ?? " "))
        return true;
    }
  }
  return matcher.ordinalDots && /(?:^|\s)\d{1,3}\.$/.test(tail);
}

/** English abbreviations with a fixed reading, written → spoken, for the speech normaliser. */
export function spokenAbbreviations(language = "en"): readonly (readonly [string, string])[] {
  return abbreviationsFor(language).flatMap((entry) => (entry.spoken === undefined ? [] : [[entry.written, entry.spoken] as const]));
}
