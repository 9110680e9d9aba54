import { ISSUE_TYPES } from '@storesync/contract';

/** A notification channel as configured (NOTIFY_CHANNELS). */
export type ChannelSettings =
  | { name: string; kind: 'webhook'; url: string; secret: string }
  | { name: string; kind: 'slack'; url: string }
  | { name: string; kind: 'email'; smtpUrl: string; from: string; to: string[] };

/** What can be notified. */
export const NOTIFY_TRIGGERS = ['issues_detected', 'store_down', 'partial_run', 'circuit_breaker', 'repair_failed'] as const;
export type NotifyTrigger = (typeof NOTIFY_TRIGGERS)[number];

/** One rule (NOTIFY_RULES): these triggers go to these channels; issues only from `threshold` new ones a digest. */
export interface RuleSettings {
  on: NotifyTrigger[];
  channels: string[];
  /** issues_detected: notify only when a digest window holds at least this many new issues. */
  threshold: number;
  /** issues_detected: only these issue types (all when empty). */
  types: string[];
}

export interface NotificationSettings {
  channels: ChannelSettings[];
  rules: RuleSettings[];
  /** A burst within this window becomes one message. */
  digestSeconds: number;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

const isHttpUrl = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
};

function parseJsonArray(name: string, raw: string | undefined, problems: string[]): unknown[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) throw new Error('not an array');
    return value;
  } catch (e) {
    problems.push(`${name}: must be a JSON array (${(e as Error).message})`);
    return [];
  }
}

/** Channels and rules from their JSON variables; each problem names the variable and the item. */
export function parseNotificationSettings(
  raw: { channels?: string; rules?: string; digestSeconds: number; maxAttempts: number; backoffMs: number; timeoutMs: number },
  problems: string[],
): NotificationSettings {
  const channels: ChannelSettings[] = [];
  parseJsonArray('NOTIFY_CHANNELS', raw.channels, problems).forEach((item, i) => {
    const at = `NOTIFY_CHANNELS[${i}]`;
    const c = (item ?? {}) as Record<string, unknown>;
    if (typeof c.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(c.name)) return problems.push(`${at}.name: must be 1-64 letters, digits, _ or -`);
    if (channels.some((other) => other.name === c.name)) return problems.push(`${at}.name: "${c.name}" is used twice`);
    switch (c.kind) {
      case 'webhook':
        if (!isHttpUrl(c.url)) return problems.push(`${at}.url: must be an http(s) URL`);
        if (typeof c.secret !== 'string' || c.secret.length < 16) return problems.push(`${at}.secret: must be at least 16 characters (it signs each delivery)`);
        return channels.push({ name: c.name, kind: 'webhook', url: c.url, secret: c.secret });
      case 'slack':
        if (!isHttpUrl(c.url)) return problems.push(`${at}.url: must be an http(s) URL (the incoming webhook)`);
        return channels.push({ name: c.name, kind: 'slack', url: c.url });
      case 'email': {
        const smtp = c.smtp_url;
        if (typeof smtp !== 'string' || !/^smtps?:\/\/.+/.test(smtp)) return problems.push(`${at}.smtp_url: must be smtp://host:port or smtps://…`);
        if (typeof c.from !== 'string' || !c.from.includes('@')) return problems.push(`${at}.from: must be an email address`);
        const to = Array.isArray(c.to) ? c.to : [c.to];
        if (to.length === 0 || !to.every((a) => typeof a === 'string' && a.includes('@')))
          return problems.push(`${at}.to: must be an email address or a list of them`);
        return channels.push({ name: c.name, kind: 'email', smtpUrl: smtp, from: c.from, to: to as string[] });
      }
      default:
        return problems.push(`${at}.kind: must be webhook, slack or email`);
    }
  });
  const rules: RuleSettings[] = [];
  parseJsonArray('NOTIFY_RULES', raw.rules, problems).forEach((item, i) => {
    const at = `NOTIFY_RULES[${i}]`;
    const r = (item ?? {}) as Record<string, unknown>;
    const on = Array.isArray(r.on) ? r.on : [r.on];
    if (on.length === 0 || !on.every((t) => (NOTIFY_TRIGGERS as readonly unknown[]).includes(t))) {
      return problems.push(`${at}.on: must be one or more of ${NOTIFY_TRIGGERS.join(', ')}`);
    }
    const targets = Array.isArray(r.channels) ? r.channels : [r.channels];
    const unknown = targets.filter((name) => !channels.some((c) => c.name === name));
    if (targets.length === 0 || unknown.length > 0)
      return problems.push(`${at}.channels: unknown channel ${JSON.stringify(unknown[0] ?? null)} (see NOTIFY_CHANNELS)`);
    const threshold = r.threshold ?? 1;
    if (!Number.isInteger(threshold) || (threshold as number) < 1) return problems.push(`${at}.threshold: must be a positive integer`);
    const types = r.types ?? [];
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) return problems.push(`${at}.types: must be a list of issue types`);
    return rules.push({ on: on as NotifyTrigger[], channels: targets as string[], threshold: threshold as number, types: types });
  });
  return { channels, rules, digestSeconds: raw.digestSeconds, maxAttempts: raw.maxAttempts, backoffMs: raw.backoffMs, timeoutMs: raw.timeoutMs };
}

export interface AutoRepairSettings {
  types: string[];
  destructiveTypes: string[];
  maxPerMinute: number;
  batchSeconds: number;
}

/** AUTO_REPAIR_TYPES and AUTO_REPAIR_DESTRUCTIVE_TYPES: known types, the destructive ones a subset. */
export function parseAutoRepairTypes(
  types: string | undefined,
  destructive: string | undefined,
  problems: string[],
): { types: string[]; destructiveTypes: string[] } {
  const list = (raw: string | undefined) =>
    (raw ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  const t = list(types);
  const d = list(destructive);
  for (const [name, values] of [
    ['AUTO_REPAIR_TYPES', t],
    ['AUTO_REPAIR_DESTRUCTIVE_TYPES', d],
  ] as const) {
    const unknown = values.filter((v) => !(ISSUE_TYPES as readonly string[]).includes(v) || v === 'store_unavailable');
    if (unknown.length > 0) problems.push(`${name}: unknown or unrepairable issue type ${unknown.join(', ')}`);
  }
  const outside = d.filter((v) => !t.includes(v));
  if (outside.length > 0) problems.push(`AUTO_REPAIR_DESTRUCTIVE_TYPES: ${outside.join(', ')} not in AUTO_REPAIR_TYPES`);
  return { types: t, destructiveTypes: d };
}
