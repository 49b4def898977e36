// The cluster suite (`npm run test:cluster`): Herald on the real Temporal server (four services on
// PostgreSQL) with two APIs and two workers, each test file on a topology of its own
// (test/cluster/cluster.ts). One file at a time: a topology is a dozen processes on this machine.
const base = require('./package.json').jest;

module.exports = {
  transform: base.transform,
  testEnvironment: base.testEnvironment,
  modulePathIgnorePatterns: base.modulePathIgnorePatterns,
  testMatch: ['<rootDir>/test/cluster/**/*.cluster.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  testTimeout: 600_000,
  maxWorkers: 1,
};
