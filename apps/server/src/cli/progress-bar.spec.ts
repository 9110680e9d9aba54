import { ProgressBar, renderBar } from './progress-bar';

describe(renderBar.name, () => {
  it('fills in proportion and clamps', () => {
    expect(renderBar(0, 10)).toBe('[----------]');
    expect(renderBar(0.5, 10)).toBe('[#####-----]');
    expect(renderBar(2, 10)).toBe('[##########]');
  });
});

describe(ProgressBar.name, () => {
  it('writes one line per tenth when not on a terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const sut = new ProgressBar('analysis', stream);
    for (let done = 0; done <= 100; done += 5) sut.update(done, 100);
    expect(lines).toHaveLength(11);
    expect(lines[10]).toMatch(/^analysis \[#{30}\] 100% 100\/100/);
  });
});
