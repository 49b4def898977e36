// Each test file gets its own module registry and so its own Temporal Runtime: keep its log to warnings.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
