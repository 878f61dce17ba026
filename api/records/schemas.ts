/**
 * Response and query schemas of the record routes, derived from the kind specs so that the OpenAPI document,
 * the validation and the fuzz test's response checks all come from one place.
 */
import { z } from '@hono/zod-openapi'
import { kinds, type ColumnType, type KindName, type KindSpec } from './kinds.ts'

function valueSchema(type: ColumnType): z.ZodType {
  switch (type) {
    case 'text':
    case 'date':
    case 'timestamp':
      return z.string()
    case 'int':
      return z.number().int()
    case 'float':
    case 'decimal':
      return z.number()
    case 'json':
      return z.unknown()
  }
}

const views = new Map<KindName, z.ZodObject>()

/** The schema of one record of `kind` as responses show it (personal data masked). */
export function viewSchema(kind: KindName): z.ZodObject {
  let schema = views.get(kind)
  if (!schema) {
    const spec = kinds[kind]
    const shape: Record<string, z.ZodType> = {}
    for (const column of spec.columns) {
      shape[column.field] = column.field === 'id' ? z.string() : valueSchema(column.type).nullable()
    }
    if (kind === 'residents') {
      shape.idNumber = z
        .string()
        .regex(/^(\d{6}\*{8}[\dX]{4}|\**)$/)
        .nullable()
        .openapi({ description: 'masked, e.g. 310104********123X' })
      shape.phone = z
        .string()
        .regex(/^(\d{3}\*{4}\d{4}|\**)$/)
        .nullable()
        .openapi({ description: 'masked, e.g. 138****1234' })
    }
    schema = z.strictObject(shape).openapi(`${spec.objectType[0]?.toUpperCase()}${spec.objectType.slice(1)}`)
    views.set(kind, schema)
  }
  return schema
}

/** A page of records. */
export function pageSchema(kind: KindName) {
  return z.strictObject({ items: z.array(viewSchema(kind)), nextCursor: z.string().nullable() })
}

const filterId = z.string().min(1).max(64)

/** The list query of a kind: cursor, limit, search, archived, and the kind's own filters only. */
export function listQuerySchema(spec: KindSpec) {
  const shape: Record<string, z.ZodType> = {
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    q: z.string().min(1).max(50).optional(),
    includeArchived: z.enum(['true', 'false']).optional(),
  }
  for (const filter of spec.filters) shape[filter] = filterId.optional()
  return z.strictObject(shape)
}

export const idParams = z.strictObject({ id: z.string().min(1).max(64) })
