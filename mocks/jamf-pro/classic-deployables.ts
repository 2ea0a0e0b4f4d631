/**
 * Configuration profiles and apps on the Classic API: `/JSSResource/osxconfigurationprofiles`,
 * `/JSSResource/mobiledeviceconfigurationprofiles`, `/JSSResource/macapplications` and
 * `/JSSResource/mobiledeviceapplications`. List, read by `id` or `name`, create (`POST …/id/0` → 201 with
 * `<os_x_configuration_profile><id>N</id></os_x_configuration_profile>`), update, delete. What is in scope
 * shows up in the devices' inventory (configuration profiles and applications sections).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClassicList } from './classic-format.ts';
import { classicDeployable, DEPLOYABLES, type Deployable, type DeployableKind } from './deployables.ts';
import { notFound } from './errors.ts';
import { param, sendClassic, sendClassicId, xmlBody } from './http.ts';
import { classicCollection } from './schemas/classic-api.ts';
import type { JamfProServer } from './server.ts';

export function registerClassicDeployables(app: FastifyInstance, server: JamfProServer): void {
  const store = () => server.state.deployables;

  for (const kind of Object.keys(DEPLOYABLES) as DeployableKind[]) {
    const spec = DEPLOYABLES[kind];
    const base = `/JSSResource/${kind}`;
    const schemas = classicCollection(spec.listRoot, spec.root);
    const dir = () => server.scopeDirectory(spec.device);
    const lookupOf = (request: FastifyRequest): 'id' | 'name' => {
      const lookup = param(request, 'lookup').toLowerCase();
      if (lookup !== 'id' && lookup !== 'name') throw notFound('resource', param(request, 'lookup'));
      return lookup;
    };
    const find = (request: FastifyRequest): Deployable =>
      store().require(kind, lookupOf(request), param(request, 'value'));

    app.get(base, { schema: schemas.list }, async (request, reply) =>
      sendClassic(
        request,
        reply,
        200,
        spec.listRoot,
        new ClassicList(
          spec.root,
          store()
            .list(kind)
            .map((d) => ({ id: d.id, name: d.name })),
        ),
      ),
    );
    app.get(`${base}/:lookup/:value`, { schema: schemas.read }, async (request, reply) =>
      sendClassic(request, reply, 200, spec.root, classicDeployable(find(request), dir())),
    );
    const create = async (request: FastifyRequest, reply: FastifyReply) => {
      const input = store().parse(kind, xmlBody(request), dir(), server.nowIso());
      return sendClassicId(reply, 201, spec.root, store().create(input).id);
    };
    app.post(base, { schema: schemas.createAtBase }, create);
    app.post(`${base}/:lookup/:value`, { schema: schemas.create }, async (request, reply) => {
      if (lookupOf(request) !== 'id') throw notFound(spec.root, param(request, 'value'));
      return create(request, reply);
    });
    app.put(`${base}/:lookup/:value`, { schema: schemas.update }, async (request, reply) => {
      const current = find(request);
      const input = store().parse(kind, xmlBody(request), dir(), server.nowIso(), current);
      return sendClassicId(reply, 201, spec.root, store().replace(current, input).id);
    });
    app.delete(`${base}/:lookup/:value`, { schema: schemas.remove }, async (request, reply) => {
      const current = find(request);
      store().delete(current);
      return sendClassicId(reply, 200, spec.root, current.id);
    });
  }
}
