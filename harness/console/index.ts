/**
 * The lab console: the seed's whole flow, live, in a browser — Fleet, Streams, Timeline, Okta — served
 * on a port of its own beside a running lab, behind the lab admin token.
 * @module
 */
export { CHANGE_HEADER } from './console-app.ts';
export { SESSION_COOKIE } from './console-auth.ts';
export type { ScenarioFile } from './runs.ts';
export { type ConsoleOptions, type LabConsole, startConsole } from './start-console.ts';
