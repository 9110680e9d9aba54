import type { Store } from '@/lib/api/contract';

export const STORE_LABEL: Record<Store, string> = { mongodb: 'MongoDB', s3: 'S3', qdrant: 'Qdrant' };

/** Which stores hold the file: present stores solid, absent ones struck out. */
export function StoreBadges({ stores, points }: { stores: Record<Store, boolean>; points?: number }) {
  return (
    <ul className="store-badges" aria-label="Stores">
      {(Object.keys(STORE_LABEL) as Store[]).map((store) => {
        const present = Boolean(stores[store]);
        const detail = store === 'qdrant' && present && points !== undefined ? ` (${points} points)` : '';
        return (
          <li
            key={store}
            className={`store-badge ${present ? 'present' : 'absent'}`}
            data-store={store}
            data-present={present}
            title={`${STORE_LABEL[store]}: ${present ? 'present' : 'absent'}${detail}`}
          >
            <span aria-hidden="true">{present ? '✓' : '✗'}</span> {STORE_LABEL[store]}
            <span className="visually-hidden">{present ? ' present' : ' absent'}{detail}</span>
          </li>
        );
      })}
    </ul>
  );
}
