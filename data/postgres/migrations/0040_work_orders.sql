-- Work orders (issue 5): repair and maintenance jobs from residents, staff, complaints, inspections, alarms and
-- predictive alerts. The state machine lives in code as one transition table (api/workorders/transitions.ts);
-- the database keeps the states closed and every step in work_order_events (who, what, when). An automatic
-- source (alarm, predictive alert, inspection finding, complaint) opens at most one order per source object:
-- (source, source_ref) is unique. Money is integer fen.

CREATE TABLE work_orders (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  unit_id text REFERENCES units (id),
  household_id text REFERENCES households (id),
  device_id text REFERENCES devices (id),
  source text NOT NULL CHECK (source IN ('resident', 'staff', 'complaint', 'inspection', 'alarm', 'prediction')),
  -- The object that opened it (alarm id, alert id, complaint id, inspection check-in id), for idempotency.
  source_ref text,
  category text NOT NULL,
  -- The skill a repairer needs (round-robin dispatch matches it).
  skill text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  location text NOT NULL DEFAULT '',
  priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  state text NOT NULL CHECK (state IN ('new', 'assigned', 'accepted', 'in_progress', 'on_hold', 'resolved',
    'verified', 'closed', 'rejected', 'reopened')),
  assignee_id text REFERENCES users (id),
  reporter_id text,
  -- Evidence carried by a predictive alert (features, values against the normal range).
  evidence jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- SLA: accepted by respond_due_at, resolved by due_at (the priority's policy from sla_started_at: creation,
  -- or the last reopening).
  sla_started_at timestamptz NOT NULL,
  respond_due_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  accepted_at timestamptz,
  resolved_at timestamptz,
  verified_at timestamptz,
  closed_at timestamptz,
  escalation_level integer NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 3),
  escalated_at timestamptz,
  rating integer CHECK (rating BETWEEN 1 AND 5),
  rating_comment text,
  rated_at timestamptz,
  return_visit_at timestamptz,
  return_visit_by text,
  return_visit_satisfied boolean,
  return_visit_note text,
  CHECK (household_id IS NULL OR building_id IS NOT NULL)
);
CREATE UNIQUE INDEX work_orders_source ON work_orders (source, source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX work_orders_community ON work_orders (community_id, created_at DESC, id);
CREATE INDEX work_orders_building ON work_orders (building_id, created_at DESC, id);
CREATE INDEX work_orders_household ON work_orders (household_id, created_at DESC, id);
CREATE INDEX work_orders_assignee ON work_orders (assignee_id) WHERE state NOT IN ('closed');
-- The SLA job reads only orders still running.
CREATE INDEX work_orders_open_due ON work_orders (due_at) WHERE state NOT IN ('resolved', 'verified', 'closed');

-- The full history: one row per change, in order.
CREATE TABLE work_order_events (
  id bigserial PRIMARY KEY,
  work_order_id text NOT NULL REFERENCES work_orders (id),
  at timestamptz NOT NULL,
  -- User id, or NULL for the system (SLA job, automatic sources).
  actor_id text,
  actor_role text NOT NULL,
  action text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  note text,
  data jsonb
);
CREATE INDEX work_order_events_order ON work_order_events (work_order_id, id);

-- Parts and labour, integer fen.
CREATE TABLE work_order_costs (
  id bigserial PRIMARY KEY,
  work_order_id text NOT NULL REFERENCES work_orders (id),
  kind text NOT NULL CHECK (kind IN ('part', 'labour')),
  description text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price_fen bigint NOT NULL CHECK (unit_price_fen >= 0),
  amount_fen bigint NOT NULL CHECK (amount_fen = quantity * unit_price_fen),
  added_by text NOT NULL,
  added_at timestamptz NOT NULL
);
CREATE INDEX work_order_costs_order ON work_order_costs (work_order_id, id);

-- Repairers' skills and the round-robin pointer (who was given an order least recently).
CREATE TABLE work_order_staff (
  user_id text PRIMARY KEY REFERENCES users (id),
  skills text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  last_assigned_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
