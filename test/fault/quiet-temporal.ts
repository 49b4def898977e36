// The fault suite stops servers on purpose: the SDK's retry warnings are expected there, keep errors only.
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

const logger = new DefaultLogger('ERROR');
Runtime.install({ logger, telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
