import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, RunningServer, startProcess, stopProcess } from './process';

/**
 * ElasticMQ, an SQS-compatible server (JVM), on loopback: its jars come from Maven Central through
 * scripts/fetch-elasticmq.sh (cached; .ci/run fetches them first). Queues are created by the test through the API.
 */
export async function startElasticMq(dataDir: string): Promise<RunningServer> {
  const script = path.resolve(__dirname, '../../../scripts/fetch-elasticmq.sh');
  const lib = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const port = await freePort();
  const config = path.join(dataDir, 'elasticmq.conf');
  fs.writeFileSync(
    config,
    [
      'include classpath("application.conf")',
      `node-address { protocol = http, host = "127.0.0.1", port = ${port}, context-path = "" }`,
      `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }`,
      'rest-stats { enabled = false }',
      '',
    ].join('\n'),
  );
  const child = await startProcess({
    name: 'elasticmq',
    command: 'java',
    args: ['-Xmx256m', `-Dconfig.file=${config}`, '-cp', `${lib}/*`, 'org.elasticmq.server.Main'],
    port,
    logFile: path.join(dataDir, 'elasticmq.log'),
    readyTimeoutMs: 60000,
  });
  return { name: 'elasticmq', url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => stopProcess(child) };
}
