/**
 * Request and response schemas of the work-order routes (strict: unknown fields are a 400), shared by the routes
 * and the OpenAPI document.
 */
import { z } from '@hono/zod-openapi'
import { workOrderSources } from './repository.ts'
import { priorities } from './sla.ts'
import { workOrderStates } from './transitions.ts'

export const categories = [
  'plumbing',
  'electrical',
  'elevator',
  'pump',
  'hvac',
  'fire',
  'access',
  'structure',
  'cleaning',
  'landscaping',
  'general',
] as const

const id = z.string().min(1).max(64)
const ts = z.string()

export const workOrderSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    unitId: z.string().nullable(),
    householdId: z.string().nullable(),
    deviceId: z.string().nullable(),
    source: z.enum(workOrderSources),
    sourceRef: z.string().nullable(),
    category: z.string(),
    skill: z.string(),
    title: z.string(),
    description: z.string(),
    location: z.string(),
    priority: z.enum(priorities),
    state: z.enum(workOrderStates),
    assigneeId: z.string().nullable(),
    reporterId: z.string().nullable(),
    evidence: z.unknown().nullable(),
    createdAt: ts,
    updatedAt: ts,
    respondDueAt: ts,
    dueAt: ts,
    acceptedAt: ts.nullable(),
    resolvedAt: ts.nullable(),
    verifiedAt: ts.nullable(),
    closedAt: ts.nullable(),
    escalationLevel: z.number().int(),
    escalatedAt: ts.nullable(),
    rating: z.number().int().nullable(),
    ratingComment: z.string().nullable(),
    ratedAt: ts.nullable(),
    returnVisit: z
      .strictObject({ at: ts, by: z.string(), satisfied: z.boolean(), note: z.string() })
      .nullable(),
    costs: z.strictObject({
      partsFen: z.number().int(),
      labourFen: z.number().int(),
      totalFen: z.number().int(),
    }),
  })
  .openapi('WorkOrder')

export const createWorkOrderSchema = z.strictObject({
  title: z.string().trim().min(2).max(200),
  description: z.string().max(4000).optional(),
  category: z.enum(categories),
  skill: z.string().trim().min(1).max(40).optional(),
  priority: z.enum(priorities).optional(),
  location: z.string().max(200).optional(),
  communityId: id.optional(),
  buildingId: id.optional(),
  unitId: id.optional(),
  householdId: id.optional(),
  deviceId: id.optional(),
})

export const actSchema = z.strictObject({
  /** assign only: the repairer; absent = round-robin by skill and place. */
  assigneeId: id.optional(),
  note: z.string().trim().min(1).max(1000).optional(),
})

export const historySchema = z
  .strictObject({
    id: z.number().int(),
    at: ts,
    actorId: z.string().nullable(),
    actorRole: z.string(),
    action: z.string(),
    fromState: z.string().nullable(),
    toState: z.string(),
    note: z.string().nullable(),
    data: z.unknown().nullable(),
  })
  .openapi('WorkOrderEvent')

export const costSchema = z
  .strictObject({
    id: z.number().int(),
    kind: z.enum(['part', 'labour']),
    description: z.string(),
    quantity: z.number().int(),
    unitPriceFen: z.number().int(),
    amountFen: z.number().int(),
    addedBy: z.string(),
    addedAt: ts,
  })
  .openapi('WorkOrderCost')

export const addCostSchema = z.strictObject({
  kind: z.enum(['part', 'labour']),
  description: z.string().trim().min(1).max(200),
  quantity: z.number().int().min(1).max(100_000),
  unitPriceFen: z.number().int().min(0).max(100_000_000),
})

export const rateSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(1000).optional(),
})

export const returnVisitSchema = z.strictObject({
  satisfied: z.boolean(),
  note: z.string().max(1000).optional(),
})

export const listQuerySchema = z.strictObject({
  state: z.enum(workOrderStates).optional(),
  communityId: id.optional(),
  assignee: id.optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  source: z.enum(workOrderSources).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

export const idParams = z.strictObject({ id })
