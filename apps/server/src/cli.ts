import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AnalysisService } from '@storesync/analysis';
import { AppConfig, ConfigValidationError, loadAppConfig } from '@storesync/config';
import { ISSUE_TYPES, IssueType } from '@storesync/core';
import { EventPublisher } from '@storesync/events';
import { RepairService } from '@storesync/repair';
import { StoreHealthService } from '@storesync/storage';
import { CliModule } from './cli/cli.module';
import { ProgressBar } from './cli/progress-bar';
import { createLogger } from './logging';

const USAGE = `usage: npm run cli -- <command> [options]
  health                                   each store's reachability
  analyze [--user ID] [--deep]             a full analysis with a progress bar; exit 2 when issues are open
  fix [--user ID] [--type T,...] [--apply] [--allow-destructive]
                                           the repair plan (a dry run unless --apply)
Stores are chosen by the same variables as the server (MONGODB_URI, S3_ENDPOINT, QDRANT_URL, DATA_DIR…).`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      deep: { type: 'boolean', default: false },
      type: { type: 'string' },
      apply: { type: 'boolean', default: false },
      'allow-destructive': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !['health', 'analyze', 'fix'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 64;
  }
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await NestFactory.createApplicationContext(CliModule, { logger: createLogger(config) });
  try {
    if (command === 'health') return await health(app.get(StoreHealthService));
    if (command === 'analyze') return await analyze(app.get(AnalysisService), app.get(EventPublisher), values.user, values.deep);
    const types = values.type ? values.type.split(',').map((t) => t.trim()) : undefined;
    const unknown = types?.filter((t) => !(ISSUE_TYPES as readonly string[]).includes(t));
    if (unknown?.length) throw new Error(`--type: unknown issue type ${unknown.join(', ')} (one of ${ISSUE_TYPES.join(', ')})`);
    return await fix(app.get(RepairService), values.user, types as IssueType[] | undefined, values.apply, values['allow-destructive']);
  } finally {
    await app.close();
  }
}

async function health(service: StoreHealthService): Promise<number> {
  const stores = await service.check();
  for (const s of Object.values(stores)) {
    process.stdout.write(`${s.store.padEnd(8)} ${s.kind.padEnd(8)} ${s.ok ? 'up  ' : 'DOWN'} ${s.latencyMs} ms${s.error ? `  ${s.error}` : ''}\n`);
  }
  return Object.values(stores).every((s) => s.ok) ? 0 : 1;
}

async function analyze(service: AnalysisService, events: EventPublisher, userId: string | undefined, deep: boolean): Promise<number> {
  const bar = new ProgressBar(userId ? `analysis of ${userId}` : 'analysis');
  const started = service.start({ userId, deep, trigger: 'cli' });
  const stop = events.on('analysis.progress', (event) => {
    if (event.data.run_id === started.runId) bar.update(event.data.processed, event.data.total_estimate);
  });
  const run = await started.done.finally(stop);
  bar.finish(`run ${run.id}: ${run.state} in ${run.duration_ms} ms${run.reason ? ` (${run.reason})` : ''}`);
  const s = run.summary;
  process.stdout.write(`files ${s.total_files}: ${s.synced} synced, ${s.out_of_sync} out of sync, ${s.missing} missing, ${s.error} error\n`);
  for (const [type, count] of Object.entries(s.issues_by_type)) process.stdout.write(`  ${type.padEnd(20)} ${count}\n`);
  if (run.partial) return 1;
  return run.issues_found > 0 ? 2 : 0;
}

async function fix(service: RepairService, userId: string | undefined, types: IssueType[] | undefined, apply: boolean, allowDestructive: boolean): Promise<number> {
  const outcome = await service.fix({
    selection: { userIds: userId ? [userId] : undefined, types },
    dryRun: !apply,
    allowDestructive,
    force: false,
    actor: 'api',
  });
  for (const a of outcome.actions) {
    process.stdout.write(`${a.result.padEnd(8)} ${a.action.padEnd(18)} ${a.destructive ? 'destructive ' : ''}${a.target}${a.reason ? `  (${a.reason})` : ''}\n`);
  }
  const { planned, done, skipped, failed } = outcome.summary;
  process.stdout.write(`${outcome.dry_run ? 'dry run' : 'applied'}: ${planned} planned, ${done} done, ${skipped} skipped, ${failed} failed (plan ${outcome.plan_id})\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const message = error instanceof ConfigValidationError ? `cannot start. ${error.message}` : (error as Error).message;
    process.stderr.write(`storesync: ${message}\n`);
    process.exit(1);
  },
);
