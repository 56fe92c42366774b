// Named destinations for headings, so `#fragment` links inside the document can be followed.
//
// A destination is the heading's id from src/document/heading-ids.ts, the one the EPUB gives
// the heading's element; a fragment naming the lead (its section slug) goes to the title.
import type { Heading } from "mdast";
import { headingIds } from "../../document/heading-ids.js";
import type { LecternDocument, Section } from "../../document/model.js";

/** The destination at the title (the lead has no heading of its own). */
export const titleDestination = "title";

export interface HeadingAnchors {
  /** What an author may write after `#`, to the destination it names. */
  readonly fragments: ReadonlyMap<string, string>;
  /** The destination to set where each heading is drawn: sub-heading nodes, and sections for their own heading. */
  readonly destinations: ReadonlyMap<Heading | Section, string>;
}

export function headingAnchors(document: LecternDocument): HeadingAnchors {
  const ids = headingIds(document);
  const fragments = new Map<string, string>();
  for (const [fragment, target] of ids.fragments) fragments.set(fragment, target.id ?? titleDestination);
  return { fragments, destinations: ids.byNode };
}
