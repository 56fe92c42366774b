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
}

/** Space-separated forms; `_` stands for a space inside one (`z._B.`), a trailing `#` marks one that abbreviates only before a number. */
const plain = (words: string): Abbreviation[] =>
  words.split(" ").map((form) => ({ written: form.replace(/_/g, " ").replace(/#$/, ""), ...(form.endsWith("#") ? { beforeNumber: true } : {}) }));

// Case matters only for the spoken readings (the normaliser matches `Dr.` and not `dr.`); a
// sentence break is joined whatever the case (`DR. Smith`).
const english: readonly Abbreviation[] = [
  { written: "e.g.", spoken: "for example" },
  { written: "i.e.", spoken: "that is" },
  { written: "etc.", spoken: "et cetera" },
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
  ...plain("St. Co. No.# Ft. Rev. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. cf. al. ca. Mgr. Hon."),
];

/** Tables by primary language subtag. */
export const abbreviationTables: Readonly<Record<string, readonly Abbreviation[]>> = {
  en: english,
  fr: plain("M. MM. Mme. Mlle. Dr. Pr. Me. St. Ste. p._ex. cf. etc. env. av. apr. J.-C. hab. chap. fig. vol. éd. p.# pp.# n°. art. nb. c.-à-d."),
  de: plain(
    "z._B. z.B. d._h. d.h. u._a. u.a. o._Ä. s._o. s._u. usw. bzw. ca. vgl. evtl. ggf. inkl. exkl. sog. bspw. Nr.# Dr. Prof. Hr. Fr. Hrn. St. S.# Bd. Jh. Mio. Mrd. Tsd. etc. Abb. Kap. Str. geb. gest.",
  ),
  es: plain("Sr. Sra. Srta. Dr. Dra. Ud. Uds. Vd. Vds. D. Dña. p._ej. etc. pág. págs. núm. aprox. EE._UU. Prof. Lic. Ing. cap. fig. vol. art."),
  it: plain("Sig. Sigg. Sig.ra Dott. Dott.ssa Prof. Avv. Ing. Geom. Arch. ecc. es. p._es. pag. pagg. ca. cfr. fig. vol. cap. art. n.# S."),
  pt: plain("Sr. Sra. Srta. Dr. Dra. Prof. Profa. V._Exa. p._ex. etc. pág. págs. nº. núm. aprox. cap. fig. vol. art. Av. S."),
  nl: plain("dhr. mevr. mr. dr. prof. ir. ing. bijv. d.w.z. m.a.w. o.a. e.d. enz. blz.# nr.# ca. jl. vgl. resp. St."),
};

/** The table for a BCP 47 tag (`de-AT` → German); English for a language without one. */
export function abbreviationsFor(language: string): readonly Abbreviation[] {
  return abbreviationTables[language.split(/[-_]/)[0]!.toLowerCase()] ?? english;
}

interface Matcher {
  /** Lower-cased written forms of the table, each with whether it abbreviates only before a number. */
  readonly forms: ReadonlyMap<string, boolean>;
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
    const forms = new Map(abbreviationsFor(primary).map((entry) => [entry.written.toLowerCase(), entry.beforeNumber === true] as const));
    const split = [...forms.keys()].flatMap((form) => {
      const space = form.indexOf(" ");
      return space === -1 ? [] : [[form.slice(0, space), form.slice(space + 1)] as const];
    });
    matcher = { forms, split, longest: Math.max(...Array.from(forms.keys(), (form) => form.length)), ordinalDots: primary === "de" || primary === "nl" };
    matchers.set(primary, matcher);
  }
  return matcher;
}

/** Initials and initialisms end no sentence in any language: `J. Smith`, `U.S.`, `E.T.A. Hoffmann`. */
const initials = /(?:^|[^\p{L}.])(?:(?:\p{L}\.){2,}|\p{Lu}\.)$/u;

/**
 * True when `text` ends with an abbreviation of `language` ("U.S.", "Dr.", "z. B.", "p. ex."),
 * whose full stop ends no sentence; `next`, the text that follows, if known, lets a form that
 * abbreviates only before a number (`No. 5`) end a sentence elsewhere, and joins the words of
 * a two-word form (`z.` then `B. Wasser`). Only the ends are read (at most the table's longest
 * form), so the sentence splitter can ask it of every break in linear time.
 */
export function endsWithAbbreviation(text: string, language = "en", next?: string): boolean {
  const matcher = matcherFor(language);
  // Only the end is read: a caller may ask this of every break in a long paragraph.
  const end = text.slice(-(matcher.longest + 200)).trimEnd();
  const tail = end.slice(-(matcher.longest + 1));
  if (initials.test(tail)) return true;
  const lower = tail.toLowerCase();
  const beforeNumber = next === undefined || /^\s*\d/.test(next);
  for (let length = 1; length <= Math.min(matcher.longest, lower.length); length++) {
    const numeric = matcher.forms.get(lower.slice(lower.length - length));
    if (numeric === undefined || (numeric && !beforeNumber)) continue;
    // A whole word: `Dr.`, but not the end of `Hydr.`; quotes or brackets before it ("(cf.", "«M.") do not hide it.
    const before = lower.length - length - 1 >= 0 ? lower[lower.length - length - 1]! : end.length > lower.length ? end[end.length - lower.length - 1]! : " ";
    if (!/[\p{L}\p{N}.]/u.test(before)) return true;
  }
  if (next !== undefined && matcher.split.length > 0) {
    const following = next.slice(0, matcher.longest + 1).toLowerCase();
    for (const [first, rest] of matcher.split) {
      if (lower.endsWith(first) && !/[\p{L}\p{N}.]/u.test(lower.at(-first.length - 1) ?? " ") && following.startsWith(rest) && !/[\p{L}\p{N}]/u.test(following[rest.length] ?? " "))
        return true;
    }
  }
  return matcher.ordinalDots && /(?:^|\s)\d{1,3}\.$/.test(tail);
}

/** English abbreviations with a fixed reading, written → spoken, for the speech normaliser. */
export function spokenAbbreviations(language = "en"): readonly (readonly [string, string])[] {
  return abbreviationsFor(language).flatMap((entry) => (entry.spoken === undefined ? [] : [[entry.written, entry.spoken] as const]));
}
