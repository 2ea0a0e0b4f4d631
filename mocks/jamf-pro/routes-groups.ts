/**
 * Groups on the Jamf Pro API. In 11.7.1: the plain group lists (`/api/v1/computer-groups` with string ids and
 * `smartGroup`, `/api/v1/mobile-device-groups` with integer ids and `isSmartGroup` — the difference is
 * Jamf's), mobile static groups with their membership, and the smart-group recalculation actions. Newer
 * than 11.7.1 (vendor-apis.md §2.5): computer smart groups under `/api/v2/computer-groups/smart-groups`
 * with `{members}` membership, minimal computer static groups, and mobile smart groups under
 * `/api/v1/mobile-device-groups/smart-groups`.
 */
import type { FastifyInstance } from 'fastify';
import {
  isObject,
  type JsonObject,
  join,
  optArray,
  optId,
  optObject,
  optString,
  requireBody,
} from './body.ts';
import type { ComputerRecord, MobileRecord } from './devices.ts';
import { invalid } from './errors.ts';
import {
  type GroupRecord,
  type GroupSpec,
  type GroupStore,
  parseProCriteria,
  proCriteria,
} from './groups.ts';
import { jsonBody, param, queryOf, sendJson } from './http.ts';
import {
  MOBILE_DETAIL_FILTER_FIELDS,
  MOBILE_DETAIL_SORT_FIELDS,
  renderInventoryListMobile,
} from './mobile-inventory.ts';
import { search } from './query.ts';
import type { RsqlField } from './rsql.ts';
import {
  COMPUTER_SMART_GROUPS,
  COMPUTER_STATIC_GROUPS,
  described,
  MOBILE_SMART_GROUPS,
} from './schemas/pro-api.ts';
import type { JamfProServer } from './server.ts';

function siteOf(o: JsonObject, path: string): number {
  const site = optObject(o, 'site', path);
  const id = optId(o, 'siteId', path) ?? (site ? optId(site, 'id', join(path, 'site')) : undefined);
  if (id !== undefined && id !== '-1' && id !== '')
    throw invalid(site ? 'site.id' : 'siteId', `there is no site with id ${id}`);
  return -1;
}

function memberIds(
  items: readonly unknown[] | undefined,
  field: string,
  exists: (id: number) => boolean,
): number[] {
  return (items ?? []).map((item, i) => {
    const at = join(field, i);
    const id =
      typeof item === 'number'
        ? item
        : typeof item === 'string' && /^\d+$/.test(item)
          ? Number(item)
          : Number.NaN;
    if (!Number.isSafeInteger(id)) throw invalid(at, `${at} must be a device id`);
    if (!exists(id)) throw invalid(at, `there is no device with id ${id}`);
    return id;
  });
}

const GROUP_FIELDS = new Map<string, RsqlField<GroupRecord>>([
  ['id', { type: 'number', get: (g) => g.id }],
  ['name', { type: 'string', get: (g) => g.name }],
  ['siteId', { type: 'number', get: (g) => g.siteId }],
]);
const MOBILE_GROUP_FIELDS = new Map<string, RsqlField<GroupRecord>>([
  ['groupId', { type: 'number', get: (g) => g.id }],
  ['groupName', { type: 'string', get: (g) => g.name }],
  ['siteId', { type: 'number', get: (g) => g.siteId }],
]);

export function registerGroupRoutes(app: FastifyInstance, server: JamfProServer): void {
  const state = server.state;
  const computers = (): GroupStore<ComputerRecord> => state.computerGroups;
  const mobiles = (): GroupStore<MobileRecord> => state.mobileGroups;
  const computerExists = (id: number) => state.computers.byId(id) !== undefined;
  const mobileExists = (id: number) => state.mobiles.byId(id) !== undefined;

  app.get(
    '/api/v1/computer-groups',
    { schema: described('GET', '/api/v1/computer-groups') },
    async (_request, reply) =>
      sendJson(
        reply,
        200,
        computers()
          .list()
          .map((g) => ({ id: String(g.id), name: g.name, smartGroup: g.smart })),
      ),
  );

  app.get(
    '/api/v1/mobile-device-groups',
    { schema: described('GET', '/api/v1/mobile-device-groups') },
    async (_request, reply) =>
      sendJson(
        reply,
        200,
        mobiles()
          .list()
          .map((g) => ({ id: g.id, name: g.name, isSmartGroup: g.smart })),
      ),
  );

  // Computer smart groups (v2).
  const SMART = '/api/v2/computer-groups/smart-groups';
  const smartItem = (g: GroupRecord) => ({
    id: String(g.id),
    name: g.name,
    description: g.description,
    siteId: String(g.siteId),
    membershipCount: g.members.size,
  });
  const smartFull = (g: GroupRecord) => ({ ...smartItem(g), criteria: proCriteria(g.criteria) });
  const computerSmartSpec = (body: unknown): GroupSpec => {
    const o = requireBody(body);
    const name = optString(o, 'name', '');
    if (name === undefined) throw invalid('name', 'name is required', 'MISSING_FIELD');
    return {
      name,
      description: optString(o, 'description', '') ?? '',
      siteId: siteOf(o, ''),
      smart: true,
      criteria: parseProCriteria(optArray(o, 'criteria', '')),
      members: [],
    };
  };

  app.get(SMART, { schema: COMPUTER_SMART_GROUPS.list }, async (request, reply) =>
    sendJson(
      reply,
      200,
      search(computers().list({ smart: true }), queryOf(request), {
        filter: GROUP_FIELDS,
        sort: GROUP_FIELDS,
        defaultSort: ['id:asc'],
        render: smartItem,
        maxPageSize: server.maxPageSize,
      }),
    ),
  );
  app.post(SMART, { schema: COMPUTER_SMART_GROUPS.create }, async (request, reply) => {
    const group = computers().create(computerSmartSpec(jsonBody(request)));
    return sendJson(reply, 201, { id: String(group.id), href: server.href(`${SMART}/${group.id}`) });
  });
  app.get(`${SMART}/:id`, { schema: COMPUTER_SMART_GROUPS.read }, async (request, reply) =>
    sendJson(reply, 200, smartFull(computers().require(param(request, 'id'), true))),
  );
  app.put(`${SMART}/:id`, { schema: COMPUTER_SMART_GROUPS.replace }, async (request, reply) => {
    const group = computers().require(param(request, 'id'), true);
    return sendJson(reply, 200, smartFull(computers().update(group, computerSmartSpec(jsonBody(request)))));
  });
  app.delete(`${SMART}/:id`, { schema: COMPUTER_SMART_GROUPS.remove }, async (request, reply) => {
    computers().delete(computers().require(param(request, 'id'), true));
    return reply.code(204).send();
  });
  app.get(
    '/api/v2/computer-groups/smart-group-membership/:id',
    { schema: COMPUTER_SMART_GROUPS.membership },
    async (request, reply) => {
      const group = computers().require(param(request, 'id'), true);
      return sendJson(reply, 200, { members: [...group.members].sort((a, b) => a - b) });
    },
  );
  app.post(
    '/api/v1/smart-computer-groups/:id/recalculate',
    { schema: described('POST', '/api/v1/smart-computer-groups/:id/recalculate') },
    async (request, reply) => {
      const group = computers().require(param(request, 'id'), true);
      return sendJson(reply, 200, { count: computers().recalculateGroup(group) });
    },
  );

  // Computer static groups (v2, minimal).
  const STATIC = '/api/v2/computer-groups/static-groups';
  const staticItem = (g: GroupRecord) => ({
    id: String(g.id),
    name: g.name,
    description: g.description,
    siteId: String(g.siteId),
    count: g.members.size,
  });
  const computerStaticSpec = (body: unknown): GroupSpec => {
    const o = requireBody(body);
    const name = optString(o, 'name', '');
    if (name === undefined) throw invalid('name', 'name is required', 'MISSING_FIELD');
    const field = o.assignments !== undefined ? 'assignments' : 'computerIds';
    return {
      name,
      description: optString(o, 'description', '') ?? '',
      siteId: siteOf(o, ''),
      smart: false,
      criteria: [],
      members: memberIds(optArray(o, field, ''), field, computerExists),
    };
  };
  app.get(STATIC, { schema: COMPUTER_STATIC_GROUPS.list }, async (request, reply) =>
    sendJson(
      reply,
      200,
      search(computers().list({ smart: false }), queryOf(request), {
        filter: GROUP_FIELDS,
        sort: GROUP_FIELDS,
        defaultSort: ['id:asc'],
        render: staticItem,
        maxPageSize: server.maxPageSize,
      }),
    ),
  );
  app.post(STATIC, { schema: COMPUTER_STATIC_GROUPS.create }, async (request, reply) => {
    const group = computers().create(computerStaticSpec(jsonBody(request)));
    return sendJson(reply, 201, { id: String(group.id), href: server.href(`${STATIC}/${group.id}`) });
  });
  app.get(`${STATIC}/:id`, { schema: COMPUTER_STATIC_GROUPS.read }, async (request, reply) => {
    const group = computers().require(param(request, 'id'), false);
    return sendJson(reply, 200, { ...staticItem(group), assignments: [...group.members].map(String) });
  });
  app.put(`${STATIC}/:id`, { schema: COMPUTER_STATIC_GROUPS.replace }, async (request, reply) => {
    const group = computers().require(param(request, 'id'), false);
    const updated = computers().update(group, computerStaticSpec(jsonBody(request)));
    return sendJson(reply, 200, { ...staticItem(updated), assignments: [...updated.members].map(String) });
  });
  app.delete(`${STATIC}/:id`, { schema: COMPUTER_STATIC_GROUPS.remove }, async (request, reply) => {
    computers().delete(computers().require(param(request, 'id'), false));
    return reply.code(204).send();
  });

  // Mobile smart groups (v1, newer than 11.7.1).
  const MSMART = '/api/v1/mobile-device-groups/smart-groups';
  const mobileSmartItem = (g: GroupRecord) => ({
    groupId: String(g.id),
    groupName: g.name,
    groupDescription: g.description,
    siteId: String(g.siteId),
    count: g.members.size,
  });
  const mobileSmartSpec = (body: unknown): GroupSpec => {
    const o = requireBody(body);
    const name = optString(o, 'groupName', '');
    if (name === undefined) throw invalid('groupName', 'groupName is required', 'MISSING_FIELD');
    return {
      name,
      description: optString(o, 'groupDescription', '') ?? '',
      siteId: siteOf(o, ''),
      smart: true,
      criteria: parseProCriteria(optArray(o, 'criteria', '')),
      members: [],
    };
  };
  const membersPage = (group: GroupRecord, request: Parameters<typeof queryOf>[0]) => {
    const view = server.mobileView();
    const devices = [...group.members].flatMap((id) => state.mobiles.byId(id) ?? []);
    return search(devices, queryOf(request), {
      filter: MOBILE_DETAIL_FILTER_FIELDS,
      sort: MOBILE_DETAIL_SORT_FIELDS,
      defaultSort: ['mobileDeviceId:asc'],
      render: (m) => renderInventoryListMobile(m, view),
      maxPageSize: server.maxPageSize,
    });
  };
  app.get(MSMART, { schema: MOBILE_SMART_GROUPS.list }, async (request, reply) =>
    sendJson(
      reply,
      200,
      search(mobiles().list({ smart: true }), queryOf(request), {
        filter: MOBILE_GROUP_FIELDS,
        sort: MOBILE_GROUP_FIELDS,
        defaultSort: ['groupId:asc'],
        render: mobileSmartItem,
        maxPageSize: server.maxPageSize,
      }),
    ),
  );
  app.post(MSMART, { schema: MOBILE_SMART_GROUPS.create }, async (request, reply) => {
    const group = mobiles().create(mobileSmartSpec(jsonBody(request)));
    return sendJson(reply, 201, { id: String(group.id), href: server.href(`${MSMART}/${group.id}`) });
  });
  app.get(`${MSMART}/:id`, { schema: MOBILE_SMART_GROUPS.read }, async (request, reply) => {
    const group = mobiles().require(param(request, 'id'), true);
    return sendJson(reply, 200, { ...mobileSmartItem(group), criteria: proCriteria(group.criteria) });
  });
  app.put(`${MSMART}/:id`, { schema: MOBILE_SMART_GROUPS.replace }, async (request, reply) => {
    const group = mobiles().update(
      mobiles().require(param(request, 'id'), true),
      mobileSmartSpec(jsonBody(request)),
    );
    return sendJson(reply, 200, { ...mobileSmartItem(group), criteria: proCriteria(group.criteria) });
  });
  app.delete(`${MSMART}/:id`, { schema: MOBILE_SMART_GROUPS.remove }, async (request, reply) => {
    mobiles().delete(mobiles().require(param(request, 'id'), true));
    return reply.code(204).send();
  });
  app.get(
    '/api/v1/mobile-device-groups/smart-group-membership/:id',
    { schema: MOBILE_SMART_GROUPS.membership },
    async (request, reply) =>
      sendJson(reply, 200, membersPage(mobiles().require(param(request, 'id'), true), request)),
  );
  app.post(
    '/api/v1/smart-mobile-device-groups/:id/recalculate',
    { schema: described('POST', '/api/v1/smart-mobile-device-groups/:id/recalculate') },
    async (request, reply) => {
      const group = mobiles().require(param(request, 'id'), true);
      return sendJson(reply, 200, { count: mobiles().recalculateGroup(group) });
    },
  );

  // Mobile static groups (11.7.1).
  const MSTATIC = '/api/v1/mobile-device-groups/static-groups';
  const staticSummary = (g: GroupRecord) => ({
    groupId: String(g.id),
    groupName: g.name,
    siteId: String(g.siteId),
    count: g.members.size,
  });
  /** `StaticGroupAssignment`: `assignments[{mobileDeviceId, selected}]` adds (true) or removes (false). */
  const readAssignments = (o: JsonObject, current: ReadonlySet<number>): number[] => {
    const members = new Set(current);
    (optArray(o, 'assignments', '') ?? []).forEach((item, i) => {
      const at = join('assignments', i);
      if (!isObject(item)) throw invalid(at, `${at} must be an object`);
      const [id] = memberIds([optId(item, 'mobileDeviceId', at)], join(at, 'mobileDeviceId'), mobileExists);
      if (id === undefined) return;
      if (item.selected === false) members.delete(id);
      else members.add(id);
    });
    return [...members];
  };
  const assignmentView = (g: GroupRecord) => ({
    groupId: String(g.id),
    groupName: g.name,
    siteId: String(g.siteId),
    assignments: [...g.members]
      .sort((a, b) => a - b)
      .map((id) => ({ mobileDeviceId: String(id), selected: true })),
  });
  app.get(MSTATIC, { schema: described('GET', MSTATIC) }, async (request, reply) =>
    sendJson(
      reply,
      200,
      search(mobiles().list({ smart: false }), queryOf(request), {
        filter: MOBILE_GROUP_FIELDS,
        sort: MOBILE_GROUP_FIELDS,
        defaultSort: ['groupId:asc'],
        render: staticSummary,
        maxPageSize: server.maxPageSize,
      }),
    ),
  );
  app.post(MSTATIC, { schema: described('POST', MSTATIC) }, async (request, reply) => {
    const o = requireBody(jsonBody(request));
    const name = optString(o, 'groupName', '');
    if (name === undefined) throw invalid('groupName', 'groupName is required', 'MISSING_FIELD');
    const group = mobiles().create({
      name,
      description: '',
      siteId: siteOf(o, ''),
      smart: false,
      criteria: [],
      members: readAssignments(o, new Set()),
    });
    return sendJson(reply, 201, { id: String(group.id), href: server.href(`${MSTATIC}/${group.id}`) });
  });
  app.get(`${MSTATIC}/:id`, { schema: described('GET', `${MSTATIC}/:id`) }, async (request, reply) => {
    const g = mobiles().require(param(request, 'id'), false);
    return sendJson(reply, 200, { groupId: String(g.id), groupName: g.name, siteId: String(g.siteId) });
  });
  app.patch(`${MSTATIC}/:id`, { schema: described('PATCH', `${MSTATIC}/:id`) }, async (request, reply) => {
    const group = mobiles().require(param(request, 'id'), false);
    const o = requireBody(jsonBody(request));
    const updated = mobiles().update(group, {
      name: optString(o, 'groupName', '') ?? group.name,
      description: group.description,
      siteId: o.siteId === undefined ? group.siteId : siteOf(o, ''),
      smart: false,
      criteria: [],
      members: readAssignments(o, group.members),
    });
    return sendJson(reply, 200, assignmentView(updated));
  });
  app.delete(`${MSTATIC}/:id`, { schema: described('DELETE', `${MSTATIC}/:id`) }, async (request, reply) => {
    mobiles().delete(mobiles().require(param(request, 'id'), false));
    return reply.code(204).send();
  });
  app.get(
    '/api/v1/mobile-device-groups/static-group-membership/:id',
    { schema: described('GET', '/api/v1/mobile-device-groups/static-group-membership/:id') },
    async (request, reply) =>
      sendJson(reply, 200, membersPage(mobiles().require(param(request, 'id'), false), request)),
  );
}
