-- The audit log: an append-only sequence of entries, each the leaf of an RFC 6962 Merkle tree
-- (leaf_hash = SHA-256(0x00 || canonical entry)). Entries hold who, role, when (UTC), action, object and hashes of
-- the object before and after the change, never the personal data itself. The database refuses UPDATE, DELETE and
-- TRUNCATE on the table (the API has no route that deletes either); signed tree heads live in their own table and in
-- a file outside the database, and each row carries a MAC under a key outside the database, so a direct edit of
-- audit_log is detected by `npm run audit -- verify`.

CREATE TABLE audit_log (
  seq bigint PRIMARY KEY CHECK (seq >= 0),
  ts timestamptz NOT NULL,
  company_id text,
  community_id text,
  actor_id text NOT NULL,
  actor_role text NOT NULL,
  action text NOT NULL,
  object_type text NOT NULL,
  object_id text NOT NULL,
  before_hash bytea,
  after_hash bytea,
  request_id text,
  leaf_hash bytea NOT NULL,
  -- HMAC-SHA-256 of leaf_hash under a key kept outside the database: a row written without the key (an insert or
  -- an edit made directly in SQL) is caught even before a signed tree head covers it.
  mac bytea NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_community ON audit_log (community_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Signed tree heads (Ed25519 over "community-twin/audit/v1", size, root, time).
CREATE TABLE audit_tree_heads (
  tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
  root_hash bytea NOT NULL,
  ts timestamptz NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL
);
