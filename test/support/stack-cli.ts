import { startStack } from './stack';

/**
 * `npm run stack`: the real servers the tests use, on loopback, until Ctrl-C.
 * Prints the variables that point the service (or `npm test`) at them.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startStack();
  process.stdout.write(`test stack up in ${Date.now() - started} ms (data in ${stack.dataDir})\n`);
  for (const line of stack.started) process.stdout.write(`  ${line}\n`);
  process.stdout.write('\nUse it from another shell:\n');
  for (const [name, value] of Object.entries(stack.env)) if (value) process.stdout.write(`  export ${name}='${value}'\n`);
  process.stdout.write('\nCtrl-C stops every server and removes the data.\n');
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`stack: ${(error as Error).message}\n`);
  process.exit(1);
});
