import * as fs from 'node:fs';
import * as path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@storesync/config';
import { SyncIoAdapter } from '@storesync/realtime';
import { json, type NextFunction, type Request, type Response } from 'express';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { withErrorSchema } from './http/error-schema';
import { requireApiContentType, verifyJsonDepth } from './http/request-guards';
import { securityHeaders } from './http/security-headers';
import { reserveUserIdsFor } from './http/user-id';
import { createValidationPipe } from './http/validation';

/** JSON bodies above this are refused with 413 (uploads have their own limit). */
const JSON_BODY_LIMIT = '1mb';

/** Where `npm run build:admin` puts the static dashboard. */
export const ADMIN_DIR = path.resolve(
  __dirname,
  '../../../',
  fs.existsSync(path.resolve(__dirname, '../../../apps/admin/out')) ? 'apps/admin/out' : '../apps/admin/out',
);

/** Where the panel demo's build (apps/panel-demo/build.mjs) puts its static page. */
export const PANEL_DEMO_DIR = path.resolve(
  __dirname,
  '../../../',
  fs.existsSync(path.resolve(__dirname, '../../../apps/panel-demo/dist')) ? 'apps/panel-demo/dist' : '../apps/panel-demo/dist',
);

/** Everything main.ts and the test server share: pipes, filters, docs, the dashboard. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  reserveUserIdsFor(config.sync.quarantinePrefix);
  app.disable('x-powered-by');
  allowEmbeddingOrigins(app);
  app.use(securityHeaders());
  app.use(requireApiContentType);
  // express.json directly: Nest's useBodyParser reserves `verify`, which the depth check needs.
  app.use(json({ limit: JSON_BODY_LIMIT, verify: verifyJsonDepth() }));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useWebSocketAdapter(new SyncIoAdapter(app, app.get(AppConfig)));
  app.enableShutdownHooks();
  if (app.get(AppConfig).hardening.apiDocs) serveApiDocs(app);
  // Before the dashboard: its fallback answers every other GET with its own page.
  if (app.get(AppConfig).seedDemo) servePanelDemo(app);
  serveAdmin(app);
}

/**
 * CORS for the origins in SYNC_CORS_ORIGINS, so an application's own pages (the Sync Status
 * Panel) may call the API with a bearer token; no cookies are involved, so no credentials.
 */
function allowEmbeddingOrigins(app: NestExpressApplication): void {
  const origins = app.get(AppConfig).sync.corsOrigins;
  if (origins.length === 0) return;
  app.enableCors({ origin: origins, methods: ['GET', 'POST', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'Accept'], maxAge: 600 });
}

/** The Sync Status Panel embedded in a tiny host page, for the demo user (/panel-demo/). */
function servePanelDemo(app: NestExpressApplication): void {
  if (!fs.existsSync(path.join(PANEL_DEMO_DIR, 'index.html'))) return;
  app.useStaticAssets(PANEL_DEMO_DIR, { prefix: '/panel-demo/', index: 'index.html' });
}

/** /api/docs and /api/docs-json, generated from the DTOs (SYNC_API_DOCS). */
function serveApiDocs(app: NestExpressApplication): void {
  const document = withErrorSchema(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('storesync')
        .setDescription('Consistency of files across MongoDB, S3 and Qdrant: analysis, repair, events')
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** The built dashboard at /, with index.html for client-side routes. */
function serveAdmin(app: NestExpressApplication): void {
  if (!fs.existsSync(path.join(ADMIN_DIR, 'index.html'))) return;
  app.useStaticAssets(ADMIN_DIR, { index: 'index.html', extensions: ['html'] });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // /metrics is the scrape route (its own controller), not a dashboard page.
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io') || req.path === '/metrics') return next();
    res.sendFile(path.join(ADMIN_DIR, 'index.html'));
  });
}
