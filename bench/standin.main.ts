import { startQdrantStandin } from '../test/support/qdrant-standin';

/**
 * The Qdrant stand-in in its own process: in the bench process it would share the event
 * loop with the scan and its million points would count in the service's RSS.
 */
async function main(): Promise<void> {
  const standin = await startQdrantStandin();
  process.send?.({ url: standin.url });
  const stop = () => void standin.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((error) => {
  process.stderr.write(`qdrant stand-in failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
