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
