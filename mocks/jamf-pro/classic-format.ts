/**
 * One description of a Classic API document, two renderings: XML (the default) and JSON (when the client
 * sends `Accept: application/json`). Jamf renders the same object both ways with the same snake_case names;
 * the differences are mechanical and live here: a list is `<size>n</size>` followed by repeated item
 * elements in XML but a plain array in JSON, booleans and numbers are text in XML, and an absent value is an
 * empty element in XML and an empty string in JSON.
 */
import { escapeXml, XML_DECLARATION } from './xml.ts';

export type ClassicValue = string | number | boolean | null | ClassicList | ClassicObject;
export interface ClassicObject {
  readonly [key: string]: ClassicValue;
}

/** A repeated element: `items` rendered as `<item>` elements (XML) or an array (JSON). */
export class ClassicList {
  readonly item: string;
  readonly items: readonly ClassicValue[];
  /** Whether XML starts with `<size>n</size>` (Jamf writes it for most lists). */
  readonly withSize: boolean;
  constructor(item: string, items: readonly ClassicValue[], withSize = true) {
    this.item = item;
    this.items = items;
    this.withSize = withSize;
  }
}

export type ClassicFormat = 'xml' | 'json';

/** JSON when the client prefers it (first of `application/json` and an XML type in Accept), else XML. */
export function negotiateClassic(accept: string | undefined): ClassicFormat {
  if (!accept) return 'xml';
  const lower = accept.toLowerCase();
  const json = lower.indexOf('application/json');
  if (json < 0) return 'xml';
  const xml = lower.search(/(?:application|text)\/xml/);
  return xml >= 0 && xml < json ? 'xml' : 'json';
}

function xmlOf(name: string, value: ClassicValue, out: string[]): void {
  if (value === null || value === '') {
    out.push(`<${name}/>`);
    return;
  }
  if (value instanceof ClassicList) {
    out.push(`<${name}>`);
    if (value.withSize) out.push(`<size>${value.items.length}</size>`);
    for (const item of value.items) xmlOf(value.item, item, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [key, v] of Object.entries(value)) xmlOf(key, v, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

type Json = string | number | boolean | Json[] | { [key: string]: Json };

function jsonOf(value: ClassicValue): Json {
  if (value === null) return '';
  if (value instanceof ClassicList) return value.items.map(jsonOf);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) out[key] = jsonOf(v);
    return out;
  }
  return value;
}

/** Renders `{root: value}` in the negotiated format, with the content type Jamf sends. */
export function renderClassic(
  root: string,
  value: ClassicValue,
  format: ClassicFormat,
): { body: string; contentType: string } {
  if (format === 'json') {
    return { body: JSON.stringify({ [root]: jsonOf(value) }), contentType: 'application/json;charset=UTF-8' };
  }
  const out: string[] = [XML_DECLARATION];
  xmlOf(root, value, out);
  return { body: out.join(''), contentType: 'text/xml;charset=UTF-8' };
}
