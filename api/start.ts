/**
 * What the server entry starts beside the app: the platform's services, the demo accounts of a first start on
 * the embedded default (credentials printed once), the residents' masked forms after a community load, and the
 * periodic signing of audit tree heads. `close()` stops the background work.
 */
import type { Config, Logger, Stores } from '../data/index.ts'
import { startTreeHeadSigner } from './audit/signer.ts'
import { platformFor, type Platform } from './platform.ts'
import { ensureResidentMasks } from './records/residents-pii.ts'
import { demoAccountsWanted, ensureDemoAccounts } from './users/demo-accounts.ts'

export interface ApiPlatform {
  readonly platform: Platform
  close(): Promise<void>
}

/** Composes the platform and starts its background work. */
export async function startApiPlatform(config: Config, stores: Stores, log: Logger): Promise<ApiPlatform> {
  const platform = platformFor(config, stores, log)
  const filled = await ensureResidentMasks(stores.postgres, stores.pii)
  if (filled > 0) {
    log.info({ residents: filled }, 'masked forms of personal data filled in')
    // After a bulk load the planner has no statistics yet and would sort whole tables for the first page of a list.
    await stores.postgres.exec('ANALYZE')
  }
  if (demoAccountsWanted(config)) await ensureDemoAccounts(platform, log)
  await platform.keys.signingKey()
  const stop = startTreeHeadSigner(
    platform.auditLog,
    platform.auditSigner,
    config.api.auditHeadIntervalSeconds * 1000,
    log.child({ service: 'audit' }),
  )
  return {
    platform,
    close: () => {
      stop()
      return Promise.resolve()
    },
  }
}
