-- Planner scenarios (issue 9): a layout change plus a demand choice (ordinary day, morning peak, evacuation) for a
-- community, the state of its run (draft → queued → running → done | failed, with progress) and the KPIs of its
-- last finished run. The study is kept as the planner wrote it (JSON, validated by twin/sim's schema); the KPIs
-- hold compact heatmap frames (sparse counts per grid cell), so a result is a few hundred kB at most.

CREATE TABLE scenarios (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  name text NOT NULL,
  study jsonb NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'queued', 'running', 'done', 'failed')),
  -- 0..1 of the current run.
  progress real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  error text,
  -- The API process that holds the current run (a run whose process went away is reported failed).
  runner text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  queued_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX scenarios_community ON scenarios (community_id, created_at DESC, id);

CREATE TABLE scenario_results (
  scenario_id text PRIMARY KEY REFERENCES scenarios (id) ON DELETE CASCADE,
  kpis jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
