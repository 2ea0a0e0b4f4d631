/**
 * Extension attribute definitions on the Jamf Pro API, for computers (`/api/v1/computer-extension-attributes`)
 * and mobile devices (`/api/v1/mobile-device-extension-attributes`). These paths are newer than the 11.7.1
 * schema; they follow vendor-apis.md §2.6: paged list (default sort `name:asc`, filter on `id` and `name`),
 * create answering 201 `{id, href}`, read, full-replacement PUT answering the object, DELETE 204 and
 * `delete-multiple`. A definition a smart group's criteria still name cannot be deleted (409), so no smart
 * group is ever left with a criterion that means nothing; a rename is followed by those criteria.
 */
import type { FastifyInstance } from 'fastify';
import { isObject, optArray } from './body.ts';
import { conflict, invalid } from './errors.ts';
import { type EaDefinition, type EaKind, parseProEa, proEa } from './extension-attributes.ts';
import { jsonBody, param, queryOf, sendJson } from './http.ts';
import { search } from './query.ts';
import type { RsqlField } from './rsql.ts';
import { EXTENSION_ATTRIBUTES as SCHEMAS } from './schemas/pro-api.ts';
import type { JamfProServer } from './server.ts';

const FIELDS = new Map<string, RsqlField<EaDefinition>>([
  ['id', { type: 'number', get: (d) => d.id }],
  ['name', { type: 'string', get: (d) => d.name }],
]);
const SORT = new Map<string, RsqlField<EaDefinition>>([
  ...FIELDS,
  ['dataType', { type: 'string', get: (d) => d.dataType }],
  ['inventoryDisplayType', { type: 'string', get: (d) => d.inventoryDisplayType }],
  ['inputType', { type: 'string', get: (d) => d.inputType }],
]);

export function registerExtensionAttributeRoutes(app: FastifyInstance, server: JamfProServer): void {
  const state = server.state;
  const routes: readonly [EaKind, string][] = [
    ['computer', '/api/v1/computer-extension-attributes'],
    ['mobile', '/api/v1/mobile-device-extension-attributes'],
  ];

  for (const [kind, base] of routes) {
    const registry = () => state.eas(kind);

    /** Refuses to delete definitions still named by smart-group criteria. */
    const checkUnused = (def: EaDefinition) => {
      const users = state.groups(kind).referencing(def.name);
      if (users.length > 0) {
        throw conflict(
          'id',
          `extension attribute ${def.name} is used by smart group criteria: ${users.map((g) => g.name).join(', ')}`,
        );
      }
    };

    app.get(base, { schema: SCHEMAS.list }, async (request, reply) =>
      sendJson(
        reply,
        200,
        search(registry().list(), queryOf(request), {
          filter: FIELDS,
          sort: SORT,
          defaultSort: ['name:asc'],
          render: (d) => proEa(d, kind),
          maxPageSize: server.maxPageSize,
        }),
      ),
    );

    app.post(base, { schema: SCHEMAS.create }, async (request, reply) => {
      const def = registry().create(parseProEa(jsonBody(request), kind));
      return sendJson(reply, 201, { id: String(def.id), href: server.href(`${base}/${def.id}`) });
    });

    app.get(`${base}/:id`, { schema: SCHEMAS.read }, async (request, reply) =>
      sendJson(reply, 200, proEa(registry().require(param(request, 'id')), kind)),
    );

    app.put(`${base}/:id`, { schema: SCHEMAS.replace }, async (request, reply) => {
      const current = registry().require(param(request, 'id'));
      const input = parseProEa(jsonBody(request), kind);
      const def = registry().replace(current.id, input);
      state.eaDefinitionsChanged(kind, { from: current.name, to: def.name });
      return sendJson(reply, 200, proEa(def, kind));
    });

    app.delete(`${base}/:id`, { schema: SCHEMAS.remove }, async (request, reply) => {
      const def = registry().require(param(request, 'id'));
      checkUnused(def);
      state.forgetEa(kind, def);
      registry().delete(def.id);
      return reply.code(204).send();
    });

    app.post(`${base}/delete-multiple`, { schema: SCHEMAS.deleteMultiple }, async (request, reply) => {
      const body = jsonBody(request);
      if (!isObject(body)) throw invalid('body', 'the request body must be a JSON object', 'INVALID_CONTENT');
      const ids = optArray(body, 'ids', '') ?? [];
      // Every id is checked before any is deleted.
      const defs = ids.map((id, i) => {
        if (typeof id !== 'string' && typeof id !== 'number')
          throw invalid(`ids[${i}]`, `ids[${i}] must be an id`);
        const def = registry().require(String(id));
        checkUnused(def);
        return def;
      });
      for (const def of defs) {
        state.forgetEa(kind, def);
        registry().delete(def.id);
      }
      return reply.code(204).send();
    });
  }
}
