/**
 * Collects findings for one validation run under one profile: a check that the profile does not run
 * is dropped here, and the requirement each finding cites is resolved (profile override, then the
 * caller's per-event or per-format requirement, then the check's default).
 */
import { CHECKS, type CheckId } from '../checks.ts';
import { type Finding, type FindingExtras, makeFinding } from '../findings.ts';
import type { RequirementId } from '../requirements.ts';
import type { Profile } from './profiles.ts';

export class FindingSink {
  readonly findings: Finding[] = [];
  readonly profile: Profile;

  constructor(profile: Profile) {
    this.profile = profile;
  }

  runs(check: CheckId): boolean {
    return this.profile.checks.has(check);
  }

  report(check: CheckId, message: string, extras: FindingExtras = {}, requirement?: RequirementId): void {
    if (!this.profile.checks.has(check)) return;
    const resolved = this.profile.requirementFor[check] ?? requirement ?? CHECKS[check].requirement;
    if (resolved === undefined) throw new TypeError(`check ${check} needs a requirement from its caller`);
    this.findings.push(makeFinding(check, resolved, message, extras));
  }
}
