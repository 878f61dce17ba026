-- Parking operations: tariffs for temporary parking (free minutes, an hourly price and a daily cap, integer fen),
-- monthly permits for residents' vehicles (optionally on a fixed space), and parking sessions opened and closed by
-- barrier events (vehicle.entry / vehicle.exit from the ingest, or entered by a guard). The lots, spaces and
-- vehicles themselves are the community records of 0001_community.sql.

CREATE TABLE parking_tariffs (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  -- NULL: the community's default for lots without their own tariff.
  lot_id text REFERENCES parking_lots (id),
  free_minutes integer NOT NULL CHECK (free_minutes BETWEEN 0 AND 1440),
  hourly_fen integer NOT NULL CHECK (hourly_fen >= 0),
  daily_cap_fen integer NOT NULL CHECK (daily_cap_fen >= 0),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX parking_tariffs_lot ON parking_tariffs (community_id, coalesce(lot_id, ''));

CREATE TABLE parking_permits (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  household_id text NOT NULL REFERENCES households (id),
  vehicle_id text NOT NULL REFERENCES vehicles (id),
  plate text NOT NULL,
  lot_id text NOT NULL REFERENCES parking_lots (id),
  space_id text REFERENCES parking_spaces (id),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  fee_fen integer NOT NULL CHECK (fee_fen >= 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK (ends_on >= starts_on)
);
CREATE INDEX parking_permits_community ON parking_permits (community_id, id);
CREATE INDEX parking_permits_household ON parking_permits (household_id, id);
CREATE INDEX parking_permits_plate ON parking_permits (lot_id, plate) WHERE status = 'active';
-- A fixed space has one active permit at a time.
CREATE UNIQUE INDEX parking_permits_space ON parking_permits (space_id) WHERE status = 'active' AND space_id IS NOT NULL;

CREATE TABLE parking_sessions (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  lot_id text NOT NULL REFERENCES parking_lots (id),
  plate text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('monthly', 'temporary')),
  permit_id text REFERENCES parking_permits (id),
  -- open: in the lot; closed: left (fee_fen set); abandoned: a new entry came without an exit.
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'abandoned')),
  entered_at timestamptz NOT NULL,
  exited_at timestamptz,
  fee_fen integer CHECK (fee_fen >= 0),
  paid_at timestamptz,
  paid_by text,
  source text NOT NULL CHECK (source IN ('barrier', 'manual')),
  CHECK (exited_at IS NULL OR exited_at >= entered_at),
  CHECK (status <> 'closed' OR (exited_at IS NOT NULL AND fee_fen IS NOT NULL)),
  CHECK (paid_at IS NULL OR status = 'closed')
);
CREATE UNIQUE INDEX parking_sessions_open ON parking_sessions (lot_id, plate) WHERE status = 'open';
CREATE INDEX parking_sessions_community ON parking_sessions (community_id, id);
