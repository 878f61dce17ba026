/** Response schemas of the access routes (they also name the components of the OpenAPI document). */
import { z } from '@hono/zod-openapi'

export const credentialDetailSchema = z
  .strictObject({
    id: z.string(),
    residentId: z.string(),
    householdId: z.string().nullable(),
    kind: z.enum(['card', 'qr', 'pin', 'face']),
    masked: z.string().nullable(),
    validUntil: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    revokeReason: z.string().nullable(),
  })
  .openapi('AccessCredentialDetail')

export const passSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string(),
    householdId: z.string(),
    visitorName: z.string(),
    phone: z.string().nullable(),
    plate: z.string().nullable(),
    purpose: z.string(),
    validFrom: z.string(),
    validUntil: z.string(),
    maxEntries: z.number().int(),
    entries: z.number().int(),
    status: z.enum(['active', 'revoked']),
    state: z.enum(['valid', 'not_yet_valid', 'expired', 'used_up', 'revoked']),
    createdAt: z.string(),
  })
  .openapi('VisitorPass')

export const verificationSchema = z
  .strictObject({
    granted: z.boolean(),
    reason: z.enum(['not_yet_valid', 'expired', 'used_up', 'revoked', 'unknown', 'blocklisted']).nullable(),
    pass: passSchema.nullable(),
  })
  .openapi('PassVerification')

export const deliverySchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string(),
    householdId: z.string(),
    carrier: z.string(),
    parcels: z.number().int(),
    note: z.string().nullable(),
    pickupCode: z.string(),
    status: z.enum(['waiting', 'collected', 'returned']),
    receivedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('Delivery')

export const blockEntrySchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    kind: z.enum(['person', 'vehicle']),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    plate: z.string().nullable(),
    reason: z.string(),
    createdAt: z.string(),
    liftedAt: z.string().nullable(),
  })
  .openapi('BlocklistEntry')

export const accessEventSchema = z
  .strictObject({
    id: z.number().int(),
    communityId: z.string(),
    deviceId: z.string().nullable(),
    gateId: z.string().nullable(),
    lotId: z.string().nullable(),
    at: z.string(),
    type: z.string(),
    direction: z.enum(['in', 'out']).nullable(),
    method: z.string().nullable(),
    person: z.string().nullable(),
    plate: z.string().nullable(),
    passId: z.string().nullable(),
    result: z.enum(['granted', 'denied']),
    reason: z.string().nullable(),
  })
  .openapi('AccessEvent')
