/**
 * The device simulator's public surface: build a deterministic simulation of a community's devices
 * (`createSimulation`), read its time-ordered message stream and ground truth, publish it over MQTT
 * (`publishSimulation`), or generate it without publishing (`dryRun`).
 */
export { createSimulation } from './simulation.ts'
export type { Simulation, SimulationOptions, SimulationRun } from './simulation.ts'
export type { SimDevice, SimMessage } from './emitter.ts'
export { SEQ_PER_MS } from './emitter.ts'
export { defaultFaultRates, ELEVATOR_FAULTS, planFaults, PUMP_FAULTS } from './faults.ts'
export type {
  DegradationFault,
  FaultCategory,
  FaultInjection,
  FaultName,
  FaultOptions,
  FaultRates,
  InjectedFault,
} from './faults.ts'
export { defaultPeriods } from './periods.ts'
export type { ReportingPeriods } from './periods.ts'
export { parseGroundTruth, truthLine, writeGroundTruth } from './truth.ts'
export { dryRun } from './dry-run.ts'
export type { DryRunReport } from './dry-run.ts'
export { publishSimulation } from './publisher.ts'
export type { PublishOptions, PublishProgress, PublishResult, Speed } from './publisher.ts'
export { planConnections } from './connections.ts'
export type { ConnectionPlan, ConnectionSpec, PoolMode } from './connections.ts'
