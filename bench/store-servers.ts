import { withDatabase } from './reuse';

/**
 * What answers at MONGODB_URI, S3_ENDPOINT and QDRANT_URL, as each server reports
 * itself: a run on an external stack records what it measured, not just "external".
 */
export async function describeExternalStores(env: NodeJS.ProcessEnv): Promise<string[]> {
  const [mongo, s3, qdrant] = await Promise.all([
    describe(() => mongoServer(env.MONGODB_URI!)),
    describe(() => s3Server(env.S3_ENDPOINT!)),
    describe(() => qdrantServer(env.QDRANT_URL!)),
  ]);
  return [`MONGODB_URI: ${mongo}`, `S3_ENDPOINT: ${s3}`, `QDRANT_URL: ${qdrant}`];
}

async function describe(probe: () => Promise<string>): Promise<string> {
  try {
    return await probe();
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
}

function where(url: string): string {
  const host = new URL(url).hostname;
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host) ? 'on loopback' : `at ${host}`;
}

async function mongoServer(uri: string): Promise<string> {
  const info = await withDatabase(uri, (db) => db.admin().command({ buildInfo: 1 }));
  const name = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`;
  return `${name} ${where(uri)}`;
}

async function s3Server(endpoint: string): Promise<string> {
  // An anonymous request is refused, but the refusal names the server.
  const response = await fetch(endpoint, { signal: AbortSignal.timeout(5000) });
  return `${response.headers.get('server') ?? 'S3 server'} ${where(endpoint)}`;
}

async function qdrantServer(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const info = (await response.json()) as { version?: string; commit?: string };
  const name = info.commit === 'standin' ? `Qdrant REST stand-in (test/support/qdrant-standin) reporting ${info.version}` : `Qdrant ${info.version}`;
  return `${name} ${where(url)}`;
}
