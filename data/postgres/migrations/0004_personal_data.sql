-- Personal data (PIPL): masked forms kept beside the ciphertexts so lists never decrypt, erasure on request,
-- consent for face data, access credentials (face only with consent), every gate takes a non-face credential,
-- and residents' requests to export or delete their data.

ALTER TABLE residents ADD COLUMN id_number_masked text;
ALTER TABLE residents ADD COLUMN phone_masked text;
ALTER TABLE residents ADD COLUMN erased_at timestamptz;
ALTER TABLE residents ALTER COLUMN id_number_enc DROP NOT NULL;
ALTER TABLE residents ALTER COLUMN id_number_hash DROP NOT NULL;

CREATE TABLE face_consents (
  id text PRIMARY KEY,
  resident_id text NOT NULL REFERENCES residents (id),
  purpose text NOT NULL,
  method text NOT NULL CHECK (method IN ('paper', 'app', 'kiosk')),
  granted_by text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz
);
CREATE UNIQUE INDEX face_consents_active ON face_consents (resident_id) WHERE withdrawn_at IS NULL;

CREATE TABLE access_credentials (
  id text PRIMARY KEY,
  resident_id text NOT NULL REFERENCES residents (id),
  kind text NOT NULL CHECK (kind IN ('card', 'qr', 'pin', 'face')),
  consent_id text REFERENCES face_consents (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (kind <> 'face' OR consent_id IS NOT NULL)
);
CREATE INDEX access_credentials_resident ON access_credentials (resident_id);

ALTER TABLE gates ADD COLUMN credential_kinds text[] NOT NULL DEFAULT '{card,qr,face}';
ALTER TABLE gates ADD CONSTRAINT gates_non_face_credential CHECK (credential_kinds && ARRAY['card', 'qr', 'pin']);

CREATE TABLE data_requests (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  resident_id text NOT NULL REFERENCES residents (id),
  community_id text NOT NULL REFERENCES communities (id),
  kind text NOT NULL CHECK (kind IN ('deletion')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by text
);
CREATE INDEX data_requests_community ON data_requests (community_id, id);
