// The book's style sheet: structure made visible, every reading-system setting respected.

/**
 * No font family, font size in absolute units, or text and background colour is set on the
 * text, so the reader's own choices win (WCAG 1.4.4 resize text, 1.4.12 text spacing; EPUB
 * Accessibility "displayTransformability"). Sizes are relative (`em`, `%`). Borders use
 * `currentColor` so they follow a dark theme.
 */
export const stylesheet = `@charset "UTF-8";

body { margin: 0 4%; line-height: 1.5; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; break-after: avoid; page-break-after: avoid; hyphens: none; }
h1 { font-size: 1.8em; margin: 1em 0 0.5em; }
h2 { font-size: 1.4em; margin: 1.2em 0 0.5em; }
h3 { font-size: 1.2em; margin: 1em 0 0.4em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 0.4em; }
p { margin: 0 0 0.8em; }
blockquote { margin: 1em 1.5em; padding-left: 1em; border-left: 0.2em solid currentColor; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 1em 0; }
code, pre, kbd, samp { font-family: monospace; }
figure { margin: 1em 0; text-align: center; }
figure img, p img { max-width: 100%; height: auto; }
figcaption { font-style: italic; margin-top: 0.4em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid currentColor; padding: 0.25em 0.5em; vertical-align: top; }
th { font-weight: bold; }
.align-left { text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; }
li.task-list-item { list-style-type: none; }
.task-state { margin-right: 0.4em; }
sup.noteref { line-height: 0; }
aside.footnote { font-size: 0.9em; margin: 0.6em 0; }
aside.footnote:first-of-type { border-top: 1px solid currentColor; padding-top: 0.6em; margin-top: 2em; }
.image-omitted { font-style: italic; }
.titlepage { text-align: center; margin-top: 3em; }
.titlepage .byline { font-size: 1.2em; margin-top: 1em; }
.cover { margin: 0; padding: 0; text-align: center; }
.cover img { max-width: 100%; max-height: 100vh; height: auto; }
nav.landmarks { display: none; }
nav ol { list-style-type: none; padding-left: 1em; }
`;
