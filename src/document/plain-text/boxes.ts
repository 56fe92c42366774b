// Text drawn inside a box of asterisks, as licences set out their disclaimers (MPL 2.0's
// sections 6 and 7): the frame is drawing, the text inside is the document's.
import { indentOf, type Line } from "./lines.js";

/** A box's top or bottom edge: a run of asterisks, nothing else. */
const edgePattern = /^(\s*)\*{10,}$/;
/** Fewest framed lines between the edges: two edges with nothing framed are a scene break drawn twice. */
const minFramedLines = 1;

/**
 * Takes the frame off every box: each edge becomes a blank line, each framed line
 * (`*  6. Disclaimer of Warranty      *`) its text, with the indentation the lines inside
 * share removed, so a heading and its underline inside read as they would outside. A box is
 * an edge, lines that open with `*` at the edge's column and close with `*`, and an edge;
 * anything else (a line of asterisks alone, a scene break) is left as it is.
 */
export function removeBoxes(lines: readonly Line[]): Line[] {
  const result = [...lines];
  for (let top = 0; top < lines.length; top++) {
    const edge = edgePattern.exec(lines[top]!.text);
    if (!edge) continue;
    const column = edge[1]!.length;
    let bottom = top + 1;
    while (bottom < lines.length && isFramed(lines[bottom]!, column) && !edgePattern.test(lines[bottom]!.text)) bottom++;
    if (bottom >= lines.length || bottom - top - 1 < minFramedLines || edgePattern.exec(lines[bottom]!.text)?.[1]?.length !== column) continue;
    const inner = lines.slice(top + 1, bottom).map((line) => ({ ...line, text: line.text.slice(column + 1, -1).trimEnd(), offset: line.offset + column + 1 }));
    // A loop, not Math.min(...): a box may hold more lines than a call has arguments.
    let shared = Infinity;
    for (const line of inner) if (line.text.trim() !== "") shared = Math.min(shared, indentOf(line));
    result[top] = { ...lines[top]!, text: "" };
    result[bottom] = { ...lines[bottom]!, text: "" };
    inner.forEach((line, at) => {
      result[top + 1 + at] = line.text.trim() === "" ? { ...line, text: "" } : { ...line, text: line.text.slice(shared), offset: line.offset + shared };
    });
    top = bottom;
  }
  return result;
}

function isFramed(line: Line, column: number): boolean {
  return line.text.length >= column + 2 && line.text.slice(0, column).trim() === "" && line.text[column] === "*" && line.text.endsWith("*");
}
