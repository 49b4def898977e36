// Once per `npm run test:fuzz`: everything `npm test` sets up (the dev server, PostgreSQL, the
// workflow bundle), and schemathesis found or installed.
import baseSetup from '../support/global-setup';
import { findSchemathesis, NO_SCHEMATHESIS_HELP } from './schemathesis';

export default async function globalSetup(): Promise<void> {
  const schemathesis = findSchemathesis((m) => process.stderr.write(`[setup] ${m}\n`));
  if (!schemathesis) throw new Error(NO_SCHEMATHESIS_HELP);
  process.env.SCHEMATHESIS_PATH = schemathesis;
  await baseSetup();
}
