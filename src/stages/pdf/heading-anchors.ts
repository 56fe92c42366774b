// Named destinations for headings, so `#fragment` links inside the document can be followed.
//
// A fragment names a heading the way the EPUB's does (src/stages/epub/links.ts): its
// GitHub-style slug (one slugger for the whole document, in reading order, empty headings
// skipped) or the slug of its section; the lead's slug names the title.
import GithubSlugger from "github-slugger";
import type { Heading } from "mdast";
import { headingText } from "../../document/sections.js";
import { visit } from "unist-util-visit";
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
  const slugger = new GithubSlugger();
  const fragments = new Map<string, string>();
  const destinations = new Map<Heading | Section, string>();
  const add = (label: string): string => {
    const slug = slugger.slug(label) || "heading";
    const destination = `h-${slug}`;
    fragments.set(slug, destination);
    return destination;
  };
  for (const section of document.sections) {
    if (section.role === "lead") {
      fragments.set(section.slug, titleDestination);
    } else {
      // An empty section heading is drawn with the section's title (block-handlers, EPUB alike).
      const destination = add((section.heading ? headingText(section.heading) : "") || section.title);
      destinations.set(section, destination);
      fragments.set(section.slug, destination);
    }
    for (const block of section.blocks) {
      visit(block, "heading", (node: Heading) => {
        const label = headingText(node);
        if (label !== "") destinations.set(node, add(label));
      });
    }
  }
  return { fragments, destinations };
}
