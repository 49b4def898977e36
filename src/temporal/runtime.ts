// The process's Temporal Runtime (the SDK's native core), installed apart from the logger so that
// only the commands that run a worker install it, and only once per process.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../config';
import { freeLoopbackPort } from '../free-port';
import { exportSdkMetricsFrom } from '../metrics';
import { PortInUseError } from '../port-in-use';

/**
 * Installs the Runtime before any worker starts: the SDK's own log (bundling, state changes) at warn
 * and above, and its metrics exporter on loopback, which /metrics appends. Returns the exporter's
 * URL. A port clash throws PortInUseError.
 */
export async function installTemporalRuntime(config: Config): Promise<{ sdkMetricsUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    // The core cannot be given port 0 (it would not say which port it took): pick one here.
    const port = config.sdkMetricsPort ?? (await freeLoopbackPort());
    const bindAddress = `127.0.0.1:${port}`;
    try {
      Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { metrics: { prometheus: { bindAddress } } } });
    } catch (err) {
      // The core says "Failed to start prometheus metrics exporter: Address already in use (os error 98)".
      if (!/address already in use/i.test((err as Error).message)) throw err;
      // A port picked here may be taken by another process before the core binds it: pick again.
      if (config.sdkMetricsPort === undefined && attempt < 3) continue;
      throw new PortInUseError('HERALD_SDK_METRICS_PORT', port);
    }
    const sdkMetricsUrl = `http://${bindAddress}/metrics`;
    exportSdkMetricsFrom(sdkMetricsUrl);
    return { sdkMetricsUrl };
  }
}
