// The fuzz suite (`npm run test:fuzz`): schemathesis against a real Herald on the real dev server,
// with the same setup as `npm test` plus schemathesis itself (test/fuzz/global-setup.ts).
const base = require('./package.json').jest;

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz.ts'],
  globalSetup: '<rootDir>/test/fuzz/global-setup.ts',
  testTimeout: 600_000,
  maxWorkers: 1,
};
