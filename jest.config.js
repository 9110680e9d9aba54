// Nest 12 is ESM; our sources compile to CJS through swc and load it via require(esm),
// which Jest supports only with --experimental-vm-modules (set in the npm test script).
const swcJest = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

// The React panel's sources (.tsx): the same swc, with JSX.
const swcJestTsx = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2023' },
    module: { type: 'commonjs' },
  },
];

const libs = [
  'contract',
  'core',
  'events',
  'config',
  'storage',
  'analysis',
  'repair',
  'ingest',
  'realtime',
  'scheduling',
  'metrics',
  'change-feed',
  'notifications',
  'auto-repair',
  'scrubber',
];
const moduleNameMapper = {
  ...Object.fromEntries(libs.map((lib) => [`^@storesync/${lib}$`, `<rootDir>/libs/${lib}/src`])),
  '^@storesync/client$': '<rootDir>/clients/typescript/src',
  '^@storesync/react$': '<rootDir>/clients/react/src',
};

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swcJest, '^.+\\.tsx$': swcJestTsx },
  moduleNameMapper,
  roots: ['<rootDir>/libs', '<rootDir>/apps/server', '<rootDir>/clients/typescript', '<rootDir>/clients/react', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract-spec.ts', '**/*.fuzz-spec.ts', '**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
