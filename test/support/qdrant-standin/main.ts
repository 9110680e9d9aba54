import { startQdrantStandin } from './server';

/** The stand-in as a process of its own (fault tests stop it with SIGSTOP): `main.js <port>`. */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  const standin = await startQdrantStandin({ port });
  process.stdout.write(`listening ${standin.url}\n`);
  const stop = () => void standin.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`qdrant-standin: ${(error as Error).message}\n`);
  process.exit(1);
});
