-- Predictive maintenance (issue 7): scoring runs, predictive alerts and the alert policy's per-device state.
-- Scores themselves are a time series in ClickHouse (model_scores); what needs transactions lives here: an alert
-- is deduplicated by a unique index (one active alert per device and kind), its cooldown is the device's
-- last_raised_at, and its lifecycle is open → acknowledged → resolved by people, or → cleared when the risk has
-- stayed normal (the policy's hysteresis).

CREATE TABLE prediction_runs (
  id bigserial PRIMARY KEY,
  device_kind text NOT NULL,
  model text NOT NULL,
  model_version text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  -- End of the scored window (a whole hour).
  window_end timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  scored integer NOT NULL,
  skipped integer NOT NULL,
  high_risk integer NOT NULL,
  anomalous integer NOT NULL,
  alerts_raised integer NOT NULL,
  alerts_cleared integer NOT NULL,
  -- Milliseconds: feature refresh + window query, then inputs + predict + evidence (the scoring proper).
  feature_ms real NOT NULL,
  score_ms real NOT NULL,
  total_ms real NOT NULL
);
CREATE INDEX prediction_runs_model ON prediction_runs (model, model_version, id DESC);
CREATE INDEX prediction_runs_kind ON prediction_runs (device_kind, id DESC);

CREATE TABLE prediction_alerts (
  id bigserial PRIMARY KEY,
  community_id text NOT NULL,
  device_id text NOT NULL,
  device_kind text NOT NULL,
  model text NOT NULL,
  model_version text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'cleared', 'resolved')),
  risk double precision NOT NULL,
  peak_risk double precision NOT NULL,
  last_risk double precision NOT NULL,
  ttf_hours double precision,
  predicted_failure_at timestamptz,
  -- The features that drove the risk, with their recent values against the device's normal range.
  evidence jsonb NOT NULL,
  raised_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- Runs that saw the risk still high while the alert was active (deduplicated).
  occurrences integer NOT NULL DEFAULT 1,
  acknowledged_at timestamptz,
  acknowledged_by text,
  cleared_at timestamptz,
  resolved_at timestamptz,
  resolved_by text,
  note text,
  work_order_ref text,
  run_id bigint REFERENCES prediction_runs (id)
);
-- Deduplication: at most one active alert per device and kind.
CREATE UNIQUE INDEX prediction_alerts_active ON prediction_alerts (device_id, device_kind)
  WHERE state IN ('open', 'acknowledged');
CREATE INDEX prediction_alerts_community ON prediction_alerts (community_id, raised_at DESC);
CREATE INDEX prediction_alerts_model ON prediction_alerts (model, model_version, raised_at);

-- The alert policy's memory per device: runs in a row above the threshold / below the clear level, and when the
-- last alert was raised (cooldown).
CREATE TABLE prediction_device_state (
  device_id text NOT NULL,
  device_kind text NOT NULL,
  above integer NOT NULL,
  below integer NOT NULL,
  last_raised_at timestamptz,
  last_scored_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, device_kind)
);
