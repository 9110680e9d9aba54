import type { StoreName } from '@storesync/core';
import type { CircuitBreakerView } from './repair.types';

export interface CircuitBreakerLimits {
  /** SYNC_MAX_DELETE_PERCENT */
  maxPercent: number;
  /** SYNC_MAX_DELETE_MIN */
  minItems: number;
}

/**
 * Safety rule 7 as pure logic: a plan that removes more than `maxPercent` % of a store's
 * items in its scope AND more than `minItems` of them trips. An emptied collection, a
 * wrong bucket or an unmounted prefix all look like "everything is orphaned".
 */
export class CircuitBreaker {
  constructor(private readonly limits: CircuitBreakerLimits) {}

  /** Stores whose removals are large enough that their totals must be counted. */
  storesToCount(removes: Partial<Record<StoreName, number>>): StoreName[] {
    return (Object.keys(removes) as StoreName[]).filter((store) => (removes[store] ?? 0) > this.limits.minItems);
  }

  /**
   * `totals[store]` is the number of items of the store in the plan's scope; undefined
   * when it could not be counted, which trips too: a store we cannot count is no store
   * to delete from in bulk.
   */
  evaluate(removes: Partial<Record<StoreName, number>>, totals: Partial<Record<StoreName, number | undefined>>, scope: string): CircuitBreakerView {
    const stores: CircuitBreakerView['stores'] = [];
    const reasons: string[] = [];
    for (const store of Object.keys(removes) as StoreName[]) {
      const count = removes[store] ?? 0;
      if (count === 0) continue;
      const total = totals[store];
      const percent = total === undefined ? null : total === 0 ? 100 : round((count / total) * 100);
      const overMin = count > this.limits.minItems;
      const tripped = overMin && (percent === null || percent > this.limits.maxPercent);
      stores.push({ store, removes: count, total: total ?? null, percent, tripped });
      if (!tripped) continue;
      reasons.push(
        percent === null
          ? `${store}: the plan removes ${count} items but the store's items could not be counted`
          : `${store}: the plan removes ${count} of ${total} items (${percent}%)`,
      );
    }
    if (reasons.length === 0) return { tripped: false, reason: null, stores };
    const reason =
      `circuit breaker tripped for ${scope}: ${reasons.join('; ')} — more than SYNC_MAX_DELETE_PERCENT=${this.limits.maxPercent}% ` +
      `and more than SYNC_MAX_DELETE_MIN=${this.limits.minItems} items. An emptied collection, a wrong bucket or an ` +
      `unmounted prefix looks exactly like this; check the stores, then repeat with force: true if the removal is intended.`;
    return { tripped: true, reason, stores };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Adds up what each planned action removes per store. */
export function sumRemovals(items: Iterable<Partial<Record<StoreName, number>>>): Partial<Record<StoreName, number>> {
  const total: Partial<Record<StoreName, number>> = {};
  for (const removes of items) {
    for (const [store, count] of Object.entries(removes) as [StoreName, number][]) {
      total[store] = (total[store] ?? 0) + count;
    }
  }
  return total;
}
