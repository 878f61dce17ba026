-- Third-party services: providers the company works with (housekeeping, parcel lockers, elderly care, …), serving
-- the whole company or some communities, and service orders placed for a household — by the household itself or
-- by customer service — that move requested → accepted → in_progress → completed (or cancelled before work
-- starts), and are rated once by the household after completion. Money is integer fen.

CREATE TABLE service_providers (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  name text NOT NULL,
  category text NOT NULL CHECK (category IN ('housekeeping', 'parcel_locker', 'elderly_care', 'laundry', 'moving',
    'appliance_repair', 'other')),
  -- The communities it serves (empty: every community of the company).
  community_ids text[] NOT NULL DEFAULT '{}',
  contact_phone text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, name)
);

CREATE TABLE service_orders (
  id text PRIMARY KEY,
  provider_id text NOT NULL REFERENCES service_providers (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text NOT NULL REFERENCES buildings (id),
  household_id text NOT NULL REFERENCES households (id),
  description text NOT NULL,
  scheduled_at timestamptz NOT NULL,
  price_fen integer CHECK (price_fen >= 0),
  status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'accepted', 'in_progress', 'completed',
    'cancelled')),
  rating integer CHECK (rating BETWEEN 1 AND 5),
  rating_comment text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  rated_at timestamptz,
  CHECK (rating IS NULL OR status = 'completed')
);
CREATE INDEX service_orders_community ON service_orders (community_id, id);
CREATE INDEX service_orders_building ON service_orders (building_id, id);
CREATE INDEX service_orders_household ON service_orders (household_id, id);
CREATE INDEX service_orders_provider ON service_orders (provider_id, id);
