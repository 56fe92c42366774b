// Small constructors for hast nodes, so the EPUB writer builds trees instead of strings.
import type { Element, ElementContent, Properties, Text } from "hast";

/** An element node; `properties` use hast property names (`className`, `ariaLabel`, `epub:type`). */
export function element(tagName: string, properties: Properties = {}, children: ElementContent[] = []): Element {
  return { type: "element", tagName, properties, children };
}

export function text(value: string): Text {
  return { type: "text", value };
}
