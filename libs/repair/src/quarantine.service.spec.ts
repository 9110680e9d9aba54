import { parseQuarantineKey } from './quarantine.service';

describe(parseQuarantineKey.name, () => {
  it('splits a quarantine key into its day and original key', () => {
    expect(parseQuarantineKey('quarantine/2024-03-05/alice/a b/c.txt', 'quarantine/')).toEqual({
      day: new Date('2024-03-05T00:00:00.000Z'),
      original: 'alice/a b/c.txt',
    });
  });

  it('refuses keys outside the prefix or without a day', () => {
    expect(parseQuarantineKey('alice/a.txt', 'quarantine/')).toBeNull();
    expect(parseQuarantineKey('quarantine/alice/a.txt', 'quarantine/')).toBeNull();
    expect(parseQuarantineKey('quarantine/2024-13-45/a', 'quarantine/')).toBeNull();
    expect(parseQuarantineKey('quarantine/2024-03-05/', 'quarantine/')).toBeNull();
  });
});
