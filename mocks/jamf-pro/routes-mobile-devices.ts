/**
 * Mobile devices on the Jamf Pro API: the v2 list (paged and sorted; it has no `filter`, so one is
 * ignored), one device, its detail, the sectioned and RSQL-filtered detail search, the PATCH that writes
 * `updatedExtensionAttributes` (validated whole before anything changes, then smart groups recalculated),
 * and the explicit smart-group recalculation for one device.
 */
import type { FastifyInstance } from 'fastify';
import { jsonBody, param, queryOf, sendJson } from './http.ts';
import {
  applyMobilePatch,
  MOBILE_DETAIL_FILTER_FIELDS,
  MOBILE_DETAIL_SORT_FIELDS,
  MOBILE_SECTIONS,
  MOBILE_V2_SORT_FIELDS,
  parseMobilePatch,
  renderMobileDetail,
  renderMobileInventory,
  renderMobileV2,
} from './mobile-inventory.ts';
import { parseSections, search } from './query.ts';
import { described } from './schemas/pro-api.ts';
import type { JamfProServer } from './server.ts';

export function registerMobileRoutes(app: FastifyInstance, server: JamfProServer): void {
  const state = server.state;

  app.get(
    '/api/v2/mobile-devices',
    { schema: described('GET', '/api/v2/mobile-devices') },
    async (request, reply) =>
      sendJson(
        reply,
        200,
        search(state.mobiles.list, queryOf(request), {
          sort: MOBILE_V2_SORT_FIELDS,
          defaultSort: ['id:asc'],
          render: renderMobileV2,
          maxPageSize: server.maxPageSize,
        }),
      ),
  );

  app.get(
    '/api/v2/mobile-devices/detail',
    { schema: described('GET', '/api/v2/mobile-devices/detail') },
    async (request, reply) => {
      const query = queryOf(request);
      const sections = parseSections(query.section, MOBILE_SECTIONS, ['GENERAL']);
      const view = server.mobileView();
      return sendJson(
        reply,
        200,
        search(state.mobiles.list, query, {
          filter: MOBILE_DETAIL_FILTER_FIELDS,
          sort: MOBILE_DETAIL_SORT_FIELDS,
          defaultSort: ['displayName:asc'],
          render: (m) => renderMobileInventory(m, sections, view),
          maxPageSize: server.maxPageSize,
        }),
      );
    },
  );

  app.get(
    '/api/v2/mobile-devices/:id',
    { schema: described('GET', '/api/v2/mobile-devices/:id') },
    async (request, reply) => sendJson(reply, 200, renderMobileV2(state.requireMobile(param(request, 'id')))),
  );

  app.get(
    '/api/v2/mobile-devices/:id/detail',
    { schema: described('GET', '/api/v2/mobile-devices/:id/detail') },
    async (request, reply) =>
      sendJson(
        reply,
        200,
        renderMobileDetail(state.requireMobile(param(request, 'id')), server.mobileView()),
      ),
  );

  app.patch(
    '/api/v2/mobile-devices/:id',
    { schema: described('PATCH', '/api/v2/mobile-devices/:id') },
    async (request, reply) => {
      const device = state.requireMobile(param(request, 'id'));
      const patch = parseMobilePatch(jsonBody(request), state.mobileEas, state.departments);
      applyMobilePatch(device, patch);
      state.deviceChanged(device);
      return sendJson(reply, 200, renderMobileDetail(device, server.mobileView(), false));
    },
  );

  app.post(
    '/api/v1/mobile-devices/:id/recalculate-smart-groups',
    { schema: described('POST', '/api/v1/mobile-devices/:id/recalculate-smart-groups') },
    async (request, reply) => {
      const device = state.requireMobile(param(request, 'id'));
      return sendJson(reply, 200, { count: state.deviceChanged(device) });
    },
  );
}
