-- Access control and visitors: credentials gain their secrets (card numbers and face templates encrypted, PINs
-- and QR tokens as keyed hashes, masked forms for responses), validity and revocation, and the scope ids of their
-- resident; access events from gate lanes and barriers (one row per device message: (device_id, seq) is unique,
-- so a redelivered message is stored once); visitor passes with a QR token kept only as its hash; deliveries held
-- at the gatehouse; the blocklist of people (by phone) and vehicles (by plate).

ALTER TABLE access_credentials ADD COLUMN community_id text REFERENCES communities (id);
ALTER TABLE access_credentials ADD COLUMN building_id text REFERENCES buildings (id);
ALTER TABLE access_credentials ADD COLUMN household_id text REFERENCES households (id);
ALTER TABLE access_credentials ADD COLUMN secret_enc bytea;
ALTER TABLE access_credentials ADD COLUMN secret_hash bytea;
ALTER TABLE access_credentials ADD COLUMN secret_masked text;
ALTER TABLE access_credentials ADD COLUMN valid_until timestamptz;
ALTER TABLE access_credentials ADD COLUMN issued_by text;
ALTER TABLE access_credentials ADD COLUMN revoked_by text;
ALTER TABLE access_credentials ADD COLUMN revoke_reason text;
UPDATE access_credentials c SET community_id = r.community_id, building_id = r.building_id,
  household_id = r.household_id FROM residents r WHERE r.id = c.resident_id;
-- Writers that predate the columns (the consent service) leave them out: derive them from the resident.
CREATE FUNCTION access_credentials_scope_of_resident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT r.community_id, r.building_id, r.household_id INTO NEW.community_id, NEW.building_id, NEW.household_id
    FROM residents r WHERE r.id = NEW.resident_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER access_credentials_scope BEFORE INSERT OR UPDATE OF resident_id ON access_credentials
  FOR EACH ROW EXECUTE FUNCTION access_credentials_scope_of_resident();
CREATE INDEX access_credentials_household ON access_credentials (household_id, id);
CREATE INDEX access_credentials_community ON access_credentials (community_id, id);
-- A card number or PIN opens one door account at a time within a community.
CREATE UNIQUE INDEX access_credentials_secret ON access_credentials (community_id, kind, secret_hash)
  WHERE revoked_at IS NULL AND secret_hash IS NOT NULL;

CREATE TABLE access_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  -- The lane or barrier that reported it and its message sequence; NULL for checks made through the API.
  device_id text,
  seq bigint,
  gate_id text REFERENCES gates (id),
  lot_id text REFERENCES parking_lots (id),
  at timestamptz NOT NULL,
  type text NOT NULL CHECK (type IN ('access.pass', 'vehicle.entry', 'vehicle.exit', 'visitor.verify')),
  direction text CHECK (direction IN ('in', 'out')),
  method text,
  person text,
  plate text,
  pass_id text,
  result text NOT NULL CHECK (result IN ('granted', 'denied')),
  reason text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((device_id IS NULL) = (seq IS NULL))
);
CREATE UNIQUE INDEX access_events_message ON access_events (device_id, seq) WHERE device_id IS NOT NULL;
CREATE INDEX access_events_community ON access_events (community_id, id);

CREATE TABLE visitor_passes (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  building_id text NOT NULL REFERENCES buildings (id),
  household_id text NOT NULL REFERENCES households (id),
  visitor_name text NOT NULL,
  phone_enc bytea,
  phone_hash bytea,
  phone_masked text,
  plate text,
  purpose text NOT NULL,
  -- SHA-256 of the QR token (256 random bits): the token itself is shown once, to whoever created the pass.
  token_hash bytea NOT NULL UNIQUE,
  valid_from timestamptz NOT NULL,
  valid_until timestamptz NOT NULL,
  max_entries integer NOT NULL CHECK (max_entries BETWEEN 1 AND 20),
  entries integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by text,
  CHECK (valid_until > valid_from),
  CHECK (entries BETWEEN 0 AND max_entries)
);
CREATE INDEX visitor_passes_community ON visitor_passes (community_id, id);
CREATE INDEX visitor_passes_household ON visitor_passes (household_id, id);

CREATE TABLE deliveries (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  building_id text NOT NULL REFERENCES buildings (id),
  household_id text NOT NULL REFERENCES households (id),
  carrier text NOT NULL,
  parcels integer NOT NULL CHECK (parcels BETWEEN 1 AND 100),
  note text,
  -- The six-digit pickup code: encrypted for the household to read, keyed hash to check at the gatehouse.
  pickup_code_enc bytea NOT NULL,
  pickup_code_hash bytea NOT NULL,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'collected', 'returned')),
  received_by text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  closed_by text,
  closed_at timestamptz,
  CHECK ((status = 'waiting') = (closed_at IS NULL))
);
CREATE INDEX deliveries_community ON deliveries (community_id, id);
CREATE INDEX deliveries_household ON deliveries (household_id, id);

CREATE TABLE access_blocklist (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  kind text NOT NULL CHECK (kind IN ('person', 'vehicle')),
  name text,
  phone_enc bytea,
  phone_hash bytea,
  phone_masked text,
  plate text,
  reason text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  lifted_at timestamptz,
  lifted_by text,
  CHECK (kind <> 'person' OR phone_hash IS NOT NULL),
  CHECK (kind <> 'vehicle' OR plate IS NOT NULL)
);
CREATE UNIQUE INDEX access_blocklist_phone ON access_blocklist (community_id, phone_hash)
  WHERE lifted_at IS NULL AND phone_hash IS NOT NULL;
CREATE UNIQUE INDEX access_blocklist_plate ON access_blocklist (community_id, plate)
  WHERE lifted_at IS NULL AND plate IS NOT NULL;
CREATE INDEX access_blocklist_community ON access_blocklist (community_id, id);
