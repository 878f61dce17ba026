/**
 * The work-order module as the app mounts it: its services composed from the platform's database and audit
 * writer, and its routes (orders, costs, feedback, repairer profiles).
 */
import type { Platform } from '../platform.ts'
import { routeApp } from '../http/openapi.ts'
import { WorkOrderCosts } from './costs.ts'
import { workOrderRoutes } from './routes.ts'
import { WorkOrderService } from './service.ts'
import { StaffProfiles, staffRoutes } from './staff.ts'

/** The routes of the work-order module, for `app.route('/api/v1', …)`. */
export function workOrderApi(platform: Pick<Platform, 'db' | 'auditor'>) {
  const orders = new WorkOrderService({ db: platform.db, auditor: platform.auditor })
  return routeApp()
    .route('/', workOrderRoutes(orders, new WorkOrderCosts(orders)))
    .route('/', staffRoutes(new StaffProfiles(platform.db, platform.auditor)))
}
