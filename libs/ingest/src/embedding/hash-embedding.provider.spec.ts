import { HashEmbeddingProvider } from './hash-embedding.provider';

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);

describe(HashEmbeddingProvider.name, () => {
  const sut = new HashEmbeddingProvider('hash-v1', 64);

  it('gives unit vectors of the configured dimension', async () => {
    const [vector] = await sut.embed(['the quick brown fox']);
    expect(vector).toHaveLength(64);
    expect(Math.sqrt(cosine(vector, vector))).toBeCloseTo(1, 10);
  });

  it('is deterministic across instances', async () => {
    const other = new HashEmbeddingProvider('hash-v1', 64);
    expect(await other.embed(['same text'])).toEqual(await sut.embed(['same text']));
  });

  it('puts texts sharing words closer than unrelated texts', async () => {
    const [a, b, c] = await sut.embed(['invoice payment overdue', 'payment of the invoice is overdue', 'river kayak weekend']);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });

  it('gives a unit vector even for text without words', async () => {
    const [vector] = await sut.embed(['']);
    expect(Math.sqrt(cosine(vector, vector))).toBeCloseTo(1, 10);
    const [punctuation] = await sut.embed(['!!!']);
    expect(Math.sqrt(cosine(punctuation, punctuation))).toBeCloseTo(1, 10);
  });
});
