// The fault suite stops servers on purpose: the SDK's retry warnings are expected there, keep errors only.
// Core's own logs go straight to the console: forwarding them to the TS logger holds a native handle
// that keeps jest from exiting.
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

const logger = new DefaultLogger('ERROR');
Runtime.install({ logger, telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), console: {} } } });
