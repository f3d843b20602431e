-- kclinic schema 5 (SQLite): the controlled-substance ledger (CLINICAL.md §7, issue 5).
-- Lots received from a supplier; append-only entries against a lot; discrepancies a count or a
-- session's custody opened. Entries are never updated or deleted (triggers refuse both): the
-- balance is derived from them. Each entry is chained to the previous one of its lot: seq is
-- unique per lot and balance_after_mg (the derived balance after it, a check, not the source)
-- may not go below zero, so two racing draws cannot both be stored against one balance.

CREATE TABLE ledger_lots (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  product TEXT NOT NULL,
  strength_mg_per_ml REAL NOT NULL CHECK (strength_mg_per_ml > 0),
  vial_volume_ml REAL NOT NULL CHECK (vial_volume_ml > 0),
  lot_number TEXT NOT NULL,
  expiry TEXT NOT NULL,             -- YYYY-MM-DD
  supplier_name TEXT NOT NULL,
  supplier_address TEXT NOT NULL,
  supplier_dea_number TEXT NOT NULL,
  vials_received INTEGER NOT NULL CHECK (vials_received > 0),
  received_at TEXT NOT NULL,
  received_by TEXT NOT NULL
);
CREATE INDEX ledger_lots_by_number ON ledger_lots (lot_number);

CREATE TABLE ledger_entries (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  lot_id TEXT NOT NULL REFERENCES ledger_lots (id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'draw', 'administer', 'waste', 'count',
                                     'adjustment', 'transfer_out', 'return')),
  amount_mg REAL NOT NULL,
  amount_ml REAL NOT NULL,
  at TEXT NOT NULL,
  by_user TEXT NOT NULL,
  witness TEXT NOT NULL DEFAULT '',
  session_id TEXT NOT NULL DEFAULT '',
  patient_id TEXT REFERENCES patients (id),
  reason TEXT NOT NULL DEFAULT '',
  balance_after_mg REAL NOT NULL CHECK (balance_after_mg >= 0),
  UNIQUE (lot_id, seq),
  CHECK (kind NOT IN ('waste', 'adjustment') OR (witness <> '' AND witness <> by_user)),
  CHECK (kind NOT IN ('draw', 'administer', 'waste', 'return') OR
         (session_id <> '' AND patient_id IS NOT NULL))
);
CREATE INDEX ledger_entries_by_session ON ledger_entries (session_id, lot_id, seq);
CREATE INDEX ledger_entries_by_time ON ledger_entries (at);

CREATE TABLE ledger_discrepancies (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  lot_id TEXT NOT NULL REFERENCES ledger_lots (id),
  kind TEXT NOT NULL CHECK (kind IN ('count', 'custody')),
  entry_id TEXT NOT NULL DEFAULT '',
  session_id TEXT NOT NULL DEFAULT '',
  expected_mg REAL NOT NULL,
  counted_mg REAL NOT NULL,
  detected_at TEXT NOT NULL,
  detected_by TEXT NOT NULL,
  report_due TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT,
  resolution TEXT,
  reported_to_dea INTEGER NOT NULL DEFAULT 0 CHECK (reported_to_dea IN (0, 1)),
  CHECK ((resolved_at IS NULL) = (resolved_by IS NULL)),
  CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX ledger_discrepancies_open ON ledger_discrepancies (resolved_at, detected_at);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted'); END;
CREATE TRIGGER ledger_lots_no_update BEFORE UPDATE ON ledger_lots
BEGIN SELECT RAISE(ABORT, 'ledger lots are immutable'); END;
CREATE TRIGGER ledger_lots_no_delete BEFORE DELETE ON ledger_lots
BEGIN SELECT RAISE(ABORT, 'ledger lots are never deleted'); END;
-- A discrepancy is resolved once; then it is closed for good.
CREATE TRIGGER ledger_discrepancies_resolve_once BEFORE UPDATE ON ledger_discrepancies
WHEN OLD.resolved_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a resolved discrepancy is immutable'); END;
CREATE TRIGGER ledger_discrepancies_no_delete BEFORE DELETE ON ledger_discrepancies
BEGIN SELECT RAISE(ABORT, 'discrepancies are never deleted'); END;
