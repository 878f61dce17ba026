/**
 * The analytics area: ClickHouse rollups (refresh job) and KPI queries, the stream alarm engine and the alarm
 * lifecycle, the live event bus and device-state tracker, and the time machine. Imports only `data/`.
 */
export { startAnalytics } from './start.ts'
export type { Analytics, AnalyticsOptions } from './start.ts'

// Live push
export { LiveBus, livePermissions } from './live/bus.ts'
export type { Backlog, LiveEvent, LiveEventType, LiveListener } from './live/bus.ts'
export { DeviceStateTracker } from './live/device-state.ts'
export type { DeviceState } from './live/device-state.ts'
export { KpiRefresher } from './live/kpi-refresher.ts'

// Alarms
export { AlarmEngine } from './alarms/engine.ts'
export type { AlarmEngineOptions, AlarmSink, AlarmTrigger } from './alarms/engine.ts'
export type { ObservedDevice } from './alarms/compiled.ts'
export { alarmRuleInput, parseRule, ruleTypes, severities } from './alarms/rules.ts'
export type { AlarmRule, AlarmRuleInput, RuleType, Severity } from './alarms/rules.ts'
export { RuleConflictError, RuleStore } from './alarms/rule-store.ts'
export type { StoredRule } from './alarms/rule-store.ts'
export { AlarmNotFoundError, AlarmService, AlarmWriter } from './alarms/service.ts'
export type {
  Alarm,
  AlarmChange,
  AlarmEvent,
  AlarmServiceDeps,
  AuditHook,
  CommunityScope,
} from './alarms/service.ts'
export { alarmActions, alarmStates, AlarmTransitionError, transition } from './alarms/lifecycle.ts'
export type { AlarmAction, AlarmEventAction, AlarmState } from './alarms/lifecycle.ts'
export { AlarmScheduler } from './alarms/scheduler.ts'
export type { AlarmSchedulerOptions } from './alarms/scheduler.ts'
export { RecordingWorkOrderOpener } from './alarms/work-orders.ts'
export type { WorkOrderOpener, WorkOrderRequest } from './alarms/work-orders.ts'

// Rollups and KPIs
export { RollupRefresher } from './rollup/refresh.ts'
export type { RefreshResult, Watermarks } from './rollup/refresh.ts'
export { syncDeviceDim, deviceDimRows, writeDeviceDim } from './dim/device-dim.ts'
export type { DeviceDimRow, DimArea, DimDevice } from './dim/device-dim.ts'
export { KpiService } from './kpi/service.ts'
export type { KpiContext, CommunityWindow } from './kpi/context.ts'
export type { Grain } from './kpi/window.ts'
export type { EnergyRow, MeterEnergy } from './kpi/energy.ts'
export type { HouseholdBenchmark } from './kpi/benchmark.ts'
export type { NightFlowSuspect } from './kpi/water.ts'
export type { CrowdBin } from './kpi/crowd.ts'
export type { ParkingHour } from './kpi/parking.ts'
export type { ElevatorKpi, PumpKpi } from './kpi/equipment.ts'
export type { ComplaintHotspot, FeeCollection, RecordsAnswer, WorkOrderSla } from './kpi/records.ts'
// The panels' SQL builders and level sources (benchmarks compare rollups with the raw table through these).
export { rawSource, source, watermarkParams } from './kpi/source.ts'
export type { Level, SourceFn } from './kpi/source.ts'
export { energyByBuildingSql, energyByMeterSql } from './kpi/energy.ts'
export { nightFlowSql } from './kpi/water.ts'
export { crowdSql } from './kpi/crowd.ts'
export { parkingSql } from './kpi/parking.ts'
export { elevatorsSql, pumpsSql } from './kpi/equipment.ts'

// Time machine
export { TimeMachine } from './time-machine/time-machine.ts'
export type { Snapshot } from './time-machine/time-machine.ts'
export type { ReplayQuery, ReplayStream } from './time-machine/replay.ts'
export { deviceStatesAt, alarmsAt } from './time-machine/state.ts'
export type { AlarmAt, TimeMachineOptions } from './time-machine/state.ts'
