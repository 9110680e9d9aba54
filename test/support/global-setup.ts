import { startStack } from './stack';

/** Starts the real test stack once for the whole run; workers inherit its env. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const stack = await startStack();
  // Assigning undefined to process.env stores the string "undefined": copy only what is set.
  for (const [name, value] of Object.entries(stack.env)) if (value !== undefined) process.env[name] = value;
  process.env.STORESYNC_STACK_DIR = stack.dataDir;
  (globalThis as { __STACK__?: unknown }).__STACK__ = stack;
  if (stack.started.length > 0) {
    process.stdout.write(`\ntest stack up in ${Date.now() - started} ms: ${stack.started.join(', ')}\n`);
  }
}
