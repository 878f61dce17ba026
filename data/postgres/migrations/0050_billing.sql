-- Fees and billing (issue 5): fee items, billing cycles, meter readings, bills with their lines, payments (at the
-- counter and online through a gateway), refunds, waivers, reminders and the notification outbox. Money is integer
-- fen everywhere; a unit price may carry fractions of a fen (a meter price of 0.538 yuan/kWh is 53.8 fen) and every
-- line amount is rounded to a whole fen. Every bill balances by construction:
--   amount_due = amount_paid + amount_waived + amount_outstanding, with amount_outstanding >= 0.
-- amount_paid is net of refunds. `fee_bills` keeps the columns the collection KPI reads (analytics/kpi/records.ts):
-- community_id, building_id, period (first day of the billed month), amount_due, amount_paid.

CREATE TABLE fee_items (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  -- Only this building's units (NULL: every unit of the community).
  building_id text REFERENCES buildings (id),
  name text NOT NULL,
  -- area: unit_price fen per m² of floor area per cycle; fixed: amount_fen per unit per cycle; meter: unit_price
  -- fen per kWh or m³ of use; one_off: amount_fen per unit, charged only in the cycle of once_period.
  kind text NOT NULL CHECK (kind IN ('area', 'fixed', 'meter', 'one_off')),
  unit_price numeric(14, 4) CHECK (unit_price >= 0),
  amount_fen bigint CHECK (amount_fen >= 0),
  meter_kind text CHECK (meter_kind IN ('electricity_meter', 'water_meter')),
  -- How the building's public meters' use is shared among its units: not at all, by floor area, or by own use.
  shared_split text NOT NULL DEFAULT 'none' CHECK (shared_split IN ('none', 'area', 'usage')),
  once_period date CHECK (extract(day FROM once_period) = 1),
  archived_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (
    (kind = 'area' AND unit_price IS NOT NULL AND amount_fen IS NULL AND meter_kind IS NULL)
    OR (kind = 'fixed' AND amount_fen IS NOT NULL AND unit_price IS NULL AND meter_kind IS NULL)
    OR (kind = 'meter' AND unit_price IS NOT NULL AND meter_kind IS NOT NULL AND amount_fen IS NULL)
    OR (kind = 'one_off' AND amount_fen IS NOT NULL AND once_period IS NOT NULL AND meter_kind IS NULL)
  ),
  CHECK (kind = 'meter' OR shared_split = 'none')
);
CREATE INDEX fee_items_community ON fee_items (community_id, id);

CREATE TABLE billing_cycles (
  id text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id),
  period date NOT NULL CHECK (extract(day FROM period) = 1),
  due_date date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'billed')),
  readings_at timestamptz,
  billed_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (community_id, period)
);

-- One reading per meter and cycle: the cumulative value at cycle close, from telemetry or entered by hand, and the
-- use since the previous reading. A reading flagged as implausible blocks billing until it is corrected by hand or
-- accepted.
CREATE TABLE meter_readings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cycle_id text NOT NULL REFERENCES billing_cycles (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text REFERENCES buildings (id),
  unit_id text REFERENCES units (id),
  device_id text NOT NULL REFERENCES devices (id),
  meter_kind text NOT NULL CHECK (meter_kind IN ('electricity_meter', 'water_meter')),
  public boolean NOT NULL,
  previous_value numeric(16, 4),
  value numeric(16, 4),
  usage numeric(16, 4),
  read_at timestamptz,
  source text NOT NULL CHECK (source IN ('telemetry', 'manual')),
  flag text CHECK (flag IN ('negative', 'jump', 'stuck', 'missing')),
  accepted boolean NOT NULL DEFAULT false,
  entered_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (cycle_id, device_id)
);
CREATE INDEX meter_readings_unit ON meter_readings (cycle_id, unit_id);
CREATE INDEX meter_readings_building ON meter_readings (cycle_id, building_id) WHERE public;

CREATE TABLE fee_bills (
  id text PRIMARY KEY,
  cycle_id text NOT NULL REFERENCES billing_cycles (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text NOT NULL REFERENCES buildings (id),
  unit_id text NOT NULL REFERENCES units (id),
  -- The unit's household when billed (NULL: a vacant unit, billed to the owner of record).
  household_id text REFERENCES households (id),
  period date NOT NULL,
  due_date date NOT NULL,
  amount_due bigint NOT NULL DEFAULT 0 CHECK (amount_due >= 0),
  amount_paid bigint NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
  amount_waived bigint NOT NULL DEFAULT 0 CHECK (amount_waived >= 0),
  amount_outstanding bigint GENERATED ALWAYS AS (amount_due - amount_paid - amount_waived) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (amount_paid + amount_waived <= amount_due),
  UNIQUE (cycle_id, unit_id)
);
CREATE INDEX fee_bills_community ON fee_bills (community_id, period, building_id);
CREATE INDEX fee_bills_building ON fee_bills (building_id, id);
CREATE INDEX fee_bills_household ON fee_bills (household_id, id);
CREATE INDEX fee_bills_arrears ON fee_bills (community_id, id) WHERE amount_outstanding > 0;

CREATE TABLE fee_bill_lines (
  bill_id text NOT NULL REFERENCES fee_bills (id) ON DELETE CASCADE,
  fee_item_id text NOT NULL REFERENCES fee_items (id),
  -- charge: area/fixed/one-off; own: the unit's metered use; shared: its share of the building's public use.
  line text NOT NULL CHECK (line IN ('charge', 'own', 'shared')),
  quantity numeric(16, 4) NOT NULL,
  unit_price numeric(14, 4) NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  detail jsonb,
  PRIMARY KEY (bill_id, fee_item_id, line)
);

-- An online payment in flight: created for a bill, paid when the gateway's verified callback arrives.
CREATE TABLE payment_orders (
  id text PRIMARY KEY,
  bill_id text NOT NULL REFERENCES fee_bills (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text NOT NULL,
  household_id text,
  gateway text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  paid_at timestamptz
);
CREATE INDEX payment_orders_bill ON payment_orders (bill_id);

CREATE SEQUENCE receipt_numbers;

CREATE TABLE payments (
  id text PRIMARY KEY,
  receipt_no text NOT NULL UNIQUE,
  bill_id text NOT NULL REFERENCES fee_bills (id),
  community_id text NOT NULL REFERENCES communities (id),
  building_id text NOT NULL,
  household_id text,
  amount bigint NOT NULL CHECK (amount > 0),
  refunded bigint NOT NULL DEFAULT 0 CHECK (refunded >= 0),
  channel text NOT NULL CHECK (channel IN ('counter', 'online')),
  method text NOT NULL,
  order_id text REFERENCES payment_orders (id),
  gateway text,
  gateway_txn text,
  received_by text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  CHECK (refunded <= amount),
  -- A gateway's transaction is recorded once, however often its callback is delivered.
  UNIQUE (gateway, gateway_txn)
);
CREATE UNIQUE INDEX payments_order ON payments (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX payments_bill ON payments (bill_id);
CREATE INDEX payments_community ON payments (community_id, received_at);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id),
  bill_id text NOT NULL REFERENCES fee_bills (id),
  community_id text NOT NULL REFERENCES communities (id),
  amount bigint NOT NULL CHECK (amount > 0),
  reason text NOT NULL,
  -- The refunded amount is also waived (an overcharge), so the bill stays settled.
  waive boolean NOT NULL,
  gateway_ref text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_bill ON refunds (bill_id);

CREATE TABLE fee_waivers (
  id text PRIMARY KEY,
  bill_id text NOT NULL REFERENCES fee_bills (id),
  community_id text NOT NULL REFERENCES communities (id),
  amount bigint NOT NULL CHECK (amount > 0),
  reason text NOT NULL,
  refund_id text REFERENCES refunds (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fee_waivers_bill ON fee_waivers (bill_id);

-- Messages for the notification channels (SMS, WeChat). The built-in channels record here; a delivery worker
-- (or a provider's channel) takes them from the queue.
CREATE TABLE notification_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms', 'wechat')),
  community_id text NOT NULL REFERENCES communities (id),
  household_id text NOT NULL REFERENCES households (id),
  template text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_outbox_queued ON notification_outbox (id) WHERE status = 'queued';

CREATE TABLE fee_reminders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bill_id text NOT NULL REFERENCES fee_bills (id),
  community_id text NOT NULL REFERENCES communities (id),
  channel text NOT NULL,
  outstanding bigint NOT NULL,
  outbox_id bigint REFERENCES notification_outbox (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fee_reminders_bill ON fee_reminders (bill_id);
