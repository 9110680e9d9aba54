import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AnalysisService, DoctorReport, DoctorService } from '@storesync/analysis';
import { ConfigValidationError, loadAppConfig } from '@storesync/config';
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
  doctor [--json]                          samples each store, proposes a data-model config file and
                                           previews what an analysis with it would report; exit 2 on warnings
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
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !['health', 'analyze', 'fix', 'doctor'].includes(command)) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 64;
  }
  const config = loadAppConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await NestFactory.createApplicationContext(CliModule, { logger: createLogger(config) });
  try {
    if (command === 'health') return await health(app.get(StoreHealthService));
    if (command === 'doctor') return await doctor(app.get(DoctorService), values.json);
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

async function doctor(service: DoctorService, json: boolean): Promise<number> {
  const report = await service.examine();
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(doctorText(report));
  return report.warnings.length > 0 ? 2 : 0;
}

function doctorText(r: DoctorReport): string {
  const lines: string[] = [];
  lines.push(`sampled ${r.samples.documents} documents, ${r.samples.keys} keys, ${r.samples.points} points`);
  lines.push('', 'metadata fields (storesync field -> path, kind, share of documents):');
  for (const f of r.inferred.metadata)
    lines.push(`  ${f.field.padEnd(24)} ${(f.path ?? '(not found: not checked)').padEnd(28)} ${(f.kind ?? '').padEnd(14)} ${Math.round(f.coverage * 100)}%`);
  lines.push('', `points look written by: ${r.inferred.writer}`);
  for (const f of r.inferred.payload)
    lines.push(`  ${f.field.padEnd(24)} ${(f.path ?? '(not found: not checked)').padEnd(28)} ${(f.kind ?? '').padEnd(14)} ${Math.round(f.coverage * 100)}%`);
  const v = r.inferred.vectors;
  lines.push(
    '',
    `vectors: ${v ? v.vectors.map((x) => `${x.name ?? '(unnamed)'} ${x.size} ${x.distance}`).join(', ') + `, ${v.points} points` : 'no collection'}`,
  );
  lines.push(
    `keys: user from ${r.inferred.keys.user_from_key} (${Math.round(r.inferred.keys.agreement * 100)}% of sampled keys agree); top-level prefixes: ${r.inferred.keys.top_prefixes.join(' ') || '(none)'}`,
  );
  lines.push('', '# proposed storesync.config.yaml', r.proposed_yaml.trimEnd());
  const p = r.preview;
  lines.push('', `preview${p.partial ? ` (partial: ${p.reason ?? ''})` : ''}: ${p.files} files, ${p.objects} objects, ${p.points} points`);
  for (const [type, n] of Object.entries(p.issues_by_type)) lines.push(`  ${type.padEnd(20)} ${n}`);
  if (r.warnings.length > 0) lines.push('', 'warnings:', ...r.warnings.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}

async function fix(
  service: RepairService,
  userId: string | undefined,
  types: IssueType[] | undefined,
  apply: boolean,
  allowDestructive: boolean,
): Promise<number> {
  const outcome = await service.fix({
    selection: { userIds: userId ? [userId] : undefined, types },
    dryRun: !apply,
    allowDestructive,
    force: false,
    actor: 'api',
  });
  for (const a of outcome.actions) {
    process.stdout.write(
      `${a.result.padEnd(8)} ${a.action.padEnd(18)} ${a.destructive ? 'destructive ' : ''}${a.target}${a.reason ? `  (${a.reason})` : ''}\n`,
    );
  }
  const { planned, done, skipped, failed } = outcome.summary;
  process.stdout.write(
    `${outcome.dry_run ? 'dry run' : 'applied'}: ${planned} planned, ${done} done, ${skipped} skipped, ${failed} failed (plan ${outcome.plan_id})\n`,
  );
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
