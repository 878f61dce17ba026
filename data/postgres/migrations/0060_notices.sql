-- Notices (公告) targeted at a whole community or at one building, written as drafts, published at a time (now or
-- later) and expiring at a time. Readers see only published notices between those times; staff who manage notices
-- see every state. Title and body are searched by the assistant, so nothing personal belongs in them.

CREATE TABLE notices (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  category text NOT NULL CHECK (category IN ('general', 'maintenance', 'fee', 'safety', 'event')),
  lang text NOT NULL CHECK (lang IN ('zh', 'en')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  publish_at timestamptz,
  expires_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'draft' OR publish_at IS NOT NULL),
  CHECK (expires_at IS NULL OR publish_at IS NULL OR expires_at > publish_at)
);
CREATE INDEX notices_community ON notices (community_id, id);
CREATE INDEX notices_building ON notices (building_id, id) WHERE building_id IS NOT NULL;
