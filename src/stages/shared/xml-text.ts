// XML text for every file Lectern writes (EPUB documents, SVG images, the PDF's XMP): the
// characters XML can hold, and the one serializer that escapes them.
import type { Nodes } from "xast";

/**
 * Characters XML 1.0 cannot hold at all, even escaped (§2.2 `Char`): C0 controls other than
 * tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. One stray control
 * character in a title would otherwise make every file of a book, or the PDF's XMP packet,
 * ill-formed.
 */
const xmlInvalidCharacters = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `value` without the characters XML 1.0 cannot hold. */
export function xmlSafeText(value: string): string {
  return value.replace(xmlInvalidCharacters, "");
}

/** The XML declaration every file starts with (EPUB 3.3 §6.1.2, OPF, NCX: UTF-8 XML). */
export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Character data: `<` and `&` start markup, and `>` is escaped too because `]]>` is forbidden
 * in character data (XML 1.0 §2.4: EPUBCheck FATAL RSC-016), a sequence every XML or
 * JavaScript code sample holds. A carriage return is written as a reference, or a parser would
 * turn it into a newline (§2.11).
 */
const textEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;" };

/**
 * Attribute values are always double-quoted. Tab, newline and carriage return are written as
 * references, or attribute-value normalisation (§3.3.3) would turn them into spaces.
 */
const attributeEscapes: Record<string, string> = { ...textEscapes, '"': "&quot;", "\t": "&#x9;", "\n": "&#xA;" };

export function escapeXmlText(value: string): string {
  return xmlSafeText(value).replace(/[&<>\r]/g, (character) => textEscapes[character] ?? character);
}

export function escapeXmlAttribute(value: string): string {
  return xmlSafeText(value).replace(/[&<>"\t\n\r]/g, (character) => attributeEscapes[character] ?? character);
}

/** XML 1.0 §2.3 `Name` (with the `:` of qualified names): element, attribute and instruction names. */
const xmlName =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: XML 1.0 lists U+200C and U+200D as name characters on their own, not as a joiner sequence
  /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}][:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]*$/u;

function checkedName(name: string): string {
  // Names come from Lectern's own code or from a parsed XML file, never from text; a bad one
  // is a bug, and writing it would make an ill-formed file.
  if (!xmlName.test(name)) throw new Error(`not an XML name: ${JSON.stringify(name)}`);
  return name;
}

export interface XmlSerializeOptions {
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>` and a newline (default true). */
  readonly declaration?: boolean;
}

/**
 * Serializes a xast tree as well-formed XML, whatever its text and attribute values hold.
 * Every XML file Lectern writes goes through here (xast-util-to-xml leaves `>` bare in text,
 * so `]]>` ends up in the file, and lets tabs and newlines in attributes be normalised away).
 * Comments cannot hold `--` or end in `-`, instructions cannot hold `?>`, so those are broken
 * up; CDATA is written as escaped text (the same characters); raw XML strings are refused.
 */
export function serializeXmlTree(tree: Nodes, options: XmlSerializeOptions = {}): string {
  const parts: string[] = options.declaration === false ? [] : [xmlDeclaration];
  write(tree, parts);
  return parts.join("");
}

function write(node: Nodes, parts: string[]): void {
  switch (node.type) {
    case "root":
      for (const child of node.children) write(child, parts);
      return;
    case "element": {
      const name = checkedName(node.name);
      parts.push(`<${name}`);
      for (const [attribute, value] of Object.entries(node.attributes ?? {})) {
        if (value === undefined || value === null) continue;
        parts.push(` ${checkedName(attribute)}="${escapeXmlAttribute(String(value))}"`);
      }
      if (node.children.length === 0) {
        parts.push("/>");
        return;
      }
      parts.push(">");
      for (const child of node.children) write(child, parts);
      parts.push(`</${name}>`);
      return;
    }
    case "text":
    case "cdata":
      parts.push(escapeXmlText(node.value));
      return;
    case "comment": {
      // §2.5: `--` may not occur inside a comment, and it may not end in `-`.
      const value = xmlSafeText(node.value)
        .replace(/-(?=-)/g, "- ")
        .replace(/-$/, "- ");
      parts.push(`<!--${value}-->`);
      return;
    }
    case "instruction": {
      const name = checkedName(node.name);
      if (name.toLowerCase() === "xml") throw new Error("the XML declaration is written by serializeXmlTree itself");
      const value = xmlSafeText(node.value).replace(/\?>/g, "? >");
      parts.push(value ? `<?${name} ${value}?>` : `<?${name}?>`);
      return;
    }
    case "doctype": {
      // Only a bare `<!DOCTYPE name>` (XHTML's `html`): Lectern never writes a DTD or entities.
      parts.push(`<!DOCTYPE ${checkedName(node.name)}>`);
      return;
    }
    default:
      throw new Error(`cannot serialize a \`${(node as { type: string }).type}\` node: Lectern writes no raw XML`);
  }
}
