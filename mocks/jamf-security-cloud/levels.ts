/**
 * Risk levels and how each wire format spells them. Jamf Security Cloud scores devices Secure, Low,
 * Medium or High; Okta's device-risk-change wants lower case (`secure|low|medium|high`); CAEP's
 * risk-level-change knows only LOW, MEDIUM and HIGH (Secure maps to LOW, the nearest — events.md §6);
 * the Jamf Pro extension attribute carries the display name.
 */
export const LEVELS = ['SECURE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof LEVELS)[number];

export function isRiskLevel(value: unknown): value is RiskLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function rank(level: RiskLevel): number {
  return LEVELS.indexOf(level);
}

export function highest(levels: readonly RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((top, l) => (rank(l) > rank(top) ? l : top), 'SECURE');
}

export function oktaLevel(level: RiskLevel): 'secure' | 'low' | 'medium' | 'high' {
  return level.toLowerCase() as 'secure' | 'low' | 'medium' | 'high';
}

export function caepLevel(level: RiskLevel): 'LOW' | 'MEDIUM' | 'HIGH' {
  return level === 'SECURE' ? 'LOW' : level;
}

export function displayLevel(level: RiskLevel): string {
  return level.charAt(0) + level.slice(1).toLowerCase();
}
