// The execution layer's public surface: the simulated broker, its config and fault injection.
export {
  accountSlippageBps,
  accountSlippageZ,
  MAX_ACCOUNT_SLIPPAGE_Z,
} from './account-slippage.js';
export {
  DEFAULT_EXECUTION_CONFIG,
  DEFAULT_JITTER_SIGMA,
  MAX_ACCOUNT_SLIPPAGE_SD_BPS,
  MAX_OUTAGE_DURATION_MS,
  MAX_OUTAGES_PER_HOUR,
  type ExecutionConfig,
  type LatencyModel,
  type OutageModel,
} from './execution-config.js';
export {
  formatFaultInjection,
  INJECT_SPEC_FORM,
  MAX_BPS_DECIMALS,
  NO_FAULT_INJECTION,
  NO_INJECTIONS,
  parseInjectSpecs,
  type AccountSubsetFaults,
  type ConditionalFaults,
  type FaultInjection,
  type FaultValues,
} from './fault-injection.js';
export { faultLevels, type FaultLevel } from './fault-levels.js';
export {
  describeFillModel,
  type FillModelDescription,
  type InjectionDescription,
  type LatencyDescription,
} from './fill-model-description.js';
export type { InFlightOrderCodec } from './in-flight-order-codec.js';
export { LatencySampler } from './latency-sampler.js';
export { OUTAGE_BLOCK_US, OutageSchedule, type OutageWindow } from './outage-schedule.js';
export {
  SimulatedBroker,
  type BuyingPowerCheck,
  type SimulatedBrokerOptions,
} from './simulated-broker.js';
export { SimulatedFill } from './simulated-fill.js';
