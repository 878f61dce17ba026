/**
 * Structured logging (pino, JSON lines). Personal data must never reach a log: fields that could hold it are
 * redacted by name wherever they appear, as a second line of defence behind not logging them at all.
 */
import { pino, type Logger } from 'pino'

export type { Logger }

/** Field names that may carry personal data; their values are replaced with "[redacted]". */
const PERSONAL_FIELDS = [
  'idNumber',
  'id_number',
  'phone',
  'mobile',
  'password',
  'token',
  'authorization',
  'face',
]

/** A logger writing JSON lines to stdout (or to `destination`, in tests). */
export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: NodeJS.WritableStream,
): Logger {
  const paths = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`])
  const config = {
    level: options.level ?? 'info',
    base: options.name ? { service: options.name } : {},
    redact: { paths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }
  return destination ? pino(config, destination) : pino(config)
}
