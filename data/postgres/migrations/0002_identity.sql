-- Identity: users (one role, one data scope each), refresh-token families ("sessions") with rotating refresh tokens
-- stored only as SHA-256 hashes, and the JWT signing keys (private halves encrypted with the auth master key, so a
-- database dump cannot mint tokens). Passwords are scrypt hashes; TOTP secrets are encrypted.

CREATE TABLE users (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  username text NOT NULL UNIQUE CHECK (username = lower(username) AND username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name text NOT NULL,
  role text NOT NULL,
  scope_kind text NOT NULL CHECK (scope_kind IN ('company', 'community', 'building', 'household')),
  scope_ids text[] NOT NULL DEFAULT '{}',
  resident_id text REFERENCES residents (id),
  password_hash text NOT NULL,
  totp_secret_enc bytea,
  totp_last_step bigint,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (scope_kind = 'company' OR cardinality(scope_ids) > 0)
);
CREATE INDEX users_company ON users (company_id, id);

-- A sign-in: the family of refresh tokens that descend from one login. Revoking it ends every token in it,
-- including the access tokens that name it (claim `sid`).
CREATE TABLE auth_sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoke_reason text
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  session_id text NOT NULL REFERENCES auth_sessions (id),
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE auth_signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg = 'EdDSA'),
  public_key bytea NOT NULL,
  private_key_enc bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
