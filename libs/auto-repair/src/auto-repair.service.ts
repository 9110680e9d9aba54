import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import type { IssueType } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { CircuitBreakerTrippedError, PartialRunIssuesError, RepairService } from '@storesync/repair';
import { RateWindow } from './rate-window';

/** Detected issues waiting beyond this are dropped (still open: the next detection or a person gets them). */
const QUEUE_LIMIT = 10_000;
const RECENT = 20;

export interface AutoRepairBatch {
  at: string;
  issues: number;
  destructive: boolean;
  outcome: 'executed' | 'refused_circuit_breaker' | 'refused_partial_run' | 'failed';
  repair_id: string | null;
  summary: { done: number; skipped: number; failed: number } | null;
  error: string | null;
}

export interface AutoRepairStatus {
  enabled: boolean;
  policy: { types: string[]; destructive_types: string[]; max_per_minute: number; batch_seconds: number };
  queued: number;
  totals: { issues: number; done: number; skipped: number; failed: number; refused: number; dropped: number };
  recent: AutoRepairBatch[];
}

/**
 * Opt-in repair on detection: issues of the policy's types are collected for a few seconds,
 * then planned and executed through RepairService as actor `auto` — the same re-check before
 * each action and verification after it as any repair. Never destructive unless the type is
 * listed as such, never forcing the circuit breaker, at most AUTO_REPAIR_MAX_PER_MINUTE issues.
 */
@Injectable()
export class AutoRepairService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AutoRepairService.name);
  private readonly queue = new Map<string, IssueType>();
  private readonly rate: RateWindow;
  private readonly recent: AutoRepairBatch[] = [];
  private readonly totals = { issues: 0, done: 0, skipped: 0, failed: 0, refused: 0, dropped: 0 };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private stop?: () => void;

  constructor(
    private readonly repair: RepairService,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
  ) {
    this.rate = new RateWindow(config.autoRepair.maxPerMinute);
  }

  get enabled(): boolean {
    return this.config.autoRepair.types.length > 0;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.stop = this.events.on('sync.issue.detected', (event) => {
      const type = event.data.type;
      if (!this.config.autoRepair.types.includes(type)) return;
      if (this.queue.size >= QUEUE_LIMIT) {
        this.totals.dropped += 1;
        return;
      }
      this.queue.set(event.data.issue_id, type);
      this.schedule(this.config.autoRepair.batchSeconds * 1000);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stop?.();
    clearTimeout(this.timer);
    await this.running;
  }

  status(): AutoRepairStatus {
    const p = this.config.autoRepair;
    return {
      enabled: this.enabled,
      policy: { types: p.types, destructive_types: p.destructiveTypes, max_per_minute: p.maxPerMinute, batch_seconds: p.batchSeconds },
      queued: this.queue.size,
      totals: { ...this.totals },
      recent: [...this.recent],
    };
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.flush().finally(() => {
        this.running = undefined;
        if (this.queue.size > 0) this.schedule(Math.max(this.rate.waitMs(), 100));
      });
    }, ms);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    const room = this.rate.available();
    if (room === 0) return;
    const taken = [...this.queue.entries()].slice(0, room);
    for (const [id] of taken) this.queue.delete(id);
    this.rate.take(taken.length);
    const destructive = new Set(this.config.autoRepair.destructiveTypes);
    // Types allowed to remove things are repaired in a plan of their own, the only one allowed to.
    const groups = [taken.filter(([, type]) => !destructive.has(type)), taken.filter(([, type]) => destructive.has(type))];
    for (const [index, group] of groups.entries()) {
      if (group.length > 0 && !this.stopped)
        await this.repairGroup(
          group.map(([id]) => id),
          index === 1,
        );
    }
  }

  private async repairGroup(issueIds: string[], allowDestructive: boolean, retried = false): Promise<void> {
    const batch: AutoRepairBatch = {
      at: new Date().toISOString(),
      issues: issueIds.length,
      destructive: allowDestructive,
      outcome: 'executed',
      repair_id: null,
      summary: null,
      error: null,
    };
    let planId: string | null = null;
    try {
      const plan = await this.repair.plan({ issueIds }, 'auto');
      planId = plan.id;
      const { progress } = await this.repair.execute(plan.id, { actor: 'auto', allowDestructive, force: false });
      batch.repair_id = progress.repair_id;
      batch.summary = { done: progress.summary.done, skipped: progress.summary.skipped, failed: progress.summary.failed };
      this.totals.issues += issueIds.length;
      this.totals.done += progress.summary.done;
      this.totals.skipped += progress.summary.skipped;
      this.totals.failed += progress.summary.failed;
    } catch (error) {
      if (error instanceof PartialRunIssuesError && !retried) {
        // Issues from a partial run may not be real: left to a complete analysis, the rest repaired.
        const rest = issueIds.filter((id) => !error.issueIds.includes(id));
        this.remember({ ...batch, outcome: 'refused_partial_run', error: error.message });
        this.totals.refused += issueIds.length - rest.length;
        if (rest.length > 0) await this.repairGroup(rest, allowDestructive, true);
        return;
      }
      if (error instanceof CircuitBreakerTrippedError) {
        this.totals.refused += issueIds.length;
        this.logger.warn({ message: 'automatic repair refused by the circuit breaker (never forced)', issues: issueIds.length, reason: error.message });
        this.events.publishOps('repair.circuit_breaker', { actor: 'auto', reason: error.message, plan_id: planId });
        this.remember({ ...batch, outcome: 'refused_circuit_breaker', error: error.message });
        return;
      }
      batch.outcome = 'failed';
      batch.error = (error as Error).message;
      this.totals.failed += issueIds.length;
      this.logger.error({ message: 'automatic repair failed', issues: issueIds.length, error: batch.error });
    }
    this.remember(batch);
  }

  private remember(batch: AutoRepairBatch): void {
    this.recent.unshift(batch);
    if (this.recent.length > RECENT) this.recent.pop();
  }
}
