/**
 * The Risk API's device list, version 2 (`GET /risk/v2/devices`): what the seed's Device view shows of a
 * device — its user, OS, risk and threats — read through the API rather than the lab's state.
 *
 * Jamf publishes no schema for v2, and third parties disagree (vendor-apis.md §3.2): the mock answers the
 * shape JamfDash decodes, `{customerId, userDeviceList: [...], pagination}`, each entry with `guid` (the JSC
 * device id), `externalId` (the UEM's UDID), `user {email, name}`, `info.device {deviceName,
 * deviceSystemVersion, osType}`, `hardwareSpec.osType`, `riskCategory` (SECURE, LOW, MEDIUM, HIGH) and
 * `joinDate` (epoch ms of the activation, null before). Jamf publishes no threat API either ("no public
 * REST endpoint" for the security event log), so each entry carries its `threats` as the console's Device
 * view lists them — a lab choice, written in the README: `{id, category, severity, status: ACTIVE|RESOLVED,
 * detectedAt, resolvedAt}` (ISO 8601), newest first. Query: `page` (0-based), `pageSize` (1–100, default
 * 50), `guid` and `externalId` (exact; the UDID compared ignoring case, as Jamf's own sample does).
 */
import { invalid } from './errors.ts';
import type { JscDevice, JscTenant, Threat } from './tenant.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function threatView(t: Threat): Record<string, unknown> {
  return {
    id: t.id,
    category: t.category,
    severity: t.severity,
    status: t.resolvedAt === undefined ? 'ACTIVE' : 'RESOLVED',
    detectedAt: iso(t.detectedAt),
    resolvedAt: iso(t.resolvedAt),
  };
}

function entry(d: JscDevice, threats: readonly Threat[]): Record<string, unknown> {
  const email = d.user?.email ?? d.uem?.email;
  const name = d.user?.name ?? d.uem?.realName;
  return {
    guid: d.id,
    externalId: d.udid,
    user: email === undefined ? null : { email, name: name ?? null },
    info: { device: { deviceName: d.name, deviceSystemVersion: d.osVersion, osType: d.osType } },
    hardwareSpec: { osType: d.osType },
    riskCategory: d.risk,
    joinDate: d.activation?.at ?? null,
    threats: threats
      .filter((t) => t.deviceId === d.id)
      .sort((a, b) => b.detectedAt - a.detectedAt)
      .map(threatView),
  };
}

/** `GET /risk/v2/devices`: one page; bad paging is JSC's 400 (the codes of v1). */
export function riskDevicesV2(tenant: JscTenant, query: Record<string, string | undefined>): unknown {
  const page = query.page === undefined ? 0 : Number(query.page);
  const pageSize = query.pageSize === undefined ? 50 : Number(query.pageSize);
  if (!Number.isInteger(page) || page < 0)
    throw invalid('NEGATIVE_PAGE', 'page must be a non-negative integer');
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw invalid('NEGATIVE_PAGE_SIZE', 'pageSize must be a positive integer');
  if (pageSize > 100) throw invalid('MAX_LIMIT_PER_PAGE', 'pageSize can be at most 100');
  const externalId = query.externalId?.toLowerCase();
  const devices = tenant
    .devices()
    .filter((d) => query.guid === undefined || d.id === query.guid)
    .filter((d) => externalId === undefined || d.udid.toLowerCase() === externalId);
  const threats = tenant.threats();
  return {
    customerId: tenant.customerId,
    userDeviceList: devices.slice(page * pageSize, (page + 1) * pageSize).map((d) => entry(d, threats)),
    pagination: {
      page,
      pageSize,
      totalRecords: devices.length,
      totalPages: Math.ceil(devices.length / pageSize),
    },
  };
}
