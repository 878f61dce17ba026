-- Alarm rules and alarms with their lifecycle (issue 6). Rules are declarative rows evaluated on the ingest stream;
-- every change bumps alarm_rule_version so running engines reload without a restart (polled, and NOTIFYed on a
-- server). An alarm moves open → acknowledged → in_progress → resolved; every step is a row in alarm_events with
-- who did it and when, which is also what the time machine reads to rebuild the alarm state at a past instant.

CREATE TABLE alarm_rules (
  id text PRIMARY KEY,
  -- NULL: every community.
  community_id text,
  name text NOT NULL,
  -- threshold | rate | stale | composite
  type text NOT NULL CHECK (type IN ('threshold', 'rate', 'stale', 'composite')),
  -- What the rule watches: a device kind, or one device (at least one of them, except for composites).
  device_kind text,
  device_id text,
  metric text,
  -- Type-specific parameters, validated by the application (analytics/alarms/rules.ts).
  params jsonb NOT NULL DEFAULT '{}',
  severity text NOT NULL DEFAULT 'major' CHECK (severity IN ('info', 'minor', 'major', 'critical')),
  enabled boolean NOT NULL DEFAULT true,
  -- Unacknowledged this long → escalated (NULL: never).
  escalate_after_s integer CHECK (escalate_after_s > 0),
  -- Unacknowledged: reminded every this many seconds (NULL: never).
  remind_every_s integer CHECK (remind_every_s > 0),
  auto_work_order boolean NOT NULL DEFAULT false,
  created_by text,
  updated_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (type = 'composite' OR device_kind IS NOT NULL OR device_id IS NOT NULL)
);
CREATE INDEX alarm_rules_community ON alarm_rules (community_id) WHERE deleted_at IS NULL;

-- One row: the version of the rule set. Engines compare it every few seconds (one tiny query, not per message).
CREATE TABLE alarm_rule_version (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL
);
INSERT INTO alarm_rule_version (id, version) VALUES (true, 1);

CREATE FUNCTION alarm_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE alarm_rule_version SET version = version + 1;
  PERFORM pg_notify('alarm_rules_changed', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER alarm_rules_changed AFTER INSERT OR UPDATE OR DELETE ON alarm_rules
  FOR EACH STATEMENT EXECUTE FUNCTION alarm_rules_changed();

CREATE TABLE alarms (
  id bigserial PRIMARY KEY,
  rule_id text NOT NULL REFERENCES alarm_rules (id),
  community_id text NOT NULL,
  device_id text NOT NULL,
  device_kind text NOT NULL,
  severity text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'in_progress', 'resolved')),
  message text NOT NULL,
  -- The value that raised it (NULL for stale/offline).
  value double precision,
  -- Device time of the triggering message (or the check time for stale devices).
  triggered_at timestamptz NOT NULL,
  opened_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- How often the condition was raised again while this alarm was active (deduplicated).
  occurrences integer NOT NULL DEFAULT 1,
  -- When the condition itself cleared (the alarm stays until a person resolves it).
  cleared_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by text,
  in_progress_at timestamptz,
  in_progress_by text,
  resolved_at timestamptz,
  resolved_by text,
  escalation_level integer NOT NULL DEFAULT 0,
  last_notified_at timestamptz NOT NULL,
  work_order_ref text
);
-- Deduplication: at most one active alarm per rule and device.
CREATE UNIQUE INDEX alarms_active ON alarms (rule_id, device_id) WHERE state <> 'resolved';
CREATE INDEX alarms_community_state ON alarms (community_id, state, opened_at DESC);
CREATE INDEX alarms_unacknowledged ON alarms (opened_at) WHERE state = 'open';

CREATE TABLE alarm_events (
  id bigserial PRIMARY KEY,
  alarm_id bigint NOT NULL REFERENCES alarms (id),
  community_id text NOT NULL,
  at timestamptz NOT NULL,
  action text NOT NULL CHECK (action IN ('opened', 'repeated', 'cleared', 'acknowledged', 'in_progress',
    'resolved', 'escalated', 'reminded', 'work_order')),
  -- The person (user id) who did it; NULL for the system.
  actor text,
  state text NOT NULL,
  note text
);
CREATE INDEX alarm_events_alarm ON alarm_events (alarm_id, id);
CREATE INDEX alarm_events_community_at ON alarm_events (community_id, at);
