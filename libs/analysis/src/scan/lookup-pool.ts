/**
 * Point lookups a scan needs for some files (confirming an absent object, hashing in
 * deep mode), run beside the scan instead of stopping it: at most `concurrency` at
 * once, at most `backlog` waiting (then the scan waits), results taken as they finish.
 */
export class LookupPool<T> {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly finished: T[] = [];
  private readonly slotWaiters: (() => void)[] = [];
  private failure?: Error;
  private idle?: () => void;

  constructor(
    private readonly concurrency: number,
    private readonly backlog: number,
  ) {}

  async submit(task: () => Promise<T>): Promise<void> {
    while (this.running + this.waiting.length >= this.backlog) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    this.waiting.push(() => {
      this.running += 1;
      task()
        .then(
          (result) => this.finished.push(result),
          (error: unknown) => {
            this.failure ??= error instanceof Error ? error : new Error(String(error));
          },
        )
        .finally(() => {
          this.running -= 1;
          this.slotWaiters.shift()?.();
          this.next();
        });
    });
    this.next();
  }

  /** Results finished so far; rethrows a task's unexpected error. */
  take(): T[] {
    if (this.failure) throw this.failure;
    return this.finished.splice(0);
  }

  /** Waits for every task, then returns what is left. */
  async finish(): Promise<T[]> {
    while (this.running > 0 || this.waiting.length > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    return this.take();
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) this.waiting.shift()!();
    if (this.running === 0 && this.waiting.length === 0) {
      const idle = this.idle;
      this.idle = undefined;
      idle?.();
    }
  }
}
