/**
 * The data area: configuration, the community model, store connections with their migrations, personal-data
 * protection and logging. Other areas import only from here.
 */
export {
  configFrom,
  ConfigError,
  loadConfig,
  loadTestServers,
  maskValue,
  resetConfig,
  storeVariables,
} from './config/index.ts'
export type { ApiPlatformConfig, Config, IngestConfig, MqttOptions, TestServers } from './config/index.ts'

export { openStores } from './stores/open.ts'
export type { Stores } from './stores/open.ts'
export { storeHealth } from './stores/health.ts'
export type { StoreHealth } from './stores/health.ts'

export { openPostgres } from './postgres/open.ts'
export { migrate } from './postgres/migrate.ts'
export type { Postgres, PostgresOptions, Sql } from './postgres/types.ts'

export { insertText, openClickHouse } from './clickhouse/open.ts'
export type { TextInsert } from './clickhouse/open.ts'
export { migrateClickHouse } from './clickhouse/migrate.ts'
export type { ClickHouse, ClickHouseOptions } from './clickhouse/types.ts'

export { createInflux, InfluxError } from './influx/client.ts'
export type { Influx, InfluxOptions, InfluxSeries } from './influx/client.ts'
export {
  encodePoint,
  escapeKey,
  escapeMeasurement,
  formatFloat,
  quoteString,
} from './influx/line-protocol.ts'
export type { Point } from './influx/line-protocol.ts'

export { PiiCipher, PiiError, loadOrCreateKeyFile, maskIdNumber, maskName, maskPhone } from './pii/index.ts'

export { loadCommunitySet, fingerprintSet } from './records/load-community.ts'
export type { LoadResult } from './records/load-community.ts'
export { insertRows } from './records/insert-rows.ts'

export { createLogger } from './log/logger.ts'
export type { Logger } from './log/logger.ts'

export {
  generateCommunity,
  isValidIdNumber,
  isProfile,
  pointInPolygon,
  polygonArea,
} from './community/index.ts'
export type {
  AgeGroup,
  AreaKind,
  Building,
  BuildingKind,
  Community,
  CommunitySet,
  Device,
  DeviceKind,
  Gate,
  GenerateOptions,
  GeoAnchor,
  Household,
  OpenArea,
  ParkingLot,
  ParkingSpace,
  Polygon,
  Profile,
  Resident,
  RoadEdge,
  RoadGraph,
  RoadNode,
  Unit,
  Vec2,
  Vec3,
  Vehicle,
} from './community/index.ts'

export {
  hashPassword,
  verifyPassword,
  needsRehash,
  passwordProblem,
  generatePassword,
} from './auth/password.ts'
export { generateTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp } from './auth/totp.ts'

export { appendAudit, AuditIntegrityError, AuditLog, ENTRY_COLUMNS } from './audit/log.ts'
export type { AuditInput } from './audit/log.ts'
export { encodeEntry, entryLeafHash, stateHash } from './audit/entry.ts'
export type { AuditEntry } from './audit/entry.ts'
export { leafHash, nodeHash, MerkleTree, verifyConsistency, verifyInclusion } from './audit/merkle.ts'
export {
  entryMac,
  TreeHeadSigner,
  treeHeadFromJson,
  treeHeadToJson,
  verifyTreeHead,
} from './audit/tree-head.ts'
export type { TreeHead } from './audit/tree-head.ts'
export { readHeadFile, verifyAuditLog } from './audit/verify.ts'
export type { AuditProblem, AuditProblemKind, AuditReport } from './audit/verify.ts'

// Analytics: rollup schema and retention (issue 6).
export {
  applyRollupRetention,
  deviceDimTable,
  DIRTY_KIND,
  retentionClauses,
  rollupStatements,
} from './clickhouse/rollups.ts'
export type { RollupLevel, RollupRetention } from './clickhouse/rollups.ts'
export type { AnalyticsConfig } from './config/index.ts'
export { lockDataDir } from './stores/lock.ts'
