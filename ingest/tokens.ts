/**
 * Device tokens for the HTTP intake: `v1.<deviceId>.<mac>`, where mac = HMAC-SHA-256(key, "device:" + id).
 * Verifiable without a database lookup; a token names exactly one device and authorises posts for it only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

const PREFIX = 'v1'

function mac(key: Buffer, deviceId: string): Buffer {
  return createHmac('sha256', key).update(`device:${deviceId}`).digest()
}

/** Issues the token of a device. */
export function issueDeviceToken(key: Buffer, deviceId: string): string {
  return `${PREFIX}.${deviceId}.${mac(key, deviceId).toString('base64url')}`
}

/** The device a token authorises, or null when the token is malformed or forged. */
export function verifyDeviceToken(key: Buffer, token: string): string | null {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== PREFIX) return null
  const [, deviceId, given] = parts as [string, string, string]
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(deviceId)) return null
  const expected = mac(key, deviceId)
  const actual = Buffer.from(given, 'base64url')
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null
  return deviceId
}
