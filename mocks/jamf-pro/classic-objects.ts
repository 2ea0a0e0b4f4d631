/**
 * Extension attribute definitions and groups on the Classic API: `/JSSResource/computerextensionattributes`,
 * `/JSSResource/mobiledeviceextensionattributes`, `/JSSResource/computergroups` and
 * `/JSSResource/mobiledevicegroups`. Lists, one object by `id` or `name`, create with `POST …/id/0` (a POST
 * to the collection is accepted too), update with PUT and DELETE. They share the Pro API's registries, so a
 * definition created here is the one a smart group's criteria name and the Pro API lists.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClassicList, type ClassicObject } from './classic-format.ts';
import type { DeviceRecord } from './devices.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { classicEa, type EaDefinition, type EaKind, parseClassicEa } from './extension-attributes.ts';
import { classicCriteria, type GroupRecord, type GroupSpec, parseClassicCriteria } from './groups.ts';
import { param, sendClassic, sendClassicId, xmlBody } from './http.ts';
import { classicCollection } from './schemas/classic-api.ts';
import type { JamfProServer } from './server.ts';
import { child, childrenNamed, childText, type XmlElement } from './xml.ts';

type Lookup = 'id' | 'name';

function lookupOf(request: FastifyRequest): Lookup {
  const lookup = param(request, 'lookup').toLowerCase();
  if (lookup !== 'id' && lookup !== 'name') throw notFound('resource', param(request, 'lookup'));
  return lookup;
}

export function registerClassicObjects(app: FastifyInstance, server: JamfProServer): void {
  const state = server.state;

  const eaRoutes: readonly [EaKind, string, string, string][] = [
    [
      'computer',
      '/JSSResource/computerextensionattributes',
      'computer_extension_attributes',
      'computer_extension_attribute',
    ],
    [
      'mobile',
      '/JSSResource/mobiledeviceextensionattributes',
      'mobile_device_extension_attributes',
      'mobile_device_extension_attribute',
    ],
  ];
  for (const [kind, base, listRoot, root] of eaRoutes) {
    const schemas = classicCollection(listRoot, root);
    const registry = () => state.eas(kind);
    const find = (request: FastifyRequest): EaDefinition => {
      const value = param(request, 'value');
      const def = lookupOf(request) === 'id' ? registry().get(Number(value)) : registry().byName(value);
      if (!def) throw notFound(root, value);
      return def;
    };
    const checkRoot = (el: XmlElement) => {
      if (el.name !== root) throw invalid('root', `Error: the root element must be <${root}>`);
      return el;
    };

    app.get(base, { schema: schemas.list }, async (request, reply) =>
      sendClassic(
        request,
        reply,
        200,
        listRoot,
        new ClassicList(
          root,
          registry()
            .list()
            .map((d) =>
              kind === 'computer'
                ? { id: d.id, name: d.name, enabled: d.enabled }
                : { id: d.id, name: d.name },
            ),
        ),
      ),
    );
    app.get(`${base}/:lookup/:value`, { schema: schemas.read }, async (request, reply) =>
      sendClassic(request, reply, 200, root, classicEa(find(request), kind)),
    );
    const create = async (request: FastifyRequest, reply: FastifyReply) => {
      const def = registry().create(parseClassicEa(checkRoot(xmlBody(request)), kind));
      return sendClassicId(reply, 201, root, def.id);
    };
    app.post(base, { schema: schemas.createAtBase }, create);
    app.post(`${base}/:lookup/:value`, { schema: schemas.create }, async (request, reply) => {
      if (lookupOf(request) !== 'id') throw notFound(root, param(request, 'value'));
      return create(request, reply);
    });
    app.put(`${base}/:lookup/:value`, { schema: schemas.update }, async (request, reply) => {
      const current = find(request);
      const def = registry().replace(current.id, parseClassicEa(checkRoot(xmlBody(request)), kind, current));
      state.eaDefinitionsChanged(kind, { from: current.name, to: def.name });
      return sendClassicId(reply, 201, root, def.id);
    });
    app.delete(`${base}/:lookup/:value`, { schema: schemas.remove }, async (request, reply) => {
      const def = find(request);
      const users = state.groups(kind).referencing(def.name);
      if (users.length > 0)
        throw conflict('id', `Error: extension attribute is used by smart group ${users[0]?.name}`);
      state.forgetEa(kind, def);
      registry().delete(def.id);
      return sendClassicId(reply, 200, root, def.id);
    });
  }

  const groupRoutes: readonly ['computer' | 'mobile', string, string, string, string][] = [
    ['computer', '/JSSResource/computergroups', 'computer_groups', 'computer_group', 'computer'],
    [
      'mobile',
      '/JSSResource/mobiledevicegroups',
      'mobile_device_groups',
      'mobile_device_group',
      'mobile_device',
    ],
  ];
  for (const [kind, base, listRoot, root, member] of groupRoutes) {
    const schemas = classicCollection(listRoot, root);
    const store = () => state.groups(kind);
    const device = (id: number): DeviceRecord | undefined =>
      kind === 'computer' ? state.computers.byId(id) : state.mobiles.byId(id);
    const find = (request: FastifyRequest): GroupRecord => {
      const value = param(request, 'value');
      const group = lookupOf(request) === 'id' ? store().get(Number(value)) : store().byName(value);
      if (!group) throw notFound(root, value);
      return group;
    };
    const render = (g: GroupRecord): ClassicObject => ({
      id: g.id,
      name: g.name,
      is_smart: g.smart,
      site: { id: g.siteId, name: 'None' },
      criteria: classicCriteria(g.criteria),
      [`${member}s`]: new ClassicList(
        member,
        [...g.members]
          .sort((a, b) => a - b)
          .flatMap((id) => device(id) ?? [])
          .map(
            (d): ClassicObject =>
              d.kind === 'computer'
                ? {
                    id: d.id,
                    name: d.name,
                    mac_address: d.macAddress,
                    alt_mac_address: d.altMacAddress,
                    serial_number: d.serialNumber,
                  }
                : {
                    id: d.id,
                    name: d.name,
                    mac_address: d.wifiMacAddress,
                    udid: d.udid,
                    wifi_mac_address: d.wifiMacAddress,
                    serial_number: d.serialNumber,
                  },
          ),
      ),
    });
    /** Reads a group body; on update, what is not sent stays. */
    const spec = (el: XmlElement, current?: GroupRecord): GroupSpec => {
      if (el.name !== root) throw invalid('root', `Error: the root element must be <${root}>`);
      const smartText = childText(el, 'is_smart');
      const smart = current ? current.smart : smartText?.toLowerCase() === 'true';
      if (current && smartText !== undefined && (smartText.toLowerCase() === 'true') !== current.smart)
        throw invalid('is_smart', 'Error: a group cannot change between smart and static');
      const members = child(el, `${member}s`);
      const memberIds = childrenNamed(members, member).map((m) => {
        const id = Number(childText(m, 'id'));
        if (!Number.isSafeInteger(id) || !device(id))
          throw invalid(`${member}s`, `Error: Problem with ${member} ${childText(m, 'id') ?? ''}`);
        return id;
      });
      const criteria = child(el, 'criteria');
      return {
        name: childText(el, 'name') ?? current?.name ?? '',
        description: current?.description ?? '',
        siteId: -1,
        smart,
        criteria: criteria ? parseClassicCriteria(criteria) : (current?.criteria ?? []),
        members: members ? memberIds : [...(current?.members ?? [])],
      };
    };
    app.get(base, { schema: schemas.list }, async (request, reply) =>
      sendClassic(
        request,
        reply,
        200,
        listRoot,
        new ClassicList(
          root,
          store()
            .list()
            .map((g) => ({ id: g.id, name: g.name, is_smart: g.smart })),
        ),
      ),
    );
    app.get(`${base}/:lookup/:value`, { schema: schemas.read }, async (request, reply) =>
      sendClassic(request, reply, 200, root, render(find(request))),
    );
    const create = async (request: FastifyRequest, reply: FastifyReply) => {
      const group = store().create(spec(xmlBody(request)));
      return sendClassicId(reply, 201, root, group.id);
    };
    app.post(base, { schema: schemas.createAtBase }, create);
    app.post(`${base}/:lookup/:value`, { schema: schemas.create }, async (request, reply) => {
      if (lookupOf(request) !== 'id') throw notFound(root, param(request, 'value'));
      return create(request, reply);
    });
    app.put(`${base}/:lookup/:value`, { schema: schemas.update }, async (request, reply) => {
      const group = find(request);
      store().update(group, spec(xmlBody(request), group));
      return sendClassicId(reply, 201, root, group.id);
    });
    app.delete(`${base}/:lookup/:value`, { schema: schemas.remove }, async (request, reply) => {
      const group = find(request);
      store().delete(group);
      return sendClassicId(reply, 200, root, group.id);
    });
  }
}
