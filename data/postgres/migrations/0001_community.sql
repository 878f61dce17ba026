-- The community records: company → communities → buildings → units → households → residents, plus vehicles,
-- gates, parking, open areas and the device registry. Geometry is kept as JSON in the local metre frame.
-- Personal data (ID numbers, phone numbers) is stored only encrypted (AES-256-GCM) with a keyed hash for exact
-- lookup; the key id travels inside each ciphertext so keys can rotate.

CREATE TABLE companies (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE communities (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  name text NOT NULL,
  city text NOT NULL,
  district text NOT NULL,
  address text NOT NULL,
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  boundary jsonb NOT NULL,
  roads jsonb NOT NULL,
  built_year integer NOT NULL,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE buildings (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  name text NOT NULL,
  kind text NOT NULL,
  footprint jsonb NOT NULL,
  floors integer NOT NULL CHECK (floors >= 0),
  basement_floors integer NOT NULL DEFAULT 0,
  height double precision NOT NULL,
  floor_height double precision NOT NULL,
  entrances integer NOT NULL,
  elevator_count integer NOT NULL,
  built_year integer NOT NULL,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX buildings_community ON buildings (community_id);

CREATE TABLE units (
  id text PRIMARY KEY,
  building_id text NOT NULL REFERENCES buildings (id),
  community_id text NOT NULL REFERENCES communities (id),
  entrance integer NOT NULL,
  floor integer NOT NULL,
  number text NOT NULL,
  area numeric(8, 2) NOT NULL CHECK (area > 0),
  bedrooms integer NOT NULL,
  usage text NOT NULL,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (building_id, entrance, number)
);
CREATE INDEX units_community ON units (community_id);

CREATE TABLE households (
  id text PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units (id),
  building_id text NOT NULL REFERENCES buildings (id),
  community_id text NOT NULL REFERENCES communities (id),
  tenure text NOT NULL,
  move_in_date date,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX households_unit ON households (unit_id);
CREATE INDEX households_community ON households (community_id);

CREATE TABLE residents (
  id text PRIMARY KEY,
  household_id text NOT NULL REFERENCES households (id),
  building_id text NOT NULL REFERENCES buildings (id),
  community_id text NOT NULL REFERENCES communities (id),
  name text NOT NULL,
  gender text NOT NULL,
  birth_date date NOT NULL,
  id_number_enc bytea NOT NULL,
  id_number_hash bytea NOT NULL,
  phone_enc bytea,
  phone_hash bytea,
  relation text NOT NULL,
  age_group text NOT NULL,
  occupation text NOT NULL,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX residents_household ON residents (household_id);
CREATE INDEX residents_community ON residents (community_id, id);
CREATE INDEX residents_id_number_hash ON residents (id_number_hash);
CREATE INDEX residents_phone_hash ON residents (phone_hash);

CREATE TABLE parking_lots (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  name text NOT NULL,
  kind text NOT NULL,
  polygon jsonb NOT NULL,
  entrance_node_id text NOT NULL,
  level integer NOT NULL,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE parking_spaces (
  id text PRIMARY KEY,
  lot_id text NOT NULL REFERENCES parking_lots (id),
  community_id text NOT NULL REFERENCES communities (id),
  number text NOT NULL,
  position jsonb NOT NULL,
  kind text NOT NULL,
  tenure text NOT NULL,
  archived_at timestamptz,
  UNIQUE (lot_id, number)
);

CREATE TABLE vehicles (
  id text PRIMARY KEY,
  household_id text NOT NULL REFERENCES households (id),
  community_id text NOT NULL REFERENCES communities (id),
  plate text NOT NULL,
  energy text NOT NULL,
  space_id text REFERENCES parking_spaces (id),
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX vehicles_plate ON vehicles (community_id, plate) WHERE archived_at IS NULL;

CREATE TABLE gates (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  name text NOT NULL,
  kind text NOT NULL,
  position jsonb NOT NULL,
  node_id text NOT NULL,
  lanes integer NOT NULL,
  archived_at timestamptz
);

CREATE TABLE areas (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  name text NOT NULL,
  kind text NOT NULL,
  polygon jsonb NOT NULL,
  archived_at timestamptz
);

CREATE TABLE devices (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  kind text NOT NULL,
  model text NOT NULL,
  install_date date NOT NULL,
  x double precision NOT NULL,
  y double precision NOT NULL,
  z double precision NOT NULL,
  building_id text REFERENCES buildings (id),
  unit_id text REFERENCES units (id),
  gate_id text REFERENCES gates (id),
  lot_id text REFERENCES parking_lots (id),
  public boolean NOT NULL DEFAULT false,
  spec jsonb NOT NULL DEFAULT '{}',
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_community_kind ON devices (community_id, kind);
CREATE INDEX devices_building ON devices (building_id);

-- Which generated community set was loaded, so a restart does not load it again.
CREATE TABLE community_loads (
  company_id text NOT NULL REFERENCES companies (id),
  profile text NOT NULL,
  seed bigint NOT NULL,
  fingerprint text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id)
);
