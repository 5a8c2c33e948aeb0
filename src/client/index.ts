// telemux/client: a Hermes client for Node.js, wire-compatible with python-hermes, for sending
// metrics to telemux's (or Hermes') UDP JSON input.
//
//   import { HermesClient } from 'telemux/client';
//   const hermes = new HermesClient({ host: '127.0.0.1', port: 7789 });
//   hermes.incrementCounter('jobs_total', { queue: 'mail' });
//   hermes.setGauge('queue_depth', 12, { queue: 'mail' });
//   hermes.observeHistogram('job_seconds', 0.42, { queue: 'mail' });
//
// Argument order, everywhere: name, then the number (value or observation), then the optional labels.

export {
  close,
  configure,
  counterWrapper,
  decrementGauge,
  defaultClient,
  gaugeWrapper,
  incrementCounter,
  incrementGauge,
  observeHistogram,
  observeSummary,
  setGauge,
  startTimer,
  timeHistogram,
  timeSummary,
  withGauge,
} from './default-client.ts';
export { DEFAULT_HOST, DEFAULT_PORT, HermesClient, type HermesClientOptions } from './hermes-client.ts';
export {
  counterPacket,
  type GaugeOperation,
  gaugePacket,
  type HermesLabels,
  observationPacket,
} from './packets.ts';
export type { CounterWrapperOptions, HermesSender, TimerKind } from './wrappers.ts';
