-- kclinic schema 4 (SQLite): infusion and esketamine sessions (issue 5). A session is a header
-- row and an append-only list of events (transitions, pre-checks, rate changes, vitals, alerts and
-- the actions taken on them, side effects, scores, custody entries, devices, discharge, signature,
-- addenda, REMS fields); its state is folded from the events by the domain. `state` and
-- `rems_complete` repeat the fold's result for lists. Times are UTC text as in schema 1.

CREATE TABLE infusion_sessions (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  kind TEXT NOT NULL CHECK (kind IN ('iv_ketamine', 'esketamine')),
  scheduled_at TEXT NOT NULL,
  appointment_id TEXT,
  course_session_id TEXT,
  plan_id TEXT,
  plan TEXT,                        -- the IV plan as JSON (NULL for esketamine)
  planned_dose_mg INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  rems_complete INTEGER NOT NULL DEFAULT 0 CHECK (rems_complete IN (0, 1)),
  event_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX infusion_sessions_by_time ON infusion_sessions (scheduled_at);
CREATE INDEX infusion_sessions_by_patient ON infusion_sessions (patient_id, scheduled_at);
CREATE INDEX infusion_sessions_rems ON infusion_sessions (kind, rems_complete);

CREATE TABLE infusion_session_events (
  session_id TEXT NOT NULL REFERENCES infusion_sessions (id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  at TEXT NOT NULL,
  made_by TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,               -- the event as JSON
  PRIMARY KEY (session_id, seq)
);

CREATE TRIGGER infusion_session_events_no_update BEFORE UPDATE ON infusion_session_events
BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
CREATE TRIGGER infusion_session_events_no_delete BEFORE DELETE ON infusion_session_events
BEGIN SELECT RAISE(ABORT, 'session events are append-only'); END;
