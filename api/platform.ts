/**
 * The API platform's services, composed once per app from the stores and the configuration: signing keys, tokens,
 * sessions, sign-in, the audit writer and log, users, records and personal-data services. Keys kept outside the
 * database come from the configuration or from key files under DATA_DIR/keys (created on first start).
 */
import { join } from 'node:path'
import {
  AuditLog,
  loadOrCreateKeyFile,
  PiiCipher,
  TreeHeadSigner,
  type Config,
  type Logger,
  type Postgres,
  type Stores,
} from '../data/index.ts'
import { Auditor } from './audit/auditor.ts'
import { AccessTokens } from './auth/access-tokens.ts'
import { AuthStates } from './auth/auth-state.ts'
import { createAuthenticator } from './auth/authenticator.ts'
import type { Authenticator } from './auth/context.ts'
import { LoginService } from './auth/login.ts'
import { Sessions } from './auth/sessions.ts'
import { SigningKeys } from './auth/signing-keys.ts'
import { ConsentService } from './privacy/consent.ts'
import { DataRightsService } from './privacy/data-rights.ts'
import { RecordService } from './records/service.ts'
import { TransferService } from './records/transfer.ts'
import { UserService } from './users/service.ts'

/** The stores the platform uses: PostgreSQL and the personal-data cipher. */
export type PlatformStores = Pick<Stores, 'postgres' | 'pii'>

export interface Platform {
  readonly config: Config
  readonly db: Postgres
  readonly pii: PiiCipher
  readonly log: Logger
  /** Encrypts auth secrets at rest (JWT private keys, TOTP secrets) under the auth master key. */
  readonly secrets: PiiCipher
  readonly keys: SigningKeys
  readonly tokens: AccessTokens
  readonly states: AuthStates
  readonly sessions: Sessions
  readonly login: LoginService
  readonly authenticator: Authenticator
  readonly auditor: Auditor
  readonly auditLog: AuditLog
  readonly auditSigner: TreeHeadSigner
  readonly users: UserService
  readonly records: RecordService
  readonly transfer: TransferService
  readonly consents: ConsentService
  readonly dataRights: DataRightsService
}

const composed = new WeakMap<PlatformStores, Platform>()

/**
 * The platform of a set of stores, composed on first use: the app and the server's background work share one
 * (one key ring, one token cache, one auth-state cache).
 */
export function platformFor(config: Config, stores: PlatformStores, log: Logger): Platform {
  let platform = composed.get(stores)
  if (!platform) {
    platform = createPlatform(config, stores, log)
    composed.set(stores, platform)
  }
  return platform
}

/** The platform already composed for `stores`, if any (tests of the running server). */
export function existingPlatform(stores: PlatformStores): Platform | undefined {
  return composed.get(stores)
}

/** Composes a new platform. */
export function createPlatform(config: Config, stores: PlatformStores, log: Logger): Platform {
  const api = config.api
  const db = stores.postgres
  const secrets = new PiiCipher(api.authKey ?? loadOrCreateKeyFile(config.dataDir, 'auth'))
  const auditSigner = new TreeHeadSigner(api.auditSigningKey ?? loadOrCreateKeyFile(config.dataDir, 'audit'))
  const auditor = new Auditor(auditSigner.macKey)
  const keys = new SigningKeys(db, secrets, {
    rotationSeconds: api.keyRotationSeconds,
    graceSeconds: api.keyGraceSeconds,
  })
  const tokens = new AccessTokens(keys, {
    issuer: api.issuer,
    audience: api.audience,
    ttlSeconds: api.accessTokenTtlSeconds,
  })
  const states = new AuthStates(db, api.authStateCacheMs)
  const sessions = new Sessions(db, api.refreshTokenTtlSeconds)
  const login = new LoginService({ db, tokens, sessions, states, auditor, secrets, options: api })
  const users = new UserService({ db, sessions, states, auditor, secrets, options: api })
  const records = new RecordService({ db, pii: stores.pii, auditor, states, listCacheMs: api.listCacheMs })
  return {
    config,
    db,
    pii: stores.pii,
    log,
    secrets,
    keys,
    tokens,
    states,
    sessions,
    login,
    authenticator: createAuthenticator(tokens, states, api.metricsToken),
    auditor,
    auditLog: new AuditLog(db, join(config.dataDir, 'audit', 'tree-heads.jsonl')),
    auditSigner,
    users,
    records,
    transfer: new TransferService(db, records, auditor),
    consents: new ConsentService(db, auditor),
    dataRights: new DataRightsService({
      db,
      pii: stores.pii,
      auditor,
      sessions,
      states,
      onErase: () => records.invalidate(),
    }),
  }
}
