import { Injectable, Logger } from '@nestjs/common';

/** One daily clean-up: removes what is older than `cutoff`-style retention and says how many. */
export type MaintenanceTask = (now: Date) => Promise<number>;

/**
 * The daily maintenance beside the quarantine purge: modules that keep history (repair's
 * plans and audit rows) register their pruning here, since they import scheduling and not
 * the other way round. Each task's failure is logged and does not stop the others.
 */
@Injectable()
export class MaintenanceTasks {
  private readonly logger = new Logger(MaintenanceTasks.name);
  private readonly tasks = new Map<string, MaintenanceTask>();

  register(name: string, task: MaintenanceTask): () => void {
    this.tasks.set(name, task);
    return () => this.tasks.delete(name);
  }

  async runAll(now = new Date()): Promise<Record<string, number | 'failed'>> {
    const outcome: Record<string, number | 'failed'> = {};
    for (const [name, task] of this.tasks) {
      try {
        outcome[name] = await task(now);
      } catch (error) {
        outcome[name] = 'failed';
        this.logger.error({ message: 'maintenance task failed', task: name, error: (error as Error).message });
      }
    }
    this.logger.log({ message: 'daily maintenance done', ...outcome });
    return outcome;
  }
}
