/**
 * Escaping for the XML artifacts qgate writes (junit.xml, cobertura.xml). Test names, gate
 * reasons and paths come from user-controlled input, so every string goes through here.
 *
 * XML 1.0 allows only Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
 * (https://www.w3.org/TR/xml/#charsets), even as a character reference; anything else is dropped.
 */

/** Controls other than tab, LF and CR; U+FFFE and U+FFFF; surrogates not part of a pair. */
// eslint-disable-next-line no-control-regex -- the controls are what this matches
const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would reach readers as LF (XML end-of-line handling); the reference keeps it.
  '\r': '&#13;',
};

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  // Attribute-value normalisation turns literal tabs and line ends into spaces; references survive it.
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Removes the characters XML 1.0 cannot carry at all. */
export function stripInvalidXmlChars(value: string): string {
  return value.replace(ILLEGAL_XML_CHARS, '');
}

/** Character data: safe anywhere between tags (`]]>` cannot survive, its `>` is escaped). */
export function escapeXmlText(value: string): string {
  return stripInvalidXmlChars(value).replace(/[&<>"'\r]/g, (char) => TEXT_ESCAPES[char] ?? char);
}

/** An attribute value, for either quote style, with tabs and line ends preserved. */
export function escapeXmlAttribute(value: string): string {
  return stripInvalidXmlChars(value).replace(/[&<>"'\r\n\t]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);
}
