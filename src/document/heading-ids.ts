// Every heading's id and slug, computed once per document, so the EPUB's element ids, the PDF's
// named destinations and `#fragment` links in both name a heading the same way.
//
// One GitHub-style slugger runs over the whole document in reading order, as GitHub does for a
// page: each section's own heading, then the headings inside its blocks. An empty sub-heading
// is dropped by the writers and takes no slug; an empty section heading is shown with the
// section's title, so it takes the title's slug. The lead has no heading of its own (it sits
// under the document's title).
import GithubSlugger, { slug as plainSlug } from "github-slugger";
import type { Heading, RootContent } from "mdast";
import { visit } from "unist-util-visit";
import type { LecternDocument, Section } from "./model.js";
import { headingText } from "./sections.js";

/** The id a heading carries in every output. */
export interface HeadingId {
  /** The heading's plain text, as shown (the section's title for an empty section heading). */
  readonly label: string;
  /** The GitHub-style slug an author writes after `#` (`getting-started`, `usage-1`). */
  readonly slug: string;
  /** The element id and named destination: `h-<slug>`. */
  readonly id: string;
}

export interface SectionHeadingIds {
  readonly section: Section;
  /** The section's own heading (drawn from `section.heading`, or its title); undefined for the lead. */
  readonly own?: HeadingId;
  /**
   * One entry per heading node in `section.blocks`, in document order (depth-first, as
   * `unist-util-visit` walks): undefined for an empty heading, which takes no id. A writer
   * rendering copies of the blocks (with sentence nodes inserted) finds the n-th heading here.
   */
  readonly subheadings: readonly (HeadingId | undefined)[];
}

/** What a `#fragment` names. */
export interface HeadingTarget {
  readonly section: Section;
  /** The heading's id; undefined when the fragment names the lead (the document's title). */
  readonly id?: string;
}

export interface HeadingIds {
  /** One per `document.sections` entry, in the same order. */
  readonly sections: readonly SectionHeadingIds[];
  /** The same, by section. */
  readonly bySection: ReadonlyMap<Section, SectionHeadingIds>;
  /**
   * What an author may write after `#`: every heading's slug and every section's slug (a
   * section slug names its own heading; the lead's names the title). A heading slug wins
   * over a section slug that spells the same.
   */
  readonly fragments: ReadonlyMap<string, HeadingTarget>;
  /** The id of each heading node of the document's own blocks, and of each section's own heading. */
  readonly byNode: ReadonlyMap<Heading | Section, string>;
  /** Every slug given out, so a writer naming a heading of its own (raw HTML) can avoid them. */
  readonly slugs: readonly string[];
}

const memo = new WeakMap<LecternDocument, HeadingIds>();

/** The document's heading ids, computed on first use; the document is never changed. */
export function headingIds(document: LecternDocument): HeadingIds {
  let ids = memo.get(document);
  if (!ids) {
    ids = computeHeadingIds(document);
    memo.set(document, ids);
  }
  return ids;
}

/** The heading nodes in `blocks`, in the order `SectionHeadingIds.subheadings` lists them. */
export function headingsIn(blocks: readonly RootContent[]): Heading[] {
  const headings: Heading[] = [];
  for (const block of blocks) visit(block, "heading", (node: Heading) => void headings.push(node));
  return headings;
}

function computeHeadingIds(document: LecternDocument): HeadingIds {
  const slugger = new GithubSlugger();
  const slugs: string[] = [];
  const byNode = new Map<Heading | Section, string>();
  const sectionSlugs = new Map<string, HeadingTarget>();
  const headingSlugs = new Map<string, HeadingTarget>();
  const name = (label: string, section: Section): HeadingId => {
    // A label with no letter or digit (`!!!`) slugs to nothing: it is named "heading", numbered when repeated.
    const slug = slugger.slug(plainSlug(label) === "" ? "heading" : label);
    slugs.push(slug);
    const id = `h-${slug}`;
    headingSlugs.set(slug, { section, id });
    return { label, slug, id };
  };
  const sections = document.sections.map((section): SectionHeadingIds => {
    let own: HeadingId | undefined;
    if (section.role === "lead") {
      sectionSlugs.set(section.slug, { section });
    } else {
      own = name((section.heading ? headingText(section.heading) : "") || section.title, section);
      byNode.set(section, own.id);
      if (section.heading) byNode.set(section.heading, own.id);
      sectionSlugs.set(section.slug, { section, id: own.id });
    }
    const subheadings = headingsIn(section.blocks).map((node) => {
      const label = headingText(node);
      if (label === "") return undefined;
      const id = name(label, section);
      byNode.set(node, id.id);
      return id;
    });
    return { section, ...(own ? { own } : {}), subheadings };
  });
  return {
    sections,
    bySection: new Map(sections.map((ids) => [ids.section, ids])),
    fragments: new Map([...sectionSlugs, ...headingSlugs]),
    byNode,
    slugs,
  };
}
