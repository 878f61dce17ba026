-- Inspections (issue 5): routes of points to check (a building, a device, an open area), scheduled tasks that walk
-- a route, and check-ins at each point with what was found. A finding can open a work order (source
-- 'inspection', keyed by the check-in id). A route may be tied to one building, so that building-scoped staff see
-- it; otherwise it belongs to its community.

CREATE TABLE inspection_routes (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('security', 'equipment', 'fire', 'cleaning', 'general')),
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX inspection_routes_community ON inspection_routes (community_id, id);

CREATE TABLE inspection_points (
  id text PRIMARY KEY,
  route_id text NOT NULL REFERENCES inspection_routes (id),
  seq integer NOT NULL,
  name text NOT NULL,
  building_id text REFERENCES buildings (id),
  device_id text REFERENCES devices (id),
  area_id text REFERENCES areas (id),
  checklist jsonb NOT NULL DEFAULT '[]',
  UNIQUE (route_id, seq)
);

CREATE TABLE inspection_tasks (
  id text PRIMARY KEY,
  route_id text NOT NULL REFERENCES inspection_routes (id),
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  scheduled_for timestamptz NOT NULL,
  due_at timestamptz NOT NULL CHECK (due_at > scheduled_for),
  assignee_id text REFERENCES users (id),
  state text NOT NULL CHECK (state IN ('scheduled', 'in_progress', 'completed', 'missed')),
  started_at timestamptz,
  completed_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX inspection_tasks_community ON inspection_tasks (community_id, scheduled_for DESC);
CREATE INDEX inspection_tasks_due ON inspection_tasks (due_at) WHERE state IN ('scheduled', 'in_progress');

CREATE TABLE inspection_checkins (
  id text PRIMARY KEY,
  task_id text NOT NULL REFERENCES inspection_tasks (id),
  point_id text NOT NULL REFERENCES inspection_points (id),
  at timestamptz NOT NULL,
  by_user text NOT NULL,
  result text NOT NULL CHECK (result IN ('ok', 'issue')),
  findings text NOT NULL DEFAULT '',
  work_order_id text REFERENCES work_orders (id),
  UNIQUE (task_id, point_id)
);
