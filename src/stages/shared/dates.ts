// Dates as a reader of the document's language writes them, the same in every output.

/**
 * `2026-01-05` → "5 January 2026" (en-GB), "January 5, 2026" (en-US), "5 janvier 2026" (fr).
 * A date that is not a full ISO day (`2026`, `2026-01`) or a language Intl does not know
 * is returned as written. UTC, so the day never shifts with the machine's time zone.
 */
export function longDate(date: string, language: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(date)) return date;
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(parsed);
  } catch {
    return date;
  }
}

/** The last instant a four-digit year can write (ISO 8601 without expansion, XML Schema, W3CDTF). */
const latestWritable = Date.UTC(9999, 11, 31, 23, 59, 59);
/** The first: 0000-01-01T00:00:00Z (`Date.UTC` maps years 0–99 to 1900–1999, hence setUTCFullYear). */
const earliestWritable = new Date(0).setUTCFullYear(0, 0, 1);

/**
 * `date` as `CCYY-MM-DDThh:mm:ssZ` (EPUB 3.3 §5.5.6 `dcterms:modified`, XMP dates), held to
 * years 0000–9999: `Date#toISOString` writes a later year as `+012026-…`, which no schema
 * accepts. An invalid date is written as the Unix epoch.
 */
export function validTimestamp(date: Date): string {
  const time = Number.isNaN(date.getTime()) ? 0 : Math.min(latestWritable, Math.max(earliestWritable, date.getTime()));
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/**
 * The document's date as a package can record it (`dc:date`, `time[datetime]`): `YYYY`,
 * `YYYY-MM` or `YYYY-MM-DD`, a real day, a four-digit year. Undefined for anything else (a
 * year after 9999, `2026-02-30`, free text), which the writers leave out rather than fail
 * EPUBCheck's date check (OPF-053) or HTML's `datetime` syntax (RSC-005).
 */
export function packageDate(date: string): string | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date.trim());
  if (!match) return undefined;
  const [, year, month, day] = match;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return undefined;
  if (day !== undefined) {
    const parsed = new Date(0);
    parsed.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
    if (parsed.getUTCDate() !== Number(day)) return undefined;
  }
  return match[0];
}
