/**
 * Computer inventory on the Jamf Pro API: the sectioned, filtered, sorted and paged list, one computer by
 * id (sections as requested), the all-sections detail, the detail PATCH (validated whole, then applied,
 * then smart groups recalculated) and the explicit smart-group recalculation for one computer.
 */
import type { FastifyInstance } from 'fastify';
import {
  ALL_COMPUTER_SECTIONS,
  applyComputerPatch,
  COMPUTER_FILTER_FIELDS,
  COMPUTER_SECTIONS,
  COMPUTER_SORT_FIELDS,
  parseComputerPatch,
  renderComputer,
} from './computer-inventory.ts';
import { jsonBody, param, queryOf, sendJson } from './http.ts';
import { parseSections, search } from './query.ts';
import { described } from './schemas/pro-api.ts';
import type { JamfProServer } from './server.ts';

export function registerComputerRoutes(app: FastifyInstance, server: JamfProServer): void {
  const state = server.state;

  app.get(
    '/api/v1/computers-inventory',
    { schema: described('GET', '/api/v1/computers-inventory') },
    async (request, reply) => {
      const query = queryOf(request);
      const sections = parseSections(query.section, COMPUTER_SECTIONS, ['GENERAL']);
      const view = server.computerView();
      return sendJson(
        reply,
        200,
        search(state.computers.list, query, {
          filter: COMPUTER_FILTER_FIELDS,
          sort: COMPUTER_SORT_FIELDS,
          defaultSort: ['general.name:asc'],
          render: (c) => renderComputer(c, sections, view),
          maxPageSize: server.maxPageSize,
        }),
      );
    },
  );

  app.get(
    '/api/v1/computers-inventory/:id',
    { schema: described('GET', '/api/v1/computers-inventory/:id') },
    async (request, reply) => {
      const sections = parseSections(queryOf(request).section, COMPUTER_SECTIONS, ['GENERAL']);
      const computer = state.requireComputer(param(request, 'id'));
      return sendJson(reply, 200, renderComputer(computer, sections, server.computerView()));
    },
  );

  app.get(
    '/api/v1/computers-inventory-detail/:id',
    { schema: described('GET', '/api/v1/computers-inventory-detail/:id') },
    async (request, reply) => {
      const computer = state.requireComputer(param(request, 'id'));
      return sendJson(reply, 200, renderComputer(computer, ALL_COMPUTER_SECTIONS, server.computerView()));
    },
  );

  app.patch(
    '/api/v1/computers-inventory-detail/:id',
    { schema: described('PATCH', '/api/v1/computers-inventory-detail/:id') },
    async (request, reply) => {
      const computer = state.requireComputer(param(request, 'id'));
      const patch = parseComputerPatch(jsonBody(request), state.computerEas, state.departments);
      applyComputerPatch(computer, patch);
      state.deviceChanged(computer);
      return sendJson(reply, 200, renderComputer(computer, ALL_COMPUTER_SECTIONS, server.computerView()));
    },
  );

  app.post(
    '/api/v1/computers/:id/recalculate-smart-groups',
    { schema: described('POST', '/api/v1/computers/:id/recalculate-smart-groups') },
    async (request, reply) => {
      const computer = state.requireComputer(param(request, 'id'));
      return sendJson(reply, 200, { count: state.deviceChanged(computer) });
    },
  );
}
