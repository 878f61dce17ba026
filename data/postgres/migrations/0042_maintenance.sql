-- Equipment maintenance (issue 5): plans and records keyed by device id (the `devices` table is the registry of
-- elevators, pumps, …), and the alerts raised when a plan is missed. Elevators must be maintained at least every
-- 15 days (TSG T5002, 电梯维护保养规则): a plan for an elevator cannot allow more than 15 days between visits,
-- grace included. The missed-plan check keeps at most one open alert per plan; recording the maintenance resolves
-- it.

CREATE TABLE maintenance_plans (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  device_id text NOT NULL REFERENCES devices (id),
  device_kind text NOT NULL,
  name text NOT NULL,
  interval_days integer NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
  grace_days integer NOT NULL DEFAULT 0 CHECK (grace_days BETWEEN 0 AND 30),
  next_due_at timestamptz NOT NULL,
  last_done_at timestamptz,
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (device_kind <> 'elevator' OR interval_days + grace_days <= 15)
);
CREATE INDEX maintenance_plans_device ON maintenance_plans (device_id);
CREATE INDEX maintenance_plans_community ON maintenance_plans (community_id, next_due_at);
CREATE INDEX maintenance_plans_due ON maintenance_plans (next_due_at) WHERE active;

CREATE TABLE maintenance_records (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  device_id text NOT NULL REFERENCES devices (id),
  plan_id text REFERENCES maintenance_plans (id),
  kind text NOT NULL CHECK (kind IN ('routine', 'repair', 'annual_inspection')),
  performed_at timestamptz NOT NULL,
  performed_by text NOT NULL,
  findings text NOT NULL DEFAULT '',
  work_order_id text REFERENCES work_orders (id),
  recorded_at timestamptz NOT NULL
);
CREATE INDEX maintenance_records_device ON maintenance_records (device_id, performed_at DESC);

CREATE TABLE maintenance_alerts (
  id bigserial PRIMARY KEY,
  plan_id text NOT NULL REFERENCES maintenance_plans (id),
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  device_id text NOT NULL REFERENCES devices (id),
  device_kind text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('overdue')),
  due_at timestamptz NOT NULL,
  raised_at timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'resolved')),
  resolved_at timestamptz,
  resolved_by text,
  record_id text REFERENCES maintenance_records (id)
);
-- At most one open alert per plan (the check is idempotent).
CREATE UNIQUE INDEX maintenance_alerts_open ON maintenance_alerts (plan_id) WHERE state = 'open';
CREATE INDEX maintenance_alerts_community ON maintenance_alerts (community_id, raised_at DESC);
