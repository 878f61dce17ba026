/**
 * Issues signed tree heads periodically (AUDIT_HEAD_INTERVAL_SECONDS), so that every entry is soon covered by a
 * signature kept outside the audit table. Failures are logged and retried at the next tick; the timer does not
 * keep the process alive.
 */
import type { AuditLog, Logger, TreeHeadSigner } from '../../data/index.ts'

/** Starts the periodic signer; returns a function that stops it. */
export function startTreeHeadSigner(
  log: AuditLog,
  signer: TreeHeadSigner,
  intervalMs: number,
  logger: Logger,
): () => void {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      const head = await log.issueHead(signer)
      if (head) logger.debug({ treeSize: head.treeSize }, 'audit tree head signed')
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'audit tree head not signed',
      )
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), intervalMs)
  timer.unref()
  void tick()
  return () => clearInterval(timer)
}
