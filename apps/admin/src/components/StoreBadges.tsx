import type { Store } from '@storesync/contract';

export const STORE_LABEL: Record<Store, string> = { mongodb: 'MongoDB', s3: 'S3', qdrant: 'Qdrant' };

function describe(present: boolean | null | undefined): 'present' | 'absent' | 'unknown' {
  if (present === true) return 'present';
  if (present === false) return 'absent';
  return 'unknown';
}

/** Which stores hold the file: present ✓, absent ✗ (struck out), not looked at ?. */
export function StoreBadges({ stores, points }: { stores: Partial<Record<Store, boolean | null>>; points?: number }) {
  return (
    <ul className="store-badges" aria-label="Stores">
      {(Object.keys(STORE_LABEL) as Store[]).map((store) => {
        const state = describe(stores?.[store]);
        const detail = store === 'qdrant' && state === 'present' && points !== undefined ? ` (${points} points)` : '';
        return (
          <li
            key={store}
            className={`store-badge ${state}`}
            data-store={store}
            data-present={state === 'present'}
            data-state={state}
            title={`${STORE_LABEL[store]}: ${state}${detail}`}
          >
            <span aria-hidden="true">{state === 'present' ? '✓' : state === 'absent' ? '✗' : '?'}</span> {STORE_LABEL[store]}
            <span className="visually-hidden">
              {' '}
              {state}
              {detail}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
