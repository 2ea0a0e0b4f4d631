/**
 * Route schemas of the Classic API (`/JSSResource`), written by hand: Jamf publishes no machine-readable
 * description of it. What they declare:
 * - path parameters: `lookup` (`id`, `name`…) and `value` as non-empty strings; an unknown lookup stays the
 *   handler's 404 page, as Jamf's servlet answers one;
 * - write bodies per media type: `application/xml` and `text/xml`, which arrive as text and must look like
 *   a document (start with `<` after any whitespace); the XML parser then checks the rest and names the
 *   element at fault. Other media types get the handler's 415 page;
 * - answers per media type: reads render XML (`text/xml`) or, when the client prefers it, JSON with the
 *   object under its root name (a list is an array of `{id, name…}` rows); writes answer
 *   `<root><id>N</id></root>` in XML; every error is the servlet's HTML status page (`text/html`).
 */
import type { FastifySchema } from 'fastify';

const xmlText = { type: 'string', pattern: '^\\s*<' };
const anyText = { type: 'string' };
const html = { content: { 'text/html': { schema: anyText } } };
const errors = { '4xx': html, '5xx': html };

const LOOKUP_PARAMS = {
  type: 'object',
  required: ['lookup', 'value'],
  properties: {
    lookup: { type: 'string', minLength: 1 },
    value: { type: 'string', minLength: 1 },
    subset: { type: 'string', minLength: 1 },
  },
};

const XML_BODY = {
  content: { 'application/xml': { schema: xmlText }, 'text/xml': { schema: xmlText } },
};

/** A read: XML, or JSON `{ [root]: value }` when the client asks for JSON. */
function read(root: string, value: object): object {
  return {
    content: {
      'text/xml': { schema: xmlText },
      'application/json': {
        schema: { type: 'object', required: [root], properties: { [root]: value } },
      },
    },
  };
}

const row = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 0 }, name: anyText },
};
const written = { content: { 'text/xml': { schema: xmlText } } };

/** The six routes of a Classic collection with `lookup/value` addressing (`listRoot`: `computer_groups`). */
export function classicCollection(listRoot: string, root: string) {
  return {
    list: { response: { 200: read(listRoot, { type: 'array', items: row }), ...errors } },
    read: { params: LOOKUP_PARAMS, response: { 200: read(root, { type: 'object' }), ...errors } },
    createAtBase: { body: XML_BODY, response: { 201: written, ...errors } },
    create: { params: LOOKUP_PARAMS, body: XML_BODY, response: { 201: written, ...errors } },
    update: { params: LOOKUP_PARAMS, body: XML_BODY, response: { 201: written, ...errors } },
    remove: { params: LOOKUP_PARAMS, response: { 200: written, ...errors } },
  } satisfies Record<string, FastifySchema>;
}

/** Device lists (`/JSSResource/computers`, `…/subset/basic`, `/JSSResource/mobiledevices`). */
export function classicDeviceList(listRoot: string): FastifySchema {
  return { response: { 200: read(listRoot, { type: 'array', items: row }), ...errors } };
}

/** One device (whole, or a subset of its sections), and its update. */
export function classicDevice(root: string) {
  return {
    read: { params: LOOKUP_PARAMS, response: { 200: read(root, { type: 'object' }), ...errors } },
    update: { params: LOOKUP_PARAMS, body: XML_BODY, response: { 201: written, ...errors } },
  } satisfies Record<string, FastifySchema>;
}
