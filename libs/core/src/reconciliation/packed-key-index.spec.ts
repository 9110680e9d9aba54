import { PackedKeyIndex } from './packed-key-index';

describe(PackedKeyIndex.name, () => {
  it('gives each distinct key one dense slot and finds it again', () => {
    const sut = new PackedKeyIndex();
    expect(sut.slotOf('f1')).toEqual({ slot: 0, created: true });
    expect(sut.slotOf('f2')).toEqual({ slot: 1, created: true });
    expect(sut.slotOf('f1')).toEqual({ slot: 0, created: false });
    expect(sut.get('f2')).toBe(1);
    expect(sut.get('f3')).toBe(-1);
    expect(sut.size).toBe(2);
  });

  it('round-trips UUIDs, unicode, long and empty keys exactly', () => {
    const sut = new PackedKeyIndex();
    const keys = [
      '3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5b',
      // Upper case is not the canonical form: it must come back as written.
      '3F2B8C1E-9A4D-4E6F-8B7A-0C1D2E3F4A5B',
      'ключ/файл-😀',
      '',
      'x'.repeat(300),
      'é'.repeat(200),
    ];
    keys.forEach((key) => sut.slotOf(key));
    keys.forEach((key, slot) => {
      expect(sut.get(key)).toBe(slot);
      expect(sut.keyAt(slot)).toBe(key);
    });
    expect(sut.get('3f2b8c1e-9a4d-4e6f-8b7a-0c1d2e3f4a5c')).toBe(-1);
  });

  it('keeps every key across table growth and arena blocks', () => {
    const sut = new PackedKeyIndex();
    const n = 120_000;
    const key = (i: number) =>
      i % 3 === 0 ? `f${String(i).padStart(8, '0')}` : `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
    for (let i = 0; i < n; i += 1) expect(sut.slotOf(key(i)).slot).toBe(i);
    for (let i = 0; i < n; i += 997) {
      expect(sut.get(key(i))).toBe(i);
      expect(sut.keyAt(i)).toBe(key(i));
    }
    expect(sut.size).toBe(n);
  });
});
