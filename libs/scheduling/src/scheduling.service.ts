import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AnalysisAlreadyRunningError, AnalysisService } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { EventPublisher } from '@storesync/events';
import { healthToWire, StoreHealthService } from '@storesync/storage';
import { MaintenanceTasks } from './maintenance-tasks';
import { QuarantinePurgeHook } from './quarantine-purge.hook';
import { RunLock } from './run-lock';

export const FULL_ANALYSIS_INTERVAL = 'sync.full-analysis';
export const HEALTH_PROBE_INTERVAL = 'sync.store-health';
export const QUARANTINE_PURGE_INTERVAL = 'sync.quarantine-purge';
const HEALTH_PROBE_MS = 60_000;
const PURGE_MS = 24 * 3600_000;
const FULL_ANALYSIS_LOCK = 'full-analysis';

export type ScheduledRunOutcome = 'completed' | 'skipped_running' | 'skipped_locked' | 'failed';

/**
 * Thin timers: a full analysis every SYNC_CHECK_INTERVAL minutes (never overlapping,
 * one instance among several through the run lock), a store health probe every minute,
 * and the daily quarantine purge. Started after bootstrap so no event is lost.
 */
@Injectable()
export class SchedulingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulingService.name);
  private analysisInFlight?: Promise<ScheduledRunOutcome>;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly analysis: AnalysisService,
    private readonly health: StoreHealthService,
    private readonly purge: QuarantinePurgeHook,
    private readonly maintenance: MaintenanceTasks,
    private readonly lock: RunLock,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.every(FULL_ANALYSIS_INTERVAL, this.config.sync.checkIntervalMinutes * 60_000, () => this.runFullAnalysis());
    this.every(HEALTH_PROBE_INTERVAL, HEALTH_PROBE_MS, () => this.probeHealth());
    this.every(QUARANTINE_PURGE_INTERVAL, PURGE_MS, () => this.purgeQuarantine());
  }

  async onApplicationShutdown(): Promise<void> {
    for (const name of [FULL_ANALYSIS_INTERVAL, HEALTH_PROBE_INTERVAL, QUARANTINE_PURGE_INTERVAL]) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
    await this.analysisInFlight?.catch(() => undefined);
    await this.lock.close();
  }

  /** One full analysis unless one is already running here or on another instance. */
  runFullAnalysis(): Promise<ScheduledRunOutcome> {
    if (this.analysisInFlight) return Promise.resolve('skipped_running');
    const run = this.analyzeUnderLock().finally(() => {
      this.analysisInFlight = undefined;
    });
    this.analysisInFlight = run;
    return run;
  }

  /** Pings every store and publishes `store.health`. */
  async probeHealth(): Promise<void> {
    const stores = await this.health.check();
    this.events.publish('store.health', healthToWire(stores), { userId: null });
  }

  /** The daily maintenance: the quarantine purge, then the history past its retention (runs, plans, audit rows). */
  async purgeQuarantine(): Promise<void> {
    const lease = await this.lock.acquire('quarantine-purge', PURGE_MS / 2);
    if (!lease) return;
    try {
      const now = new Date();
      if (this.purge.configured) await this.purge.run(now);
      await this.pruneRuns(now);
      await this.maintenance.runAll(now);
    } finally {
      await lease.release();
    }
  }

  /** Finished runs older than SYNC_RUN_RETENTION_DAYS (the analysis owns them). */
  private async pruneRuns(now: Date): Promise<void> {
    try {
      const removed = await this.analysis.pruneRuns(new Date(now.getTime() - this.config.retention.runDays * 86_400_000));
      this.logger.log({ message: 'runs pruned', removed, retentionDays: this.config.retention.runDays });
    } catch (error) {
      this.logger.error({ message: 'run pruning failed', error: (error as Error).message });
    }
  }

  private async analyzeUnderLock(): Promise<ScheduledRunOutcome> {
    // The lease outlives the longest run the analysis allows, then frees itself.
    const lease = await this.lock.acquire(FULL_ANALYSIS_LOCK, (this.config.sync.timeoutSeconds + 60) * 1000);
    if (!lease) {
      this.logger.log({ message: 'scheduled analysis skipped: another instance runs it' });
      return 'skipped_locked';
    }
    try {
      const run = await this.analysis.start({ trigger: 'schedule' }).done;
      this.logger.log({ message: 'scheduled analysis done', runId: run.id, state: run.state });
      return 'completed';
    } catch (error) {
      if (error instanceof AnalysisAlreadyRunningError) return 'skipped_running';
      throw error;
    } finally {
      await lease.release().catch((error) => this.logger.warn({ message: 'could not release the analysis lock', error: (error as Error).message }));
    }
  }

  private every(name: string, ms: number, task: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      task().catch((error) => this.logger.error({ message: 'scheduled task failed', task: name, error: (error as Error).message }));
    }, ms);
    timer.unref();
    this.registry.addInterval(name, timer);
  }
}
