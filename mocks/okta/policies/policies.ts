/**
 * The org's one entity risk policy (`type: ENTITY_RISK`, management-minimal.yaml `EntityRiskPolicy` and
 * `EntityRiskPolicyRule`) and its rules. Okta creates the policy with Identity Threat Protection and it cannot
 * be created or deleted through the API (the `CreateOrUpdatePolicy` discriminator has no ENTITY_RISK); it
 * comes with a system "Catch-all rule" at priority 99, `conditions: null` and no action (logging only), which
 * is always last, cannot be deleted or deactivated, and whose conditions cannot be set.
 *
 * Rule priorities follow Okta's OIE policies (the Policy tag's "App sign-in policy" limits: the default rule
 * is 99, the highest priority a rule can take is 0, at most 100 rules): custom rules are numbered 0, 1, 2…
 * without gaps; creating or moving a rule to priority p puts it there and shifts the rules at p and below
 * down by one; a priority past the last custom rule (or none) appends; deleting closes the gap.
 *
 * Rule bodies are checked like Okta checks them — every problem is one E0000001 cause naming the field — and
 * what passes is kept normalized. The rule's TERMINATE_ALL_SESSIONS action may carry `slo: {appSelectionMode:
 * ALL|SPECIFIC|NONE, appInstanceIds}`, the shape Okta published for the same choice on its Continuous Access
 * rule (`ContinuousAccessPolicyRuleTerminateSessionSlo`); without it every app configured for Universal
 * Logout is signed out (../README.md, "Entity risk policy").
 */
import { isObject } from '../apps/app-settings.ts';
import { OktaError, validationFailed } from '../core/errors.ts';

export const RULE_LEVELS = ['ANY', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

/** Okta's `DetectedRiskEvents`. */
export const DETECTED_RISK_EVENTS = [
  'ADMIN_REPORTED_USER_RISK',
  'BRUTE_FORCE_ATTACK',
  'ENTITY_CRITICAL_ACTION_FROM_HIGH_THREAT_IP',
  'OKTA_THREAT_INTELLIGENCE',
  'SECURITY_EVENTS_PROVIDER_REPORTED_RISK',
  'SESSION_INFLUENCED_USER_RISK',
  'SUSPICIOUS_APP_ACCESS',
  'USER_REPORTED_SUSPICIOUS_ACTIVITY',
] as const;

export const APP_SELECTION_MODES = ['ALL', 'SPECIFIC', 'NONE'] as const;
export type AppSelectionMode = (typeof APP_SELECTION_MODES)[number];

/** The policy types Okta lists (`PolicyType`); the lab org holds only the ENTITY_RISK one. */
export const POLICY_TYPES = [
  'ACCESS_POLICY',
  'ENTITY_RISK',
  'IDP_DISCOVERY',
  'MFA_ENROLL',
  'OKTA_SIGN_ON',
  'PASSWORD',
  'POST_AUTH_SESSION',
  'PROFILE_ENROLLMENT',
  'DEVICE_SIGNAL_COLLECTION',
  'SESSION_VIOLATION_DETECTION',
  'CLIENT_UPDATE',
  'IDENTITY_CLAIM_SOURCING',
] as const;

export interface IncludeExclude {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

export interface RuleConditions {
  readonly people?: { readonly users?: IncludeExclude; readonly groups?: IncludeExclude };
  readonly riskDetectionTypes?: IncludeExclude;
  readonly entityRisk?: { readonly level: RuleLevel };
}

export type RuleAction =
  | {
      readonly action: 'TERMINATE_ALL_SESSIONS';
      readonly slo?: {
        readonly appSelectionMode: AppSelectionMode;
        readonly appInstanceIds?: readonly string[];
      };
    }
  | { readonly action: 'RUN_WORKFLOW'; readonly workflow: { readonly id: number } };

export interface EntityRiskRule {
  readonly id: string;
  name: string;
  description?: string;
  status: 'ACTIVE' | 'INACTIVE';
  /** 0… for custom rules (kept contiguous), 99 for the catch-all rule. */
  priority: number;
  readonly system: boolean;
  /** `null`: no conditions (the catch-all rule, or a rule created without any): every change matches. */
  conditions: RuleConditions | null;
  /** Absent: no action (Okta's "logging mode"). */
  action?: RuleAction;
  readonly created: number;
  lastUpdated: number;
}

export interface EntityRiskPolicy {
  readonly id: string;
  name: string;
  description: string;
  readonly created: number;
  lastUpdated: number;
}

/** What rule bodies may refer to, checked at write time. */
export interface PolicyLookups {
  readonly isUser: (id: string) => boolean;
  readonly isGroup: (id: string) => boolean;
  readonly isApp: (id: string) => boolean;
}

export interface EntityRiskPoliciesOptions {
  readonly policyId: string;
  readonly catchAllRuleId: string;
  /** When ITP created the policy (fixed per org, so the same seed gives the same objects). */
  readonly createdAt: number;
  readonly now: () => number;
  readonly newRuleId: () => string;
  readonly lookups: PolicyLookups;
}

export const CATCH_ALL_PRIORITY = 99;
/** Okta's limit for OIE policies: 100 rules, the catch-all included. */
export const MAX_CUSTOM_RULES = 99;
const MAX_NAME = 255;
const MAX_DESCRIPTION = 1024;

/** `403 E0000006` for what the system objects refuse (Okta documents 403 for these operations). */
export const systemObjectRefused = (cause: string): OktaError =>
  new OktaError(403, 'E0000006', 'You do not have permission to perform the requested action', [cause]);

export class EntityRiskPolicies {
  readonly policy: EntityRiskPolicy;
  readonly #now: () => number;
  readonly #newRuleId: () => string;
  readonly #lookups: PolicyLookups;
  readonly #catchAll: EntityRiskRule;
  /** Custom rules in priority order (index = priority). */
  readonly #custom: EntityRiskRule[] = [];

  constructor(options: EntityRiskPoliciesOptions) {
    this.#now = options.now;
    this.#newRuleId = options.newRuleId;
    this.#lookups = options.lookups;
    this.policy = {
      id: options.policyId,
      name: 'Entity Risk Policy',
      description: 'Responds to changes in the entity risk of users',
      created: options.createdAt,
      lastUpdated: options.createdAt,
    };
    this.#catchAll = {
      id: options.catchAllRuleId,
      name: 'Catch-all rule',
      status: 'ACTIVE',
      priority: CATCH_ALL_PRIORITY,
      system: true,
      conditions: null,
      created: options.createdAt,
      lastUpdated: options.createdAt,
    };
  }

  /** Every rule in evaluation order: custom rules by priority, the catch-all rule last. */
  rules(): readonly EntityRiskRule[] {
    return [...this.#custom, this.#catchAll];
  }

  rule(id: string): EntityRiskRule | undefined {
    return this.rules().find((r) => r.id === id);
  }

  /** `PUT /api/v1/policies/{id}`: the name and description may change; the type may not. */
  replacePolicy(body: unknown): EntityRiskPolicy {
    if (!isObject(body)) throw validationFailed('policy', 'policy: must be a JSON object');
    const causes: string[] = [];
    if (body.type !== 'ENTITY_RISK')
      causes.push(`type: the policy is an ENTITY_RISK policy, not ${JSON.stringify(body.type ?? null)}`);
    const name = checkName(body.name, causes);
    const description = checkDescription(body.description, causes);
    if (body.conditions !== undefined && body.conditions !== null)
      causes.push("conditions: policy conditions aren't supported for the ENTITY_RISK policy");
    throwIf(causes);
    this.policy.name = name;
    if (description !== undefined) this.policy.description = description;
    this.policy.lastUpdated = this.#now();
    return this.policy;
  }

  /** `POST …/rules`: a new custom rule at the requested priority (or last), ACTIVE unless `activate` is false. */
  createRule(body: unknown, activate: boolean): EntityRiskRule {
    const parsed = this.#parse(body, undefined);
    if (this.#custom.length >= MAX_CUSTOM_RULES)
      throw validationFailed(
        'priority',
        `priority: the policy already has ${MAX_CUSTOM_RULES + 1} rules, the most a policy can hold`,
      );
    const now = this.#now();
    const rule: EntityRiskRule = {
      id: this.#newRuleId(),
      name: parsed.name,
      ...(parsed.description === undefined ? {} : { description: parsed.description }),
      status: activate ? 'ACTIVE' : 'INACTIVE',
      priority: 0,
      system: false,
      conditions: parsed.conditions,
      ...(parsed.action ? { action: parsed.action } : {}),
      created: now,
      lastUpdated: now,
    };
    this.#place(rule, parsed.priority ?? this.#custom.length);
    return rule;
  }

  /** `PUT …/rules/{ruleId}`: replaces name, description, conditions and action; moves it when `priority` is given. */
  replaceRule(rule: EntityRiskRule, body: unknown): EntityRiskRule {
    const parsed = this.#parse(body, rule);
    rule.name = parsed.name;
    if (parsed.description === undefined) delete rule.description;
    else rule.description = parsed.description;
    rule.conditions = parsed.conditions;
    if (parsed.action) rule.action = parsed.action;
    else delete rule.action;
    rule.lastUpdated = this.#now();
    if (!rule.system && parsed.priority !== undefined && parsed.priority !== rule.priority) {
      this.#custom.splice(rule.priority, 1);
      this.#place(rule, parsed.priority);
    }
    return rule;
  }

  /** `DELETE …/rules/{ruleId}`: custom rules only; the rules below move up. */
  deleteRule(rule: EntityRiskRule): void {
    if (rule.system) throw systemObjectRefused('the catch-all rule is a system rule and cannot be deleted');
    this.#custom.splice(rule.priority, 1);
    this.#renumber();
  }

  /** Lifecycle; returns whether the status changed. The catch-all rule stays ACTIVE. */
  setStatus(rule: EntityRiskRule, status: 'ACTIVE' | 'INACTIVE'): boolean {
    if (rule.system && status === 'INACTIVE')
      throw systemObjectRefused('the catch-all rule is a system rule and cannot be deactivated');
    if (rule.status === status) return false;
    rule.status = status;
    rule.lastUpdated = this.#now();
    return true;
  }

  #place(rule: EntityRiskRule, priority: number): void {
    this.#custom.splice(Math.min(priority, this.#custom.length), 0, rule);
    this.#renumber();
  }

  #renumber(): void {
    this.#custom.forEach((r, i) => {
      r.priority = i;
    });
  }

  #parse(
    body: unknown,
    existing: EntityRiskRule | undefined,
  ): {
    name: string;
    description?: string;
    priority?: number;
    conditions: RuleConditions | null;
    action?: RuleAction;
  } {
    if (!isObject(body)) throw validationFailed('policyRule', 'policyRule: must be a JSON object');
    const causes: string[] = [];
    if (body.type !== 'ENTITY_RISK')
      causes.push(
        `type: a rule of the ENTITY_RISK policy has type ENTITY_RISK, not ${JSON.stringify(body.type ?? null)}`,
      );
    const name = checkName(body.name, causes);
    if (
      this.rules().some((r) => r !== existing && r.name.toLowerCase() === name.toLowerCase()) &&
      name !== ''
    )
      causes.push(`name: a rule named "${name}" already exists in this policy`);
    const description = checkDescription(body.description, causes);

    let priority: number | undefined;
    if (body.priority !== undefined && body.priority !== null) {
      const p = body.priority;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0)
        causes.push(`priority: must be an integer of at least 0, not ${JSON.stringify(p)}`);
      else if (existing?.system) {
        if (p !== CATCH_ALL_PRIORITY)
          causes.push(`priority: the catch-all rule is always last (${CATCH_ALL_PRIORITY})`);
      } else priority = p;
    }

    let conditions: RuleConditions | null = null;
    if (existing?.system) {
      if (body.conditions !== undefined && body.conditions !== null)
        causes.push("conditions: the catch-all rule's conditions can't be changed");
    } else if (body.conditions !== undefined && body.conditions !== null) {
      conditions = this.#conditions(body.conditions, causes);
    }
    const action = this.#action(body.actions, causes);
    throwIf(causes);
    return {
      name,
      ...(description === undefined ? {} : { description }),
      ...(priority === undefined ? {} : { priority }),
      conditions,
      ...(action ? { action } : {}),
    };
  }

  #conditions(value: unknown, causes: string[]): RuleConditions | null {
    if (!isObject(value)) {
      causes.push('conditions: must be an object');
      return null;
    }
    const out: {
      people?: { users?: IncludeExclude; groups?: IncludeExclude };
      riskDetectionTypes?: IncludeExclude;
      entityRisk?: { level: RuleLevel };
    } = {};
    for (const key of Object.keys(value)) {
      if (!['people', 'riskDetectionTypes', 'entityRisk'].includes(key) && value[key] !== null)
        causes.push(
          `conditions.${key}: not a condition of ENTITY_RISK rules (people, riskDetectionTypes, entityRisk)`,
        );
    }
    const people = value.people;
    if (people !== undefined && people !== null) {
      if (!isObject(people)) causes.push('conditions.people: must be an object');
      else {
        const p: { users?: IncludeExclude; groups?: IncludeExclude } = {};
        for (const key of Object.keys(people))
          if (key !== 'users' && key !== 'groups' && people[key] !== null)
            causes.push(`conditions.people.${key}: only users and groups can be named`);
        const users = idLists(people.users, 'conditions.people.users', this.#lookups.isUser, 'user', causes);
        const groups = idLists(
          people.groups,
          'conditions.people.groups',
          this.#lookups.isGroup,
          'group',
          causes,
        );
        if (users) p.users = users;
        if (groups) p.groups = groups;
        if (p.users || p.groups) out.people = p;
      }
    }
    const detections = value.riskDetectionTypes;
    if (detections !== undefined && detections !== null) {
      const field = 'conditions.riskDetectionTypes';
      if (!isObject(detections)) causes.push(`${field}: must be an object with include or exclude`);
      else {
        // An empty list is no list (okta-sdk-nodejs's typings make both members required).
        const has = (k: string): boolean =>
          detections[k] !== undefined &&
          detections[k] !== null &&
          !(Array.isArray(detections[k]) && detections[k].length === 0);
        if (has('include') && has('exclude'))
          causes.push(`${field}: include and exclude can't both be set; use one of them`);
        for (const key of Object.keys(detections))
          if (key !== 'include' && key !== 'exclude' && detections[key] !== null)
            causes.push(`${field}.${key}: only include or exclude can be set`);
        for (const key of ['include', 'exclude'] as const) {
          if (!has(key)) continue;
          const list = detections[key];
          if (!Array.isArray(list)) {
            causes.push(`${field}.${key}: must be an array of detections`);
            continue;
          }
          const unknown = list.filter((d) => !(DETECTED_RISK_EVENTS as readonly unknown[]).includes(d));
          if (unknown.length > 0)
            causes.push(
              `${field}.${key}: ${unknown.map((d) => JSON.stringify(d)).join(', ')} is not one of ${DETECTED_RISK_EVENTS.join(', ')}`,
            );
          else out.riskDetectionTypes = { [key]: [...new Set(list as string[])] };
        }
      }
    }
    const risk = value.entityRisk;
    if (risk !== undefined && risk !== null) {
      if (!isObject(risk) || risk.level === undefined || risk.level === null)
        causes.push('conditions.entityRisk.level: The field cannot be left blank');
      else if (!(RULE_LEVELS as readonly unknown[]).includes(risk.level))
        causes.push(
          `conditions.entityRisk.level: must be one of ${RULE_LEVELS.join(', ')}, not ${JSON.stringify(risk.level)}`,
        );
      else out.entityRisk = { level: risk.level as RuleLevel };
    }
    return Object.keys(out).length === 0 ? null : out;
  }

  #action(value: unknown, causes: string[]): RuleAction | undefined {
    if (value === undefined || value === null) return undefined;
    const field = 'actions.entityRisk.actions';
    if (!isObject(value) || (value.entityRisk !== undefined && !isObject(value.entityRisk))) {
      causes.push('actions: must be {"entityRisk": {"actions": [...]}}');
      return undefined;
    }
    const entityRisk = value.entityRisk;
    if (entityRisk === undefined || entityRisk.actions === undefined || entityRisk.actions === null)
      return undefined;
    const list = entityRisk.actions;
    if (!Array.isArray(list)) {
      causes.push(`${field}: must be an array`);
      return undefined;
    }
    if (list.length > 1) {
      causes.push(`${field}: holds no action or exactly one`);
      return undefined;
    }
    const item = list[0];
    if (item === undefined) return undefined;
    if (!isObject(item)) {
      causes.push(`${field}[0]: must be an object with an "action"`);
      return undefined;
    }
    if (item.action === 'RUN_WORKFLOW') {
      const workflow = item.workflow;
      const id = isObject(workflow) ? workflow.id : undefined;
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
        causes.push(`${field}[0].workflow.id: the id of a delegated flow (a positive integer) is required`);
        return undefined;
      }
      return { action: 'RUN_WORKFLOW', workflow: { id } };
    }
    if (item.action === 'TERMINATE_ALL_SESSIONS') {
      if (item.slo === undefined || item.slo === null) return { action: 'TERMINATE_ALL_SESSIONS' };
      const slo = item.slo;
      const at = `${field}[0].slo`;
      if (!isObject(slo)) {
        causes.push(
          `${at}: must be {"appSelectionMode": "ALL" | "SPECIFIC" | "NONE", "appInstanceIds": [...]}`,
        );
        return undefined;
      }
      const mode = slo.appSelectionMode;
      if (!(APP_SELECTION_MODES as readonly unknown[]).includes(mode)) {
        causes.push(`${at}.appSelectionMode: must be one of ${APP_SELECTION_MODES.join(', ')}`);
        return undefined;
      }
      const ids = slo.appInstanceIds;
      if (mode !== 'SPECIFIC') {
        if (ids !== undefined && ids !== null && !(Array.isArray(ids) && ids.length === 0))
          causes.push(`${at}.appInstanceIds: only allowed when appSelectionMode is SPECIFIC`);
        return { action: 'TERMINATE_ALL_SESSIONS', slo: { appSelectionMode: mode as AppSelectionMode } };
      }
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
        causes.push(`${at}.appInstanceIds: name at least one app when appSelectionMode is SPECIFIC`);
        return undefined;
      }
      const unknown = ids.filter((id) => !this.#lookups.isApp(id));
      if (unknown.length > 0) {
        causes.push(`${at}.appInstanceIds: ${unknown.join(', ')} is not an app in this org`);
        return undefined;
      }
      return {
        action: 'TERMINATE_ALL_SESSIONS',
        slo: { appSelectionMode: 'SPECIFIC', appInstanceIds: [...new Set(ids as string[])] },
      };
    }
    causes.push(
      `${field}[0].action: must be TERMINATE_ALL_SESSIONS or RUN_WORKFLOW, not ${JSON.stringify(item.action ?? null)}`,
    );
    return undefined;
  }
}

function checkName(value: unknown, causes: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    causes.push('name: The field cannot be left blank');
    return '';
  }
  if (value.length > MAX_NAME) causes.push(`name: at most ${MAX_NAME} characters`);
  return value;
}

function checkDescription(value: unknown, causes: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') causes.push('description: must be a string');
  else if (value.length > MAX_DESCRIPTION) causes.push(`description: at most ${MAX_DESCRIPTION} characters`);
  else return value;
  return undefined;
}

function idLists(
  value: unknown,
  field: string,
  known: (id: string) => boolean,
  kind: string,
  causes: string[],
): IncludeExclude | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    causes.push(`${field}: must be {"include": [...], "exclude": [...]}`);
    return undefined;
  }
  const out: { include?: string[]; exclude?: string[] } = {};
  for (const key of Object.keys(value))
    if (key !== 'include' && key !== 'exclude' && value[key] !== null)
      causes.push(`${field}.${key}: only include and exclude can be set`);
  for (const key of ['include', 'exclude'] as const) {
    const list = value[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) {
      causes.push(`${field}.${key}: must be an array of ${kind} ids`);
      continue;
    }
    const unknown = list.filter((id) => !known(id));
    if (unknown.length > 0)
      causes.push(`${field}.${key}: ${unknown.join(', ')} is not a ${kind} id in this org`);
    else if (list.length > 0) out[key] = [...new Set(list as string[])];
  }
  return out.include || out.exclude ? out : undefined;
}

function throwIf(causes: readonly string[]): void {
  const [first] = causes;
  if (first === undefined) return;
  throw validationFailed(first.split(':')[0] ?? 'policyRule', ...causes);
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Okta's `EntityRiskPolicy` as the Policies API returns it. */
export function policyView(policy: EntityRiskPolicy, orgUrl: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/policies/${policy.id}`;
  return {
    type: 'ENTITY_RISK',
    id: policy.id,
    status: 'ACTIVE',
    name: policy.name,
    description: policy.description,
    priority: 1,
    system: true,
    conditions: null,
    created: iso(policy.created),
    lastUpdated: iso(policy.lastUpdated),
    _links: {
      self: { href: self, hints: { allow: ['GET', 'PUT'] } },
      rules: { href: `${self}/rules`, hints: { allow: ['GET', 'POST'] } },
    },
  };
}

/** Okta's `EntityRiskPolicyRule`; the catch-all rule has `conditions: null`, as in Okta's example. */
export function ruleView(rule: EntityRiskRule, policyId: string, orgUrl: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/policies/${policyId}/rules/${rule.id}`;
  const lifecycle = rule.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    id: rule.id,
    status: rule.status,
    name: rule.name,
    ...(rule.description === undefined ? {} : { description: rule.description }),
    priority: rule.priority,
    created: iso(rule.created),
    lastUpdated: iso(rule.lastUpdated),
    system: rule.system,
    ...(rule.system || rule.conditions !== null ? { conditions: rule.conditions } : {}),
    actions: { entityRisk: { actions: rule.action ? [rule.action] : [] } },
    _links: {
      self: { href: self, hints: { allow: rule.system ? ['GET', 'PUT'] : ['GET', 'PUT', 'DELETE'] } },
      ...(rule.system
        ? {}
        : { [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } } }),
    },
    type: 'ENTITY_RISK',
  };
}
