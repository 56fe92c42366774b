// Grapheme clusters (UAX #29): the unit text is cut, measured, reversed or given a font by, so
// a combining mark never leaves its base character (é as e + U+0301, Arabic harakat, emoji sequences).
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The grapheme clusters of `text`, in order. */
export function graphemes(text: string): string[] {
  // Pure ASCII without combining sequences (the common case) is one cluster per character.
  // (CR LF is one cluster, so a string with CR goes through the segmenter.)
  if (/^[\x20-\x7E]*$/.test(text)) return text.split("");
  return Array.from(segmenter.segment(text), (segment) => segment.segment);
}

/**
 * The longest prefix of `clusters` (at least one cluster) whose text fits `fits`, found by
 * binary search on the cut point: O(log n) measurements instead of one per cluster.
 * `fits` must be monotonic (a prefix of a fitting prefix fits).
 */
export function longestFittingPrefix(clusters: readonly string[], fits: (text: string) => boolean, minimum = 1): number {
  const whole = clusters.join("");
  const ends: number[] = [0];
  for (const cluster of clusters) ends.push(ends.at(-1)! + cluster.length);
  let low = Math.min(minimum, clusters.length);
  let high = clusters.length;
  if (fits(whole)) return high;
  high--;
  // Invariant: a cut at `low` is taken (fits or is the minimum); a cut above `high` does not fit.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(whole.slice(0, ends[middle]))) low = middle;
    else high = middle - 1;
  }
  return low;
}
