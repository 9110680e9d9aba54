import { io, Socket } from 'socket.io-client';

/**
 * The event bench's clients, in their own process as real subscribers would be, so
 * their decoding does not queue behind the server's work. Latency uses the shared wall
 * clock (timeOrigin + now) of both processes.
 */
const [url, token, countText] = process.argv.slice(2);
const wallNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < Number(countText); i++) {
    const socket = io(`${url}/sync`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    await socket.timeout(5000).emitWithAck('subscribe', { all: true });
    const record = (event: { data?: { sent_at?: number } }) => {
      if (typeof event.data?.sent_at === 'number') latencies.push(wallNow() - event.data.sent_at);
    };
    socket.on('event', record);
    socket.on('events', (events: { data?: { sent_at?: number } }[]) => events.forEach(record));
    sockets.push(socket);
  }
  process.send!({ ready: true });
  process.on('message', (message: { finish?: boolean }) => {
    if (!message.finish) return;
    sockets.forEach((s) => s.close());
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    process.send!({ delivered: latencies.length, p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? NaN }, () => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`socket clients: ${(error as Error).message}\n`);
  process.exit(1);
});
