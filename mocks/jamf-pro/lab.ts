/**
 * Lab-only controls, under `/_lab/` so they can never collide with a Jamf path: a summary of the state
 * (device counts, groups with member counts, extension attribute definitions) for humans and scenario
 * runners, and a reset back to the seeded fleet. There is deliberately no endpoint for credentials: a lab
 * reads them from `app.jamfPro.credentials`, so secrets never travel over HTTP or into a record.
 */
import type { FastifyInstance } from 'fastify';
import { sendJson } from './http.ts';
import { LAB_RESET, LAB_STATE } from './schemas/pro-api.ts';
import type { JamfProServer } from './server.ts';

export function registerLab(app: FastifyInstance, server: JamfProServer): void {
  app.get('/_lab/state', { schema: LAB_STATE }, async (_request, reply) =>
    sendJson(reply, 200, server.summary()),
  );
  app.post('/_lab/reset', { schema: LAB_RESET }, async (_request, reply) => {
    server.state.reset();
    return sendJson(reply, 200, server.summary());
  });
}
