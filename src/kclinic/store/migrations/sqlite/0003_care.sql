-- kclinic schema 3 (SQLite): courses of treatment, their sessions, rating-scale assessments,
-- safety alerts, site texts, screening intakes and decisions, and infusion plans.
-- Clinical rows are never deleted; corrections are new rows. Times are UTC text as in schema 1.

CREATE TABLE courses (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  kind TEXT NOT NULL CHECK (kind IN ('iv_ketamine', 'esketamine')),
  phase TEXT NOT NULL CHECK (phase IN ('induction', 'maintenance', 'ended')),
  primary_clinician TEXT NOT NULL REFERENCES users (username),
  started_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX courses_by_patient ON courses (patient_id, started_at);

-- Sessions of a course as the outcome and schedule rules see them: when, and whether given.
CREATE TABLE course_sessions (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  course_id TEXT NOT NULL REFERENCES courses (id),
  at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('planned', 'given', 'cancelled')),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX course_sessions_by_course ON course_sessions (course_id, at);

CREATE TABLE assessments (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  instrument TEXT NOT NULL,
  administered_at TEXT NOT NULL,
  items TEXT NOT NULL,             -- JSON array of item scores, null where unanswered
  total REAL,                      -- NULL when incomplete and not prorated
  severity TEXT NOT NULL DEFAULT '',
  flags TEXT NOT NULL DEFAULT '',  -- comma-separated
  prorated INTEGER NOT NULL DEFAULT 0 CHECK (prorated IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('portal', 'clinic')),
  entered_by TEXT NOT NULL,
  entered_at TEXT NOT NULL
);
CREATE INDEX assessments_by_patient ON assessments (patient_id, administered_at);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  assessment_id TEXT REFERENCES assessments (id),
  kind TEXT NOT NULL,
  routed_to TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by TEXT,
  action TEXT,
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
  CHECK ((acknowledged_at IS NULL) = (action IS NULL))
);
CREATE INDEX alerts_open ON alerts (acknowledged_at, created_at);
CREATE INDEX alerts_by_patient ON alerts (patient_id, created_at);

-- Free texts a site words for itself (crisis resources), versioned like settings.
CREATE TABLE site_texts (
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  value TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (key, version)
);

-- Every version of a candidate's intake; a new version is screened again.
CREATE TABLE intakes (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  body TEXT NOT NULL,              -- the intake as JSON
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (patient_id, version)
);

-- A clinician's decision on one intake version, with the findings, rules and settings it saw.
CREATE TABLE screening_decisions (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  intake_id TEXT NOT NULL REFERENCES intakes (id),
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'decline', 'override')),
  reason TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  settings_version INTEGER NOT NULL,
  findings TEXT NOT NULL,          -- the screening result as JSON
  decided_at TEXT NOT NULL,
  decided_by TEXT NOT NULL
);
CREATE INDEX screening_decisions_by_patient ON screening_decisions (patient_id, decided_at);

CREATE TABLE infusion_plans (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  decision_id TEXT NOT NULL REFERENCES screening_decisions (id),
  body TEXT NOT NULL,              -- the request and the computed plan as JSON
  settings_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX infusion_plans_by_patient ON infusion_plans (patient_id, created_at);

CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are immutable'); END;
CREATE TRIGGER screening_decisions_no_update BEFORE UPDATE ON screening_decisions
BEGIN SELECT RAISE(ABORT, 'screening decisions are immutable'); END;
CREATE TRIGGER intakes_no_update BEFORE UPDATE ON intakes
BEGIN SELECT RAISE(ABORT, 'intake versions are immutable'); END;
