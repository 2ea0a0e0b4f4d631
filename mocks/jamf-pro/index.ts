/**
 * The mock Jamf Pro server: a stateful fastify app speaking the Jamf Pro API (`/api`) and the Classic API
 * (`/JSSResource`) over the lab's seeded fleet, with lab controls under `/_lab/`. `buildJamfProMock`
 * returns an app that does not listen (use `inject()`, msw, or `listen()` yourself); `jamfProPlugin`
 * mounts the same routes in an app of your own. See README.md for every endpoint and every choice made
 * where Jamf is undocumented.
 * @module
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { useRouteSchemas } from '../../harness/ssf/index.ts';
import { jamfProPlugin } from './plugin.ts';
import { type JamfProCredentials, type JamfProMockOptions, JamfProServer } from './server.ts';

export type { ApiClientAccount, TokenLifetimes, UserAccount } from './auth.ts';
export { type JamfProPluginOptions, jamfProPlugin } from './plugin.ts';
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_USERNAME,
  type JamfProCredentials,
  type JamfProMockOptions,
  JamfProServer,
} from './server.ts';

/** What `buildJamfProMock` decorates the app with (`app.jamfPro`). */
export interface JamfProHandle {
  /** Client ids and secrets, user names and passwords, and the base URL (never served over HTTP). */
  readonly credentials: JamfProCredentials;
  /** The server behind the routes (state, tokens), for labs that compose mocks in-process. */
  readonly server: JamfProServer;
  /** Back to the seeded fleet (same as `POST /_lab/reset`). */
  reset(): void;
}

// Optional on purpose: only apps built by `buildJamfProMock` carry it. (A fastify instance is thenable, so an
// intersection type on the returned promise would be flattened away; augmentation is fastify's own way.)
declare module 'fastify' {
  interface FastifyInstance {
    jamfPro?: JamfProHandle;
  }
}

/** Builds the mock; the returned app is ready and does not listen. `app.jamfPro` holds the credentials. */
export async function buildJamfProMock(options: JamfProMockOptions = {}): Promise<FastifyInstance> {
  const server = new JamfProServer(options);
  const app = Fastify({ logger: false });
  useRouteSchemas(app);
  const handle: JamfProHandle = {
    credentials: server.credentials,
    server,
    reset: () => server.state.reset(),
  };
  app.decorate('jamfPro', handle);
  await app.register(jamfProPlugin, { server });
  await app.ready();
  return app;
}

/** The handle of an app built by `buildJamfProMock`, typed; throws for any other app. */
export function jamfProOf(app: FastifyInstance): JamfProHandle {
  if (!app.jamfPro) throw new TypeError('this fastify app was not built by buildJamfProMock');
  return app.jamfPro;
}
