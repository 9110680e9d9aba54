import { fileKeyFor, safeFileName } from './file-key';

describe(safeFileName.name, () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\notes.txt', 'notes.txt'],
    ['a?b*c<d>.txt', 'a_b_c_d_.txt'],
    ['.hidden', 'hidden'],
    ['', 'file'],
    ['...', 'file'],
    ['Café déjà vu.md', 'Café déjà vu.md'],
  ])('%j → %j', (input, expected) => expect(safeFileName(input)).toBe(expected));

  it('bounds the name to 200 UTF-8 bytes without breaking characters', () => {
    const sut = safeFileName('é'.repeat(300));
    expect(Buffer.byteLength(sut)).toBeLessThanOrEqual(200);
    expect(sut.isWellFormed()).toBe(true);
  });

  it('lays out keys as user/file/name', () => {
    expect(fileKeyFor('u1', 'f1', 'a b.txt')).toBe('u1/f1/a b.txt');
  });
});
