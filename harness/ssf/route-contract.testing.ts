/**
 * The route-contract ledger the mocks' contract tests share: watch an app's answers, then ask which
 * declared routes were never answered, which never succeeded, and which answers broke their declared
 * response schema. Every route is read from the app itself (`declaredRoutes`), so a route added later
 * without an exercise fails the coverage assertion instead of going unnoticed.
 */
import type { FastifyInstance } from 'fastify';
import {
  type DeclaredRoute,
  declaredRoutes,
  type ObservedAnswer,
  observeResponses,
} from './route-schemas.ts';

export interface RouteLedger {
  /** Stops observing. */
  readonly stop: () => void;
  readonly answers: readonly ObservedAnswer[];
  /** `METHOD url` of each declared route no answer was seen for. */
  readonly unanswered: () => string[];
  /** `METHOD url` of each declared route that never answered 2xx or 3xx. */
  readonly neverSucceeded: () => string[];
  /** `METHOD url status: problem` for each answer that broke its declared schema. */
  readonly violations: () => string[];
  /** `METHOD url (part)` of each route missing a declaration: response always, body on POST/PUT/PATCH. */
  readonly undeclared: () => string[];
}

const key = (r: { method: string; url: string }): string => `${r.method} ${r.url}`;

/** What a route must declare: its answers always, its body when the method carries one, its path parameters. */
function missingParts(route: DeclaredRoute): string[] {
  const missing: string[] = [];
  const schema = route.schema as Record<string, unknown> | undefined;
  if (schema?.response === undefined) missing.push('response');
  if (['POST', 'PUT', 'PATCH'].includes(route.method) && schema?.body === undefined) missing.push('body');
  if (route.url.includes(':') && schema?.params === undefined) missing.push('params');
  return missing;
}

export function watchRoutes(...apps: FastifyInstance[]): RouteLedger {
  const answers: ObservedAnswer[] = [];
  const stops = apps.map((app) => observeResponses(app, (a) => answers.push(a)));
  const routes = (): DeclaredRoute[] => apps.flatMap((app) => [...declaredRoutes(app)]);
  return {
    stop: () => {
      for (const stop of stops) stop();
    },
    answers,
    unanswered: () => {
      const seen = new Set(answers.map(key));
      return routes()
        .map(key)
        .filter((k) => !seen.has(k));
    },
    neverSucceeded: () => {
      const ok = new Set(answers.filter((a) => a.status < 400).map(key));
      return routes()
        .map(key)
        .filter((k) => !ok.has(k));
    },
    violations: () => answers.flatMap((a) => a.problems.map((p) => `${a.method} ${a.url} ${a.status}: ${p}`)),
    undeclared: () => routes().flatMap((r) => missingParts(r).map((part) => `${key(r)} (${part})`)),
  };
}
