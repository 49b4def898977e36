// The fault suite (`npm run test:fault`): slow, kills processes and restarts servers, so it runs on
// its own after `npm test`, with the same setup (a real Temporal dev server, the workflow bundle).
const base = require('./package.json').jest;

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/fault/**/*.fault.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  setupFiles: ['<rootDir>/test/fault/quiet-temporal.ts'],
};
