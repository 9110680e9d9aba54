import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  commandProblems,
  configMountProblems,
  dataModelProblems,
  ComposeFile,
  credentialProblems,
  dependencyProblems,
  dockerfileProblems,
  environmentProblems,
  imageProblems,
  interpolate,
  loadCompose,
  loadImageCommands,
  publicGetRoutes,
  repoRoot,
  SAMPLE_EXISTING_ENV,
  schemaProblems,
  scriptCommands,
  volumeProblems,
} from '../support/compose-check';

const qdrantClient = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@qdrant/js-client-rest/package.json'), 'utf8')) as { version: string }).version;
const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const images = loadImageCommands();
const routes = publicGetRoutes();

/** A fresh copy of the real compose file, changed by `edit`: each broken variant must be caught. */
function broken(edit: (c: ComposeFile) => void): ComposeFile {
  const copy = structuredClone(loadCompose());
  edit(copy);
  return copy;
}

function allProblems(c: ComposeFile, file = dockerfile): string[] {
  return [
    ...schemaProblems(c),
    ...environmentProblems(c),
    ...credentialProblems(c),
    ...dependencyProblems(c),
    ...commandProblems(c, images),
    ...imageProblems(c, images, qdrantClient),
    ...volumeProblems(c),
    ...dockerfileProblems(file, c, routes),
  ];
}

describe('docker-compose.yml and the Dockerfile (checked without an engine)', () => {
  const compose = loadCompose();

  it('has no problem any check finds', () => {
    expect(allProblems(compose)).toEqual([]);
  });

  it('lists in docker/image-commands.json only images the compose files use (no stale entry)', () => {
    const existing = loadCompose(path.join(repoRoot, 'compose.existing.yml'), SAMPLE_EXISTING_ENV);
    const used = new Set([...Object.values(compose.services), ...Object.values(existing.services)].map((s) => s.image));
    expect(Object.keys(images.images).filter((image) => !used.has(image))).toEqual([]);
  });

  it('starts every service: the stores, the bucket job and the server', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['minio', 'minio-init', 'mongo', 'qdrant', 'redis', 'server']);
  });

  describe("compose.existing.yml (storesync alone on a deployment's stores)", () => {
    const existing = loadCompose(path.join(repoRoot, 'compose.existing.yml'), SAMPLE_EXISTING_ENV);

    it('passes the same checks: schema, variables, commands, image, health route', () => {
      expect([
        ...schemaProblems(existing),
        ...environmentProblems(existing),
        ...dependencyProblems(existing),
        ...commandProblems(existing, images),
        ...imageProblems(existing, images, qdrantClient),
        ...dockerfileProblems(dockerfile, existing, routes),
        ...configMountProblems(existing),
      ]).toEqual([]);
    });

    it('mounts the data-model file STORESYNC_CONFIG names, read-only; the example file loads', () => {
      expect((existing.services.server.environment as Record<string, string>).STORESYNC_CONFIG).toBe('/etc/storesync/config.yaml');
      const shortForm = structuredClone(existing);
      shortForm.services.server.volumes = ['./storesync.config.yaml:/etc/storesync/config.yaml:ro'];
      expect(configMountProblems(shortForm)).toEqual([
        'server: /etc/storesync/config.yaml is mounted with the short syntax (a missing file would become a directory)',
      ]);
      const unmounted = structuredClone(existing);
      unmounted.services.server.volumes = [];
      expect(configMountProblems(unmounted)).toEqual(['server: STORESYNC_CONFIG=/etc/storesync/config.yaml is not mounted into the container']);
      expect(dataModelProblems(path.join(repoRoot, 'docker/storesync.config.example.yaml'))).toEqual([]);
    });

    it('would name a broken data-model file', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'compose-model-'));
      try {
        const file = path.join(dir, 'broken.yaml');
        writeFileSync(file, 'metadata:\n  collection: "$bad name"\n');
        expect(dataModelProblems(file).join('\n')).toMatch(/metadata\.collection/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses to start without the stores' addresses (blank would mean the embedded stores)", () => {
      for (const name of ['MONGODB_URI', 'S3_ENDPOINT', 'QDRANT_URL', 'SYNC_API_TOKEN']) {
        const vars: Record<string, string> = { ...SAMPLE_EXISTING_ENV };
        delete vars[name];
        expect(() => loadCompose(path.join(repoRoot, 'compose.existing.yml'), vars)).toThrow(`required variable ${name} is missing a value`);
      }
    });
  });

  describe('the Compose specification schema', () => {
    it('rejects a key the specification does not have', () => {
      expect(schemaProblems(broken((c) => (c.services.mongo.healthcheck = { ...c.services.mongo.healthcheck, tets: ['CMD', 'x'] } as never)))).not.toEqual([]);
    });

    it('rejects a malformed duration and an unknown depends_on condition', () => {
      expect(schemaProblems(broken((c) => (c.services.redis.healthcheck = { ...c.services.redis.healthcheck, interval: 'ten seconds' } as never)))).not.toEqual(
        [],
      );
      expect(
        schemaProblems(broken((c) => ((c.services.server.depends_on as Record<string, { condition: string }>).mongo.condition = 'service_ready'))),
      ).not.toEqual([]);
    });
  });

  describe('the server environment', () => {
    it('names only variables libs/config validates', () => {
      const problems = environmentProblems(broken((c) => ((c.services.server.environment as Record<string, string>).S3_ENDPIONT = 'http://minio:9000')));
      expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('S3_ENDPIONT: not a variable libs/config knows')]));
    });

    it('holds values the config accepts', () => {
      const problems = environmentProblems(broken((c) => ((c.services.server.environment as Record<string, string>).SYNC_CHECK_INTERVAL = 'hourly')));
      expect(problems.join('\n')).toMatch(/SYNC_CHECK_INTERVAL/);
    });

    it('uses the credentials MinIO starts with and the bucket minio-init creates', () => {
      expect(credentialProblems(broken((c) => ((c.services.server.environment as Record<string, string>).S3_SECRET_ACCESS_KEY = 'other')))).toEqual([
        'server.S3_SECRET_ACCESS_KEY differs from minio.MINIO_ROOT_PASSWORD',
      ]);
      expect(credentialProblems(broken((c) => ((c.services.server.environment as Record<string, string>).S3_BUCKET = 'other')))).toEqual([
        'minio-init does not create the server\'s bucket "other"',
      ]);
    });

    it('interpolates as compose does: defaults, set variables, $$, required', () => {
      expect(interpolate('${A:-x}/${B-y}/$$C/${D}', { A: '', B: '', D: 'd' })).toBe('x//$C/d');
      expect(() => interpolate('${T:?set T}', { T: '' })).toThrow('required variable T is missing a value: set T');
    });

    it('refuses to start without an admin token (no default token on 0.0.0.0)', () => {
      expect(() => loadCompose(undefined, {})).toThrow(
        /required variable SYNC_API_TOKEN is missing a value: put SYNC_API_TOKEN=<a long random token> in \.env/,
      );
    });
  });

  describe('depends_on', () => {
    it('waits for healthy only on services with a healthcheck', () => {
      expect(dependencyProblems(broken((c) => delete c.services.qdrant.healthcheck))).toEqual([
        'server waits for qdrant to be healthy, but qdrant has no healthcheck',
      ]);
      expect(dependencyProblems(broken((c) => (c.services.redis.healthcheck = { test: ['NONE'] })))).toEqual([
        'server waits for redis to be healthy, but redis has no healthcheck',
      ]);
    });

    it('waits for completion only on one-shot jobs that exit', () => {
      expect(dependencyProblems(broken((c) => (c.services['minio-init'].restart = 'unless-stopped')))).toEqual([
        'server waits for minio-init to complete, but minio-init restarts "unless-stopped"',
      ]);
      expect(
        dependencyProblems(
          broken((c) => ((c.services.server.depends_on as Record<string, { condition: string }>).qdrant.condition = 'service_completed_successfully')),
        ),
      ).toEqual([
        'server waits for qdrant to complete, but qdrant is a long-running service (it has a healthcheck)',
        'server waits for qdrant to complete, but qdrant publishes ports (a server, not a job)',
        'server waits for qdrant to complete, but qdrant has no command of its own',
      ]);
    });

    it('names existing services and has no cycle', () => {
      expect(
        dependencyProblems(
          broken((c) => ((c.services.server.depends_on as Record<string, { condition: string }>).postgres = { condition: 'service_started' })),
        ),
      ).toEqual(['server depends on "postgres", which is not a service']);
      expect(dependencyProblems(broken((c) => (c.services.mongo.depends_on = { server: { condition: 'service_started' } })))).toEqual(
        expect.arrayContaining([expect.stringMatching(/^depends_on cycle: /)]),
      );
    });
  });

  describe('healthcheck commands', () => {
    it('reads the commands of a shell script, quotes and builtins aside', () => {
      expect(scriptCommands("exec 3<>/dev/tcp/h/1 && printf 'a; b' >&3 && read -r l <&3 && [[ $l == *' 200 '* ]]")).toEqual([]);
      expect(scriptCommands('curl -fs http://x || exit 1; X=1 wget -q y | grep -q ok')).toEqual(['curl', 'wget', 'grep']);
    });

    it("calls only what the pinned image contains (curl is not in MinIO's image)", () => {
      const problems = commandProblems(
        broken((c) => (c.services.minio.healthcheck = { test: ['CMD', 'curl', '-fs', 'http://localhost:9000/minio/health/ready'] })),
        images,
      );
      expect(problems).toEqual(['minio: calls "curl", which quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z does not contain (docker/image-commands.json)']);
    });

    it('finds a missing tool inside a shell form, and bash syntax under sh', () => {
      expect(
        commandProblems(
          broken((c) => (c.services.qdrant.healthcheck = { test: ['CMD-SHELL', 'wget -q --spider http://127.0.0.1:6333/readyz || exit 1'] })),
          images,
        ),
      ).toEqual(['qdrant: calls "wget", which qdrant/qdrant:v1.18.2 does not contain (docker/image-commands.json)']);
      expect(
        commandProblems(
          broken((c) => (c.services.qdrant.healthcheck = { test: ['CMD-SHELL', ':> /dev/tcp/127.0.0.1/6333'] })),
          images,
        ),
      ).toEqual(['qdrant: uses bash syntax but runs under sh: :> /dev/tcp/127.0.0.1/6333']);
    });

    it("checks the one-shot job's script against its image too", () => {
      expect(
        commandProblems(
          broken((c) => (c.services['minio-init'].entrypoint = ['/bin/sh', '-c', 'mc mb local/files && jq .'])),
          images,
        ),
      ).toEqual(['minio-init: calls "jq", which quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z does not contain (docker/image-commands.json)']);
    });
  });

  describe('images', () => {
    it('are pinned releases listed in docker/image-commands.json', () => {
      expect(
        imageProblems(
          broken((c) => (c.services.redis.image = 'redis:7')),
          images,
          qdrantClient,
        ),
      ).toEqual(['redis: image "redis:7" is not pinned to a release', 'redis: image "redis:7" is not in docker/image-commands.json']);
      expect(
        imageProblems(
          broken((c) => (c.services.qdrant.image = 'qdrant/qdrant:latest')),
          images,
          qdrantClient,
        ),
      ).toEqual(expect.arrayContaining(['qdrant: image "qdrant/qdrant:latest" is not pinned to a release']));
    });

    it('pull MinIO from quay.io (its Docker Hub repositories are gone)', () => {
      expect(
        imageProblems(
          broken((c) => (c.services.minio.image = 'minio/minio:RELEASE.2025-09-07T16-13-09Z')),
          images,
          qdrantClient,
        ),
      ).toEqual(expect.arrayContaining(['minio: minio/minio:RELEASE.2025-09-07T16-13-09Z is no longer published on Docker Hub (use quay.io/minio/...)']));
    });

    it('keep Qdrant within a minor version of @qdrant/js-client-rest, and MongoDB on 7.x', () => {
      expect(imageProblems(loadCompose(), images, '1.20.0')).toEqual([
        'qdrant: qdrant/qdrant:v1.18.2 is outside what @qdrant/js-client-rest 1.20.0 supports (same major, minor within 1)',
      ]);
      const withMongo8 = broken((c) => (c.services.mongo.image = 'mongo:8.0.4'));
      expect(imageProblems(withMongo8, { images: { ...images.images, 'mongo:8.0.4': ['mongosh'] } }, qdrantClient)).toEqual([
        'mongo: mongo:8.0.4 is not a pinned MongoDB 7.x',
      ]);
    });
  });

  describe('volumes', () => {
    it("keep every store's data in a declared named volume", () => {
      expect(volumeProblems(broken((c) => delete c.volumes!['qdrant-data']))).toEqual([
        'qdrant: /qdrant/storage is on "qdrant-data", not a named volume declared under volumes:',
      ]);
      expect(volumeProblems(broken((c) => (c.services.mongo.volumes = [])))).toEqual(['mongo: /data/db is not on a volume']);
    });
  });

  describe('the Dockerfile', () => {
    it("finds the server's public health routes (and not the token-guarded ones)", () => {
      expect([...routes]).toEqual(expect.arrayContaining(['/api/health', '/api/health/live', '/api/health/ready']));
      expect([...routes]).not.toContain('/api/sync/issues');
    });

    it('runs Node 24, builds server and dashboard, and drops root', () => {
      expect(dockerfileProblems(dockerfile.replace(/node:24-slim/g, 'node:22-slim'), compose, routes)).toEqual([
        expect.stringContaining('every stage must be node:24'),
      ]);
      expect(dockerfileProblems(dockerfile.replace(/^USER node$/m, ''), compose, routes)).toEqual([expect.stringContaining('runs as root')]);
      expect(dockerfileProblems(dockerfile.replace(' && npm run build:admin', ''), compose, routes)).toEqual([expect.stringContaining('dashboard export')]);
      expect(dockerfileProblems(dockerfile, compose, routes, ['apps/admin', 'clients/typescript'])).toEqual([
        'Dockerfile: clients/typescript/package.json is not copied before npm ci',
      ]);
    });

    it('health-checks a route the server answers without a token, the same one compose asks', () => {
      expect(dockerfileProblems(dockerfile.replace("3000/api/health/ready'", "3000/api/healthz'"), compose, routes)).toEqual([
        'Dockerfile: healthcheck path /api/healthz is not a public GET route of the server',
        'Dockerfile and compose ask different health paths (/api/healthz, /api/health/ready)',
      ]);
    });
  });
});
