// The execution layer's public surface: the simulated broker, its config and fault injection.
export {
  DEFAULT_EXECUTION_CONFIG,
  DEFAULT_JITTER_SIGMA,
  type ExecutionConfig,
  type LatencyModel,
} from './execution-config.js';
export {
  formatFaultInjection,
  INJECT_SPEC_FORM,
  NO_FAULT_INJECTION,
  NO_INJECTIONS,
  parseInjectSpecs,
  type FaultInjection,
} from './fault-injection.js';
export {
  describeFillModel,
  type FillModelDescription,
  type InjectionDescription,
  type LatencyDescription,
} from './fill-model-description.js';
export { LatencySampler } from './latency-sampler.js';
export {
  SimulatedBroker,
  type BuyingPowerCheck,
  type SimulatedBrokerOptions,
} from './simulated-broker.js';
