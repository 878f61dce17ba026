/**
 * The permission matrix, as data: which role holds which permission, which scopes a role may be given, and which
 * roles need a second factor. Route modules declare one permission each (`guard('kpi:read')`); services then check
 * the scope of every object they touch. Adding a permission here makes it exist; granting it is a matrix edit.
 */

/** Every permission a route may declare. */
export const permissions = [
  'twin:read',
  'telemetry:read',
  'kpi:read',
  'alarm:read',
  'alarm:manage',
  'alarm_rule:manage',
  'live:read',
  'workorder:read',
  'workorder:manage',
  'workorder:create',
  'workorder:dispatch',
  'workorder:work',
  'workorder:rate',
  'complaint:read',
  'complaint:create',
  'complaint:manage',
  'complaint:rate',
  'inspection:read',
  'inspection:manage',
  'inspection:perform',
  'equipment:read',
  'equipment:manage',
  'equipment:maintain',
  'prediction:read',
  // Acknowledging and resolving predictive alerts (issue 8's maintenance view).
  'prediction:manage',
  'model:manage',
  'scenario:read',
  'scenario:manage',
  'audit:read',
  'pii:unmask',
  'user:manage',
  'record:read',
  'record:manage',
  'record:export',
  'consent:manage',
  'data_request:manage',
  'self:data',
  'fee:read',
  'fee:manage',
  // Paying one's own household's bills online (issue 5).
  'fee:pay',
  'metrics:read',
  // Property operations, part C (issue 5): access, parking, notices, third-party services, the assistant.
  'access:read',
  'access:manage',
  'visitor:invite',
  'parking:read',
  'parking:manage',
  'notice:read',
  'notice:manage',
  'service:read',
  'service:order',
  'service:manage',
  'assistant:ask',
] as const
export type Permission = (typeof permissions)[number]

/** Every role. `wall_screen` is the kiosk account of the command-center screen (no personal data). */
export const roles = [
  'administrator',
  'community_manager',
  'customer_service',
  'repair_staff',
  'finance',
  'security_guard',
  'auditor',
  'planner',
  'maintenance_engineer',
  'resident',
  'wall_screen',
] as const
export type Role = (typeof roles)[number]

export type ScopeKind = 'company' | 'community' | 'building' | 'household'

const staffScopes: readonly ScopeKind[] = ['company', 'community', 'building']

interface RoleDefinition {
  readonly label: string
  readonly permissions: readonly Permission[]
  /** Scopes a user of this role may be given. */
  readonly scopes: readonly ScopeKind[]
  /** Sign-in needs a TOTP code as well as the password. */
  readonly mfa: boolean
}

/** Rights that only a resident exercises, for their own household. */
const residentOnly: readonly Permission[] = ['self:data', 'workorder:rate', 'complaint:rate']

/** role × permission, plus the scopes each role may hold. */
export const matrix: Readonly<Record<Role, RoleDefinition>> = {
  administrator: {
    label: '系统管理员 administrator',
    // Everything but a resident's own rights (own data, rating their repairs and complaints).
    permissions: permissions.filter((p) => !residentOnly.includes(p)),
    scopes: ['company'],
    mfa: true,
  },
  community_manager: {
    label: '项目经理 community manager',
    permissions: [
      'twin:read',
      'telemetry:read',
      'kpi:read',
      'alarm:read',
      'alarm:manage',
      'alarm_rule:manage',
      'live:read',
      'workorder:read',
      'workorder:manage',
      'workorder:create',
      'workorder:dispatch',
      'workorder:work',
      'complaint:read',
      'complaint:create',
      'complaint:manage',
      'inspection:read',
      'inspection:manage',
      'inspection:perform',
      'equipment:read',
      'equipment:manage',
      'equipment:maintain',
      'prediction:read',
      'prediction:manage',
      'scenario:read',
      'record:read',
      'record:manage',
      'record:export',
      'pii:unmask',
      'consent:manage',
      'data_request:manage',
      'fee:read',
      'access:read',
      'access:manage',
      'visitor:invite',
      'parking:read',
      'parking:manage',
      'notice:read',
      'notice:manage',
      'service:read',
      'service:order',
      'service:manage',
      'assistant:ask',
    ],
    scopes: ['company', 'community'],
    mfa: false,
  },
  customer_service: {
    label: '客服 customer service',
    permissions: [
      'twin:read',
      'alarm:read',
      'live:read',
      'workorder:read',
      'workorder:manage',
      'workorder:create',
      'workorder:dispatch',
      'complaint:read',
      'complaint:create',
      'complaint:manage',
      'inspection:read',
      'equipment:read',
      'record:read',
      'record:manage',
      'pii:unmask',
      'consent:manage',
      'fee:read',
      'access:read',
      'visitor:invite',
      'parking:read',
      'notice:read',
      'notice:manage',
      'service:read',
      'service:order',
      'service:manage',
      'assistant:ask',
    ],
    scopes: staffScopes,
    mfa: false,
  },
  repair_staff: {
    label: '维修工 repair staff',
    // Repairers take and progress jobs; verifying and closing them is the dispatcher's and manager's.
    permissions: [
      'twin:read',
      'telemetry:read',
      'alarm:read',
      'workorder:read',
      'workorder:create',
      'workorder:work',
      'inspection:read',
      'inspection:perform',
      'equipment:read',
      'equipment:maintain',
      'notice:read',
    ],
    scopes: staffScopes,
    mfa: false,
  },
  finance: {
    label: '财务 finance',
    permissions: [
      'kpi:read',
      'fee:read',
      'fee:manage',
      'record:read',
      'record:export',
      'parking:read',
      'notice:read',
    ],
    scopes: staffScopes,
    mfa: false,
  },
  security_guard: {
    label: '保安 security guard',
    permissions: [
      'twin:read',
      'telemetry:read',
      'alarm:read',
      'alarm:manage',
      'live:read',
      'record:read',
      'inspection:read',
      'inspection:perform',
      'access:read',
      'access:manage',
      'visitor:invite',
      'parking:read',
      'parking:manage',
      'notice:read',
    ],
    scopes: staffScopes,
    mfa: false,
  },
  auditor: {
    label: '审计 auditor',
    permissions: [
      'audit:read',
      'record:read',
      'kpi:read',
      'alarm:read',
      'workorder:read',
      'complaint:read',
      'inspection:read',
      'equipment:read',
      'access:read',
      'parking:read',
      'notice:read',
      'service:read',
    ],
    scopes: ['company', 'community'],
    mfa: false,
  },
  planner: {
    label: '规划师 planner',
    permissions: [
      'twin:read',
      'telemetry:read',
      'kpi:read',
      'live:read',
      'scenario:read',
      'scenario:manage',
      'parking:read',
      'notice:read',
    ],
    scopes: ['company', 'community'],
    mfa: false,
  },
  maintenance_engineer: {
    label: '设备工程师 maintenance engineer',
    permissions: [
      'twin:read',
      'telemetry:read',
      'kpi:read',
      'alarm:read',
      'alarm:manage',
      'alarm_rule:manage',
      'live:read',
      'workorder:read',
      'workorder:manage',
      'workorder:create',
      'workorder:dispatch',
      'workorder:work',
      'inspection:read',
      'inspection:manage',
      'inspection:perform',
      'equipment:read',
      'equipment:manage',
      'equipment:maintain',
      'prediction:read',
      'prediction:manage',
      'model:manage',
      'notice:read',
    ],
    scopes: staffScopes,
    mfa: false,
  },
  resident: {
    label: '业主/住户 resident',
    permissions: [
      'record:read',
      'self:data',
      'workorder:read',
      'workorder:create',
      'workorder:rate',
      'complaint:read',
      'complaint:create',
      'complaint:rate',
      'access:read',
      'visitor:invite',
      'notice:read',
      'service:read',
      'service:order',
      'assistant:ask',
      'fee:read',
      'fee:pay',
    ],
    scopes: ['household'],
    mfa: false,
  },
  wall_screen: {
    label: '指挥中心大屏 wall screen',
    // Predictive risk is a layer of the wall screen (device risk, no personal data).
    permissions: [
      'twin:read',
      'telemetry:read',
      'kpi:read',
      'alarm:read',
      'live:read',
      'notice:read',
      'prediction:read',
    ],
    scopes: ['company', 'community'],
    mfa: false,
  },
}

const granted = new Map<Role, ReadonlySet<Permission>>(
  roles.map((role) => [role, new Set<Permission>(matrix[role].permissions)]),
)

/** The permissions of a role (a set, for O(1) checks on every request). */
export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return granted.get(role) ?? new Set()
}

/** Whether `role` holds `permission`. */
export function roleHas(role: Role, permission: Permission): boolean {
  return permissionsOf(role).has(permission)
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value)
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value)
}
