// Badges: the linked status images a README puts on its title line and in its opening paragraph.
//
// `[![Tests](https://…/badge.svg)](https://…/actions)` (shields.io, CI, coverage, package
// versions) decorates a page; it is not part of its title and not something to read aloud
// ("Image: Tests. Image: nvm version. link."). The reader marks such images once, in the tree,
// and every consumer asks `isBadge` instead of guessing again: titles and slugs
// (src/document/display-text.ts), word counts (src/document/sections.ts) and speech
// (src/document/speech). The images stay in the body, where the EPUB and the PDF show them.
import type { Image, ImageReference, Nodes, PhrasingContent, RootContent } from "mdast";

declare module "mdast" {
  interface ImageData {
    /** Set by `markBadges`: a linked status image on the title line or in the opening paragraph. */
    lecternBadge?: boolean;
  }
  interface ImageReferenceData {
    /** Set by `markBadges`: a linked status image on the title line or in the opening paragraph. */
    lecternBadge?: boolean;
  }
}

/** True for an image `markBadges` found to be a badge. */
export function isBadge(node: Nodes): boolean {
  return (node.type === "image" || node.type === "imageReference") && node.data?.lecternBadge === true;
}

/** True for a link whose only content is badges (white space aside): it says nothing either. */
export function isBadgeLink(node: Nodes): boolean {
  if (node.type !== "link" && node.type !== "linkReference") return false;
  const meaningful = node.children.filter((child) => !(child.type === "text" && child.value.trim() === ""));
  return meaningful.length > 0 && meaningful.every(isBadge);
}

/**
 * Marks as badges the images that are the whole content of a link, inside `node` (the title
 * heading, the opening paragraph). Returns how many it marked.
 */
export function markBadges(node: Nodes): number {
  let marked = 0;
  const visit = (current: Nodes): void => {
    if (current.type === "link" || current.type === "linkReference") {
      const meaningful = current.children.filter((child) => !(child.type === "text" && child.value.trim() === ""));
      if (meaningful.length > 0 && meaningful.every((child) => child.type === "image" || child.type === "imageReference")) {
        for (const image of meaningful as (Image | ImageReference)[]) {
          image.data = { ...image.data, lecternBadge: true };
          marked++;
        }
        return;
      }
    }
    if ("children" in current) for (const child of current.children as Nodes[]) visit(child);
  };
  visit(node);
  return marked;
}

/** A paragraph of badges alone (the spaces and line breaks between them aside): a README's badge row. */
export function isBadgeOnlyParagraph(node: RootContent): boolean {
  if (node.type !== "paragraph") return false;
  const meaningful = node.children.filter((child) => !(child.type === "text" && child.value.trim() === "") && child.type !== "break");
  return meaningful.length > 0 && meaningful.every((child: PhrasingContent) => isBadgeLink(child) || isBadge(child));
}
