/** Tiny XML writer for STS and S3 responses: nested objects become elements, arrays repeat them. */

export type XmlValue = string | number | boolean | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  readonly [name: string]: XmlValue;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<root xmlns="...">...</root>` with an XML declaration. */
export function xmlDocument(root: string, body: XmlObject, xmlns?: string): string {
  const inner = Object.entries(body).map(([k, v]) => element(k, v)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${xmlns ? ` xmlns="${xmlns}"` : ''}>${inner}</${root}>`;
}
