// The package document (OPF) and the legacy NCX, as EJS templates for epub-gen-memory.
//
// epub-gen-memory renders these with the options object, so the data they read travels in
// one extra option, `book` (a `PackageData`). Every value goes through `<%= %>`, which
// escapes `&`, `<` and quotes: a title such as `Fish & Chips <A Guide>` cannot break the XML.
import type { AccessibilityMetadata } from "./accessibility.js";

export interface ManifestItem {
  readonly id: string;
  readonly href: string;
  readonly mediaType: string;
  /** OPF item properties (`cover-image`, `svg`, `nav`). */
  readonly properties?: string;
}

export interface NcxPoint {
  readonly id: string;
  readonly label: string;
  readonly src: string;
}

/** Everything the OPF and NCX templates print. */
export interface PackageData {
  readonly identifier: string;
  readonly title: string;
  readonly language: string;
  readonly direction: "ltr" | "rtl";
  readonly author?: string;
  readonly date?: string;
  readonly description: string;
  readonly source?: string;
  readonly publisher?: string;
  /** `CCYY-MM-DDThh:mm:ssZ`. */
  readonly modified: string;
  readonly accessibility: AccessibilityMetadata;
  /** `xml:lang` of the accessibility summary when it is not the book's language (the summary is English). */
  readonly summaryLanguage?: string;
  /** Items besides the nav, NCX and style sheet, in package order. */
  readonly items: readonly ManifestItem[];
  /** Manifest ids in reading order. */
  readonly spine: readonly string[];
  readonly ncxPoints: readonly NcxPoint[];
}

/**
 * The package `xml:lang` is the document's language (Ace `epub-lang`; epub-gen-memory
 * hardcodes `en`). The reserved `schema:` and `a11y:` prefixes are not redeclared (EPUB 3.3
 * §D.1: redeclaring a reserved prefix is an error), and no unused prefix is declared.
 */
export const contentOpfTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="<%= book.language %>" dir="<%= book.direction %>">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id"><%= book.identifier %></dc:identifier>
    <dc:title id="title"><%= book.title %></dc:title>
    <dc:language><%= book.language %></dc:language>
<% if (book.author) { -%>
    <dc:creator id="creator"><%= book.author %></dc:creator>
    <meta refines="#creator" property="role" scheme="marc:relators">aut</meta>
<% } -%>
<% if (book.date) { -%>
    <dc:date><%= book.date %></dc:date>
<% } -%>
    <dc:description><%= book.description %></dc:description>
<% if (book.source) { -%>
    <dc:source><%= book.source %></dc:source>
<% } -%>
<% if (book.publisher) { -%>
    <dc:publisher><%= book.publisher %></dc:publisher>
<% } -%>
    <meta property="dcterms:modified"><%= book.modified %></meta>
<% book.accessibility.accessModes.forEach(function (mode) { -%>
    <meta property="schema:accessMode"><%= mode %></meta>
<% }) -%>
<% book.accessibility.accessModesSufficient.forEach(function (modes) { -%>
    <meta property="schema:accessModeSufficient"><%= modes %></meta>
<% }) -%>
<% book.accessibility.features.forEach(function (feature) { -%>
    <meta property="schema:accessibilityFeature"><%= feature %></meta>
<% }) -%>
<% book.accessibility.hazards.forEach(function (hazard) { -%>
    <meta property="schema:accessibilityHazard"><%= hazard %></meta>
<% }) -%>
    <meta property="schema:accessibilitySummary"<% if (book.summaryLanguage) { %> xml:lang="<%= book.summaryLanguage %>"<% } %>><%= book.accessibility.summary %></meta>
    <meta property="dcterms:conformsTo"><%= book.accessibility.conformsTo %></meta>
<% if (book.accessibility.certifiedBy) { -%>
    <meta property="a11y:certifiedBy"><%= book.accessibility.certifiedBy %></meta>
<% } -%>
    <meta name="cover" content="cover-image"/>
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
<% book.items.forEach(function (item) { -%>
    <item id="<%= item.id %>" href="<%= item.href %>" media-type="<%= item.mediaType %>"<% if (item.properties) { %> properties="<%= item.properties %>"<% } %>/>
<% }) -%>
  </manifest>
  <spine toc="ncx"<% if (book.direction === 'rtl') { %> page-progression-direction="rtl"<% } %>>
<% book.spine.forEach(function (idref) { -%>
    <itemref idref="<%= idref %>"/>
<% }) -%>
  </spine>
</package>
`;

/** EPUB 2 reading systems still look for an NCX; EPUB 3 ones use the nav document. */
export const tocNcxTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="<%= book.language %>">
  <head>
    <meta name="dtb:uid" content="<%= book.identifier %>"/>
    <meta name="dtb:depth" content="1"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text><%= book.title %></text></docTitle>
<% if (book.author) { -%>
  <docAuthor><text><%= book.author %></text></docAuthor>
<% } -%>
  <navMap>
<% book.ncxPoints.forEach(function (point, index) { -%>
    <navPoint id="<%= point.id %>" playOrder="<%= index + 1 %>">
      <navLabel><text><%= point.label %></text></navLabel>
      <content src="<%= point.src %>"/>
    </navPoint>
<% }) -%>
  </navMap>
</ncx>
`;

/** Chapters arrive fully serialized (see container.ts): the template prints them verbatim. */
export const chapterXhtmlTemplate = "<%- xhtml %>";
/** The navigation document arrives fully serialized in the `navXhtml` option. */
export const tocXhtmlTemplate = "<%- navXhtml %>";
