// The specs that need no database and no built dist/: `npm run test:unit`, in well under a minute.
const config = require('./jest.config');

module.exports = {
  ...config,
  testMatch: [
    '<rootDir>/{apps,libs}/**/*.spec.ts',
    '<rootDir>/tests/seeds/{dataset-dates,monitoring,xishan-2024.seed-data}.spec.ts',
    '<rootDir>/tests/reliability/auth-failure-limiter.reliability.spec.ts',
  ],
};
