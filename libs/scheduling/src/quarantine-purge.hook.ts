import { Injectable } from '@nestjs/common';

export type QuarantinePurge = (now: Date) => Promise<unknown>;

/**
 * The daily purge of quarantined objects older than the retention. A no-op until the
 * repair module sets the purge it owns (`setPurge`).
 */
@Injectable()
export class QuarantinePurgeHook {
  private purge?: QuarantinePurge;

  setPurge(purge: QuarantinePurge | undefined): void {
    this.purge = purge;
  }

  get configured(): boolean {
    return this.purge !== undefined;
  }

  async run(now = new Date()): Promise<unknown> {
    return this.purge ? this.purge(now) : undefined;
  }
}
