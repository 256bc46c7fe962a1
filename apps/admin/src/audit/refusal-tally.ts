import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AdminConfig } from '../admin.config';
import { ANONYMOUS } from './audit-context';
import { AuditRecorder } from './audit-recorder';

/** Distinct (source, reason) pairs kept per window; past it, further sources share one row. */
const MAX_TALLIES = 10_000;
const MAX_ROUTES = 10;
const MAX_REQUEST_IDS = 5;

interface Tally {
  sourceIp: string | null;
  reason: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  routes: Set<string>;
  requestIds: string[];
}

/**
 * Unauthenticated refusals (no, unknown, expired or revoked credential) cost no database write each:
 * they are counted in memory and written as one `auth.refused` row per source address and reason
 * per window (ADMIN_REFUSAL_AUDIT_WINDOW_MS), with the count, the first and last time, the routes
 * and a few request ids. A flood of bad credentials therefore writes a bounded number of rows, and
 * the trail still says who knocked, how often and where. Rows still pending are written at shutdown.
 */
@Injectable()
export class RefusalTally implements OnModuleInit, BeforeApplicationShutdown {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly audit: AuditRecorder,
    @Inject(AdminConfig) private readonly config: AdminConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.ADMIN_REFUSAL_AUDIT_WINDOW_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Counts one refused request. */
  count(refusal: { sourceIp: string | null; reason: string; route: string; requestId: string | null }, at = new Date()): void {
    let key = `${refusal.sourceIp ?? ''}\u0000${refusal.reason}`;
    let sourceIp = refusal.sourceIp;
    if (!this.tallies.has(key) && this.tallies.size >= MAX_TALLIES) {
      key = `\u0000many-sources\u0000${refusal.reason}`;
      sourceIp = null;
    }
    const tally = this.tallies.get(key) ?? {
      sourceIp,
      reason: refusal.reason,
      count: 0,
      firstAt: at,
      lastAt: at,
      routes: new Set(),
      requestIds: [],
    };
    tally.count += 1;
    tally.lastAt = at;
    if (tally.routes.size < MAX_ROUTES) tally.routes.add(refusal.route);
    if (refusal.requestId !== null && tally.requestIds.length < MAX_REQUEST_IDS) tally.requestIds.push(refusal.requestId);
    this.tallies.set(key, tally);
  }

  /** Writes one row per tally of the ended window. */
  async flush(): Promise<void> {
    const ended = this.tallies;
    this.tallies = new Map();
    for (const tally of ended.values()) {
      const routes = [...tally.routes];
      await this.audit.record(
        { actor: ANONYMOUS, sourceIp: tally.sourceIp, requestId: tally.requestIds[0] ?? null },
        {
          action: 'auth.refused',
          objectType: 'route',
          objectId: (routes.length === 1 ? (routes[0] ?? '') : 'several routes').slice(0, 128),
          outcome: 'denied',
          reason: tally.count === 1 ? tally.reason : `${tally.reason} (${tally.count} requests)`,
          after: {
            count: tally.count,
            firstAt: tally.firstAt.toISOString(),
            lastAt: tally.lastAt.toISOString(),
            routes,
            requestIds: tally.requestIds,
            sources: tally.sourceIp === null ? 'more than the per-window limit of distinct sources' : undefined,
          },
        },
      );
    }
  }
}
