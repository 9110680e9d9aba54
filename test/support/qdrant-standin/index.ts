// Placeholder: the Qdrant-REST-compatible stand-in server is written in server.ts.
export interface QdrantStandin {
  url: string;
  close(): Promise<void>;
}

export async function startQdrantStandin(_options: { port?: number; apiKey?: string } = {}): Promise<QdrantStandin> {
  throw new Error('not yet written');
}
