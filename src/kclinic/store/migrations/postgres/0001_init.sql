-- kclinic schema 1 (PostgreSQL 15): accounts, sessions, patients with history, weights, audit, settings.
-- Times are UTC text "YYYY-MM-DDTHH:MM:SS.ffffffZ" (fixed width: text order is time order).

CREATE TABLE patients (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  version INTEGER NOT NULL CHECK (version >= 1),
  given_name TEXT NOT NULL CHECK (given_name <> ''),
  family_name TEXT NOT NULL CHECK (family_name <> ''),
  given_key TEXT NOT NULL,
  family_key TEXT NOT NULL,
  birth_date TEXT NOT NULL CHECK (length(birth_date) = 10),
  sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  height_cm DOUBLE PRECISION CHECK (height_cm IS NULL OR (height_cm >= 30 AND height_cm <= 272)),
  allergies TEXT NOT NULL DEFAULT '[]',
  emergency_name TEXT NOT NULL DEFAULT '',
  emergency_phone TEXT NOT NULL DEFAULT '',
  emergency_relationship TEXT NOT NULL DEFAULT '',
  escort_name TEXT NOT NULL DEFAULT '',
  escort_phone TEXT NOT NULL DEFAULT '',
  escort_relationship TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX patients_by_name ON patients (family_key, given_key, id);
CREATE INDEX patients_by_given ON patients (given_key);

-- Every version of every record, as a JSON snapshot: corrections keep history.
CREATE TABLE patient_versions (
  patient_id TEXT NOT NULL REFERENCES patients (id),
  version INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (patient_id, version)
);

CREATE TABLE patient_weights (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  measured_on TEXT NOT NULL CHECK (length(measured_on) = 10),
  kg DOUBLE PRECISION NOT NULL CHECK (kg > 0 AND kg <= 650),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX patient_weights_by_patient ON patient_weights (patient_id, measured_on);

CREATE TABLE users (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'prescriber', 'nurse', 'front_desk', 'patient')),
  password_hash TEXT NOT NULL,
  patient_id TEXT UNIQUE REFERENCES patients (id),
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_enabled INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  -- A patient account is linked to exactly one patient record; a staff account to none.
  CHECK ((role = 'patient') = (patient_id IS NOT NULL))
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_by_patient ON audit_events (patient_id, seq);

-- The chain head: one row, locked by every append so that appends from many servers serialise.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The trail is append-only: the database refuses to change or remove an event.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- Site settings: each change is a new numbered version; nothing is overwritten.
CREATE TABLE settings (
  version BIGINT PRIMARY KEY,
  key TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX settings_by_key ON settings (key, version);
