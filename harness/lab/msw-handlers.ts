/**
 * The lab's msw request handlers (`labHandlers`, exported by `ssf-lab/msw`). A module of their own so
 * that msw — about half a second to load — is loaded only by a process that intercepts in-process: the
 * lab's own hidden interceptor, or a user's msw server. `ssf-lab run`, `certify` and `serve` never are.
 */
import { http, type RequestHandler } from 'msw';
import { answerForLab } from './intercept.ts';

/**
 * The lab's msw request handlers: a request for an origin an in-process lab of this process serves is
 * answered by that lab's mock; any other request falls through to the handlers after these (or, when none
 * answers, to the network). They route to whichever labs are running when a request is made, so they can
 * be given to `setupServer` before any lab starts and survive `server.resetHandlers()`.
 */
export const labHandlers: readonly RequestHandler[] = [http.all('*', ({ request }) => answerForLab(request))];
