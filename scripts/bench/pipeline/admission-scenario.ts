// The admission bench's workload and the counts its limits must give; pure, so it is unit-tested.
import type { AdmissionLimits } from '../../../src/admission/index.ts';

const DAY_MS = 24 * 3_600_000;

/**
 * Tenants × users × requests, every request with its own job id, no job ever starting or finishing.
 * Buckets refill over 30 days, so within a run of seconds they refill by far less than one token and
 * every limit is a fixed cap: the count admitted is exact whatever order Redis sees the calls in.
 */
export interface AdmissionScenario {
  tenants: number;
  usersPerTenant: number;
  requestsPerUser: number;
  limits: AdmissionLimits;
  /** Tenant i's own limits are overrides[i % length]: each makes a different limit the one that binds. */
  overrides: readonly Partial<AdmissionLimits>[];
}

/** The default workload: 20 tenants × 50 users × 20 requests = 20,000 decisions. */
export function admissionScenario(decisions = 20_000): AdmissionScenario {
  const tenants = 20;
  const usersPerTenant = 50;
  return {
    tenants,
    usersPerTenant,
    requestsPerUser: Math.max(1, Math.round(decisions / (tenants * usersPerTenant))),
    limits: {
      tenantClips: 120,
      tenantIntervalMs: 30 * DAY_MS,
      userClips: 6,
      userIntervalMs: 30 * DAY_MS,
      maxActivePerUser: 4,
      maxWaitingPerTenant: 150,
      maxWaitingGlobal: 100_000,
      keyTtlMs: DAY_MS,
      busyRetryMs: 60_000,
      sharesPerClip: 4,
    },
    overrides: [
      {}, // the tenant's bucket binds: 120
      { maxWaitingPerTenant: 90 }, // the tenant's waiting cap binds: 90
      { tenantClips: 1_000, maxWaitingPerTenant: 1_000 }, // each user's active cap binds: 4 each
      { tenantClips: 1_000, maxWaitingPerTenant: 1_000, userClips: 3 }, // each user's bucket: 3 each
    ],
  };
}

/** Tenant i's limits: the scenario's with its override. */
export function tenantLimits(s: AdmissionScenario, tenant: number): AdmissionLimits {
  return { ...s.limits, ...s.overrides[tenant % s.overrides.length] };
}

export interface ExpectedAdmissions {
  total: number;
  perTenant: number[];
  /** Per tenant: the most one of its users can get. */
  userCap: number[];
  /** Per tenant: whether every user gets exactly userCap (the tenant's own caps do not bind). */
  everyUserFull: boolean[];
  /** Whether the global waiting cap binds; then per-tenant counts depend on order, the total not. */
  globalBinds: boolean;
}

/**
 * What the limits allow. With nothing finishing, a user gets min(bucket, active cap, requests) and a
 * tenant min(its bucket, its waiting cap, the sum over its users): a refusal takes nothing, so a
 * tenant ends either at its cap or with every user at theirs. The global cap clips the sum.
 */
export function expectedAdmissions(s: AdmissionScenario): ExpectedAdmissions {
  const perTenant: number[] = [];
  const userCap: number[] = [];
  const everyUserFull: boolean[] = [];
  for (let t = 0; t < s.tenants; t++) {
    const l = tenantLimits(s, t);
    const user = Math.min(l.userClips, l.maxActivePerUser, s.requestsPerUser);
    const demand = user * s.usersPerTenant;
    const cap = Math.min(l.tenantClips, l.maxWaitingPerTenant);
    userCap.push(user);
    perTenant.push(Math.min(cap, demand));
    everyUserFull.push(demand <= cap);
  }
  const sum = perTenant.reduce((a, b) => a + b, 0);
  return {
    total: Math.min(sum, s.limits.maxWaitingGlobal),
    perTenant,
    userCap,
    everyUserFull,
    globalBinds: sum > s.limits.maxWaitingGlobal,
  };
}

/** One admit call of the workload. */
export interface ScenarioRequest {
  tenant: number;
  user: number;
  tenantId: string;
  userId: string;
  jobId: string;
}

/**
 * The requests in the order they are sent: round by round, each round one request from every user
 * of every tenant, so concurrent calls contend for the same tenants' keys as they would live.
 */
export function scenarioRequests(s: AdmissionScenario): ScenarioRequest[] {
  const out: ScenarioRequest[] = [];
  for (let round = 0; round < s.requestsPerUser; round++) {
    for (let tenant = 0; tenant < s.tenants; tenant++) {
      for (let user = 0; user < s.usersPerTenant; user++) {
        out.push({
          tenant,
          user,
          tenantId: `bench:t${tenant}`,
          userId: `bench:t${tenant}u${user}`,
          jobId: `t${tenant}u${user}r${round}`,
        });
      }
    }
  }
  return out;
}

/** How the admitted decisions compare with {@link expectedAdmissions}. */
export interface AdmissionCheck {
  pass: boolean;
  admitted: number;
  expected: number;
  /** What went wrong, in words; empty when pass. */
  problems: string[];
}

/** Compares what was admitted (one flag per request of {@link scenarioRequests}) with the limits. */
export function checkAdmissions(
  s: AdmissionScenario,
  requests: readonly ScenarioRequest[],
  admitted: readonly boolean[],
): AdmissionCheck {
  const expected = expectedAdmissions(s);
  const perTenant = new Array<number>(s.tenants).fill(0);
  const perUser = new Map<string, { tenant: number; count: number }>();
  for (const r of requests) perUser.set(r.userId, { tenant: r.tenant, count: 0 });
  let total = 0;
  requests.forEach((r, i) => {
    if (!admitted[i]) return;
    total++;
    perTenant[r.tenant] = (perTenant[r.tenant] ?? 0) + 1;
    const user = perUser.get(r.userId);
    if (user) user.count++;
  });
  const problems: string[] = [];
  if (total !== expected.total) problems.push(`admitted ${total}, the limits allow ${expected.total}`);
  perTenant.forEach((count, t) => {
    const want = expected.perTenant[t] as number;
    const wrong = expected.globalBinds ? count > want : count !== want;
    if (wrong) problems.push(`tenant ${t}: admitted ${count}, expected ${want}`);
  });
  for (const [id, { tenant, count }] of perUser) {
    const cap = expected.userCap[tenant] as number;
    const full = expected.everyUserFull[tenant] && !expected.globalBinds;
    if (count > cap || (full && count !== cap)) problems.push(`user ${id}: admitted ${count}, cap ${cap}`);
  }
  return { pass: problems.length === 0, admitted: total, expected: expected.total, problems };
}
