// Bundles the panel demo into static files (dist/) the server serves at /panel-demo/ under
// `npm start`. `@storesync/react` resolves to the workspace source (tsconfig paths).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist');
mkdirSync(out, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.tsx', host: 'src/host.css' },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  tsconfig: join(root, 'tsconfig.json'),
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync(join(root, 'index.html'), join(out, 'index.html'));
