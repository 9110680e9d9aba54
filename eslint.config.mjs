// One ESLint config for the whole repo: typescript-eslint's type-aware rules where they catch
// bugs (floating and misused promises, unsafe any), eslint-config-prettier last so formatting is
// Prettier's alone (`npm run lint` runs both, `npm run format` rewrites).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'coverage/**',
      'data/**',
      'test-artifacts/**',
      'bench-profiles/**',
      '.stack/**',
      '.scratch/**',
      'apps/admin/out/**',
      'apps/admin/.next/**',
      'apps/admin/next-env.d.ts',
      'apps/panel-demo/dist/**',
      'clients/python/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it (root, apps/admin, apps/panel-demo, clients/react).
        projectService: {
          // Files no tsconfig includes (Next's config, the React client's server-render spec).
          allowDefaultProject: ['apps/admin/next.config.ts', 'clients/react/src/server-render.spec.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The bugs these rules exist for.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest and Jest pass methods around on purpose (guards, `expect(spy)`); not a bug source here.
      '@typescript-eslint/unbound-method': 'off',
      // An async method without await is how an interface's async contract is met.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests reach into bodies and mocks: `any` from supertest and JSON is expected there.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract-spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (configs, build scripts): no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', module: 'writable', require: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
