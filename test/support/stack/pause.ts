/**
 * Runs `during` while the process is stopped by SIGSTOP (its sockets stay open, nothing
 * answers: a hung server), and always sends SIGCONT afterwards, even when `during`
 * throws, so a failing fault test can never leave a server of the suite frozen.
 */
export async function whilePaused<T>(pid: number, during: () => Promise<T>): Promise<T> {
  process.kill(pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

/** A handle for a pause whose end is decided elsewhere (resume() is idempotent). */
export function pause(pid: number): { resume(): void } {
  process.kill(pid, 'SIGSTOP');
  let resumed = false;
  return {
    resume() {
      if (resumed) return;
      resumed = true;
      process.kill(pid, 'SIGCONT');
    },
  };
}
