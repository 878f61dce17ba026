-- Complaints (issue 5): what a household or a passer-by complained about, where (a building, a unit or an open
-- area of the community), the work orders opened or linked to put it right, the outcome and the complainant's
-- satisfaction. `location` is a stable label of the place (area name, building name, unit) so that hotspot KPIs
-- (analytics/kpi/records.ts) group by it; what the complainant said about the spot goes in location_detail.

CREATE TABLE complaints (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  unit_id text REFERENCES units (id),
  household_id text REFERENCES households (id),
  area_id text REFERENCES areas (id),
  location text NOT NULL,
  location_detail text NOT NULL DEFAULT '',
  category text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('app', 'phone', 'counter', 'wechat', 'email')),
  description text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'processing', 'resolved', 'closed')),
  reporter_id text NOT NULL,
  handler_id text,
  outcome text,
  satisfaction integer CHECK (satisfaction BETWEEN 1 AND 5),
  satisfaction_comment text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  resolved_at timestamptz,
  closed_at timestamptz,
  CHECK (state NOT IN ('resolved', 'closed') OR outcome IS NOT NULL)
);
CREATE INDEX complaints_community ON complaints (community_id, created_at DESC, id);
CREATE INDEX complaints_building ON complaints (building_id, created_at DESC, id);
CREATE INDEX complaints_household ON complaints (household_id, created_at DESC, id);

CREATE TABLE complaint_work_orders (
  complaint_id text NOT NULL REFERENCES complaints (id),
  work_order_id text NOT NULL REFERENCES work_orders (id),
  linked_at timestamptz NOT NULL,
  linked_by text NOT NULL,
  PRIMARY KEY (complaint_id, work_order_id)
);
CREATE INDEX complaint_work_orders_order ON complaint_work_orders (work_order_id);
