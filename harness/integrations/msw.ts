/**
 * `ssf-lab/msw`: the in-process lab inside a test suite that already uses msw. One process has one msw
 * server (two patch the same globals and hide each other's handlers), so yours carries the lab's handlers:
 *
 *   const server = setupServer(...yourHandlers, ...labHandlers);
 *   server.listen({ onUnhandledRequest: 'bypass' });
 *   const lab = await startLab({ msw: server });
 *
 * The lab's handlers answer requests for the origins of the in-process labs running in this process
 * (`https://acme.okta.lab`, …) and pass every other request on to the handlers after them, so put yours
 * first or last as you like. They are ordinary initial handlers: `server.resetHandlers()` keeps them.
 * Requests the lab's services make to URLs outside the lab (a receiver you mock with msw, or one on
 * 127.0.0.1) go through the process's fetch, so your handlers answer them too.
 * @module
 */
export type { MswServerLike } from '../lab/index.ts';
export { labHandlers } from '../lab/msw-handlers.ts';
