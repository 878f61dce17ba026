/**
 * The core record kinds — communities, buildings, units, households, residents, vehicles — as data: table,
 * columns and their API names, the scope columns, the parent a new record hangs under (its scope ids are derived
 * from the parent, never taken from the body), and the strict create and update schemas. Fields that are not in a
 * schema cannot be written (400), so nothing can be mass-assigned.
 */
import { z } from '@hono/zod-openapi'
import type { ScopeColumns } from '../auth/scope.ts'

export type ColumnType = 'text' | 'int' | 'float' | 'decimal' | 'date' | 'json' | 'timestamp'

export interface ColumnSpec {
  /** Name in the API (camelCase). */
  readonly field: string
  /** Column in the table (from code only). */
  readonly column: string
  readonly type: ColumnType
  /** Accepted on create / update. */
  readonly create: boolean
  readonly update: boolean
}

export const kindNames = ['communities', 'buildings', 'units', 'households', 'residents', 'vehicles'] as const
export type KindName = (typeof kindNames)[number]

export interface KindSpec {
  readonly name: KindName
  /** Singular, for audit entries and messages. */
  readonly objectType: string
  readonly table: string
  readonly idPrefix: string
  readonly columns: readonly ColumnSpec[]
  readonly scope: ScopeColumns
  /** The record a new one belongs to, and which of its columns the new one inherits. */
  readonly parent: {
    readonly field: string
    readonly table: string
    /** [child column, parent column] */
    readonly inherit: readonly (readonly [string, string])[]
  } | null
  /** Columns searched by `q` (case-insensitive substring). */
  readonly search: readonly string[]
  /** Filter query parameters this kind accepts. */
  readonly filters: readonly ('communityId' | 'buildingId' | 'householdId' | 'unitId')[]
  readonly createSchema: z.ZodObject
  readonly updateSchema: z.ZodObject
}

const c = (field: string, column: string, type: ColumnType, create = false, update = false): ColumnSpec => ({
  field,
  column,
  type,
  create,
  update,
})
const meta = [
  c('archivedAt', 'archived_at', 'timestamp'),
  c('createdAt', 'created_at', 'timestamp'),
  c('updatedAt', 'updated_at', 'timestamp'),
]

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
const name = z.string().trim().min(1).max(100)
const date = z.iso.date()
const point = z.tuple([z.number().finite(), z.number().finite()])
const polygon = z.array(point).max(500)

/** The record kinds by name. */
export const kinds: Readonly<Record<KindName, KindSpec>> = {
  communities: {
    name: 'communities',
    objectType: 'community',
    table: 'communities',
    idPrefix: 'c',
    columns: [
      c('id', 'id', 'text'),
      c('companyId', 'company_id', 'text'),
      c('name', 'name', 'text', true, true),
      c('city', 'city', 'text', true, true),
      c('district', 'district', 'text', true, true),
      c('address', 'address', 'text', true, true),
      c('lat', 'lat', 'float', true, true),
      c('lon', 'lon', 'float', true, true),
      c('builtYear', 'built_year', 'int', true, true),
      c('boundary', 'boundary', 'json', true, true),
      ...meta,
    ],
    scope: { community: 'id' },
    parent: null,
    search: ['name', 'city', 'district', 'address'],
    filters: [],
    createSchema: z.strictObject({
      name,
      city: name,
      district: name,
      address: z.string().trim().min(1).max(200),
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
      builtYear: z.number().int().min(1900).max(2100),
      boundary: polygon.default([]),
    }),
    updateSchema: z.strictObject({
      name: name.optional(),
      city: name.optional(),
      district: name.optional(),
      address: z.string().trim().min(1).max(200).optional(),
      lat: z.number().min(-90).max(90).optional(),
      lon: z.number().min(-180).max(180).optional(),
      builtYear: z.number().int().min(1900).max(2100).optional(),
      boundary: polygon.optional(),
    }),
  },
  buildings: {
    name: 'buildings',
    objectType: 'building',
    table: 'buildings',
    idPrefix: 'b',
    columns: [
      c('id', 'id', 'text'),
      c('communityId', 'community_id', 'text', true),
      c('name', 'name', 'text', true, true),
      c('kind', 'kind', 'text', true, true),
      c('floors', 'floors', 'int', true, true),
      c('basementFloors', 'basement_floors', 'int', true, true),
      c('height', 'height', 'float', true, true),
      c('floorHeight', 'floor_height', 'float', true, true),
      c('entrances', 'entrances', 'int', true, true),
      c('elevatorCount', 'elevator_count', 'int', true, true),
      c('builtYear', 'built_year', 'int', true, true),
      c('footprint', 'footprint', 'json', true, true),
      ...meta,
    ],
    scope: { community: 'community_id', building: 'id' },
    parent: { field: 'communityId', table: 'communities', inherit: [['community_id', 'id']] },
    search: ['name'],
    filters: ['communityId'],
    createSchema: z.strictObject({
      communityId: id,
      name,
      kind: z.enum(['walkup', 'tower', 'clubhouse', 'kindergarten', 'pump_room', 'gatehouse', 'commercial']),
      floors: z.number().int().min(0).max(200),
      basementFloors: z.number().int().min(0).max(10).default(0),
      height: z.number().min(0).max(1000),
      floorHeight: z.number().min(0).max(20),
      entrances: z.number().int().min(0).max(50),
      elevatorCount: z.number().int().min(0).max(100),
      builtYear: z.number().int().min(1900).max(2100),
      footprint: polygon.default([]),
    }),
    updateSchema: z.strictObject({
      name: name.optional(),
      kind: z
        .enum(['walkup', 'tower', 'clubhouse', 'kindergarten', 'pump_room', 'gatehouse', 'commercial'])
        .optional(),
      floors: z.number().int().min(0).max(200).optional(),
      basementFloors: z.number().int().min(0).max(10).optional(),
      height: z.number().min(0).max(1000).optional(),
      floorHeight: z.number().min(0).max(20).optional(),
      entrances: z.number().int().min(0).max(50).optional(),
      elevatorCount: z.number().int().min(0).max(100).optional(),
      builtYear: z.number().int().min(1900).max(2100).optional(),
      footprint: polygon.optional(),
    }),
  },
  units: {
    name: 'units',
    objectType: 'unit',
    table: 'units',
    idPrefix: 'u',
    columns: [
      c('id', 'id', 'text'),
      c('buildingId', 'building_id', 'text', true),
      c('communityId', 'community_id', 'text'),
      c('entrance', 'entrance', 'int', true, true),
      c('floor', 'floor', 'int', true, true),
      c('number', 'number', 'text', true, true),
      c('area', 'area', 'decimal', true, true),
      c('bedrooms', 'bedrooms', 'int', true, true),
      c('usage', 'usage', 'text', true, true),
      ...meta,
    ],
    scope: { community: 'community_id', building: 'building_id' },
    parent: { field: 'buildingId', table: 'buildings', inherit: [['community_id', 'community_id']] },
    search: ['number'],
    filters: ['communityId', 'buildingId'],
    createSchema: z.strictObject({
      buildingId: id,
      entrance: z.number().int().min(1).max(50),
      floor: z.number().int().min(-10).max(200),
      number: z.string().trim().min(1).max(20),
      area: z.number().positive().max(100_000),
      bedrooms: z.number().int().min(0).max(20),
      usage: z.enum(['residential', 'commercial']),
    }),
    updateSchema: z.strictObject({
      entrance: z.number().int().min(1).max(50).optional(),
      floor: z.number().int().min(-10).max(200).optional(),
      number: z.string().trim().min(1).max(20).optional(),
      area: z.number().positive().max(100_000).optional(),
      bedrooms: z.number().int().min(0).max(20).optional(),
      usage: z.enum(['residential', 'commercial']).optional(),
    }),
  },
  households: {
    name: 'households',
    objectType: 'household',
    table: 'households',
    idPrefix: 'h',
    columns: [
      c('id', 'id', 'text'),
      c('unitId', 'unit_id', 'text', true),
      c('buildingId', 'building_id', 'text'),
      c('communityId', 'community_id', 'text'),
      c('tenure', 'tenure', 'text', true, true),
      c('moveInDate', 'move_in_date', 'date', true, true),
      ...meta,
    ],
    scope: { community: 'community_id', building: 'building_id', household: 'id' },
    parent: {
      field: 'unitId',
      table: 'units',
      inherit: [
        ['building_id', 'building_id'],
        ['community_id', 'community_id'],
      ],
    },
    search: [],
    filters: ['communityId', 'buildingId', 'unitId'],
    createSchema: z.strictObject({
      unitId: id,
      tenure: z.enum(['owner', 'tenant', 'vacant']),
      moveInDate: date.nullable().default(null),
    }),
    updateSchema: z.strictObject({
      tenure: z.enum(['owner', 'tenant', 'vacant']).optional(),
      moveInDate: date.nullable().optional(),
    }),
  },
  residents: {
    name: 'residents',
    objectType: 'resident',
    table: 'residents',
    idPrefix: 'r',
    // idNumber and phone are personal data: written and read through residents-pii.ts, never as plain columns.
    columns: [
      c('id', 'id', 'text'),
      c('householdId', 'household_id', 'text', true),
      c('buildingId', 'building_id', 'text'),
      c('communityId', 'community_id', 'text'),
      c('name', 'name', 'text', true, true),
      c('gender', 'gender', 'text', true, true),
      c('birthDate', 'birth_date', 'date', true, true),
      c('relation', 'relation', 'text', true, true),
      c('ageGroup', 'age_group', 'text', true, true),
      c('occupation', 'occupation', 'text', true, true),
      c('idNumber', 'id_number_masked', 'text'),
      c('phone', 'phone_masked', 'text'),
      c('erasedAt', 'erased_at', 'timestamp'),
      ...meta,
    ],
    scope: { community: 'community_id', building: 'building_id', household: 'household_id' },
    parent: {
      field: 'householdId',
      table: 'households',
      inherit: [
        ['building_id', 'building_id'],
        ['community_id', 'community_id'],
      ],
    },
    search: ['name'],
    filters: ['communityId', 'buildingId', 'householdId'],
    createSchema: z.strictObject({
      householdId: id,
      name,
      gender: z.enum(['M', 'F']),
      birthDate: date,
      idNumber: z
        .string()
        .trim()
        .regex(/^\d{17}[\dXx]$/, 'must be an 18-character resident ID number'),
      phone: z
        .string()
        .trim()
        .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
        .nullable()
        .default(null),
      relation: z.enum(['owner', 'spouse', 'child', 'parent', 'tenant', 'other']),
      ageGroup: z.enum(['child', 'adult', 'elderly']),
      occupation: z.enum(['commuter', 'student', 'retired', 'home', 'preschool']).default('home'),
    }),
    updateSchema: z.strictObject({
      name: name.optional(),
      gender: z.enum(['M', 'F']).optional(),
      birthDate: date.optional(),
      idNumber: z
        .string()
        .trim()
        .regex(/^\d{17}[\dXx]$/, 'must be an 18-character resident ID number')
        .optional(),
      phone: z
        .string()
        .trim()
        .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
        .nullable()
        .optional(),
      relation: z.enum(['owner', 'spouse', 'child', 'parent', 'tenant', 'other']).optional(),
      ageGroup: z.enum(['child', 'adult', 'elderly']).optional(),
      occupation: z.enum(['commuter', 'student', 'retired', 'home', 'preschool']).optional(),
    }),
  },
  vehicles: {
    name: 'vehicles',
    objectType: 'vehicle',
    table: 'vehicles',
    idPrefix: 'v',
    columns: [
      c('id', 'id', 'text'),
      c('householdId', 'household_id', 'text', true),
      c('buildingId', 'building_id', 'text'),
      c('communityId', 'community_id', 'text'),
      c('plate', 'plate', 'text', true, true),
      c('energy', 'energy', 'text', true, true),
      c('spaceId', 'space_id', 'text'),
      ...meta,
    ],
    scope: { community: 'community_id', building: 'building_id', household: 'household_id' },
    parent: {
      field: 'householdId',
      table: 'households',
      inherit: [
        ['building_id', 'building_id'],
        ['community_id', 'community_id'],
      ],
    },
    search: ['plate'],
    filters: ['communityId', 'buildingId', 'householdId'],
    createSchema: z.strictObject({
      householdId: id,
      plate: z
        .string()
        .trim()
        .regex(/^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/u, 'must be a Chinese plate such as 沪A12345'),
      energy: z.enum(['fuel', 'electric']),
    }),
    updateSchema: z.strictObject({
      plate: z
        .string()
        .trim()
        .regex(/^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/u, 'must be a Chinese plate such as 沪A12345')
        .optional(),
      energy: z.enum(['fuel', 'electric']).optional(),
    }),
  },
}

/** Whether `value` names a record kind. */
export function isKindName(value: string): value is KindName {
  return (kindNames as readonly string[]).includes(value)
}
