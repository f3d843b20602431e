-- kclinic schema 6 (SQLite): resources and bookings (issue 6, CLINICAL.md §3): the clinic's time
-- zone and slot unit, opening hours, holidays, chairs, staff qualifications and shifts,
-- appointment types, site protocols, appointments, the slot units they occupy, portal booking
-- requests, review tasks and booster decisions. Times are UTC text as in schema 1; local dates
-- ("YYYY-MM-DD") and local times ("HH:MM") are in the clinic's time zone.

CREATE TABLE schedule_config (
  key TEXT PRIMARY KEY CHECK (key IN ('time_zone', 'slot_minutes')),
  value TEXT NOT NULL
);

CREATE TABLE opening_hours (
  weekday INTEGER PRIMARY KEY CHECK (weekday BETWEEN 1 AND 7),  -- ISO: Monday = 1
  open_time TEXT NOT NULL CHECK (length(open_time) = 5),
  close_time TEXT NOT NULL CHECK (length(close_time) = 5),
  CHECK (open_time < close_time)
);

CREATE TABLE holidays (
  day TEXT PRIMARY KEY CHECK (length(day) = 10),
  name TEXT NOT NULL
);

CREATE TABLE chairs (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE staff_qualifications (
  username TEXT NOT NULL REFERENCES users (username),
  qualification TEXT NOT NULL,
  PRIMARY KEY (username, qualification)
);

CREATE TABLE staff_shifts (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  username TEXT NOT NULL REFERENCES users (username),
  day TEXT NOT NULL CHECK (length(day) = 10),
  start_time TEXT NOT NULL CHECK (length(start_time) = 5),
  end_time TEXT NOT NULL CHECK (length(end_time) = 5),
  CHECK (start_time < end_time),
  UNIQUE (username, day, start_time)
);
CREATE INDEX staff_shifts_by_day ON staff_shifts (day);

CREATE TABLE appointment_types (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 480 AND minutes % 15 = 0),
  qualification TEXT NOT NULL
);

-- The appointment types every clinic starts with (CLINICAL.md §3-4): an IV infusion is 40 min
-- infusion + >= 60 min observation + 20 min turnover; an esketamine session is >= 2 h observation
-- (REMS label) + 30 min dosing and turnover.
INSERT INTO appointment_types (id, name, minutes, qualification) VALUES
  ('iv-infusion', 'IV ketamine infusion', 120, 'iv'),
  ('esketamine', 'Esketamine nasal session', 150, 'esketamine');

-- Site protocols as the planner's JSON; built-in protocols live in the code.
CREATE TABLE site_protocols (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  type_id TEXT NOT NULL REFERENCES appointment_types (id),
  chair_id TEXT NOT NULL REFERENCES chairs (id),
  nurse TEXT NOT NULL REFERENCES users (username),
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'moved')),
  series_id TEXT,
  course_session_id TEXT REFERENCES course_sessions (id),
  reason TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (start_at < end_at)
);
CREATE INDEX appointments_by_start ON appointments (start_at);
CREATE INDEX appointments_by_patient ON appointments (patient_id, start_at);

-- No double booking as a database guarantee: one row per 15-minute unit a booked appointment
-- covers, for its chair ("chair:<id>") and for its nurse ("nurse:<username>"). Two bookings of the
-- same chair or nurse at the same time clash on the primary key whatever the code does. Cancelling
-- or moving an appointment deletes its units (they are occupancy, not clinical record).
CREATE TABLE appointment_slots (
  resource TEXT NOT NULL,
  slot_start TEXT NOT NULL,
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  PRIMARY KEY (resource, slot_start)
);
CREATE INDEX appointment_slots_by_appointment ON appointment_slots (appointment_id);

CREATE TABLE booking_requests (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  preferred TEXT NOT NULL,          -- JSON [{date, part}]
  note TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'proposed', 'declined')),
  appointment_id TEXT REFERENCES appointments (id),
  proposed TEXT,                    -- JSON {start, chair_id, nurse, note}
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX booking_requests_by_status ON booking_requests (status, created_at);
CREATE INDEX booking_requests_by_patient ON booking_requests (patient_id, created_at);

-- Review tasks for the prescriber; one per course and kind (created idempotently).
CREATE TABLE review_tasks (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  course_id TEXT NOT NULL REFERENCES courses (id),
  kind TEXT NOT NULL CHECK (kind IN ('early_non_response', 'end_of_series')),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'completed')),
  created_at TEXT NOT NULL,
  completed_at TEXT,
  completed_by TEXT,
  note TEXT,
  UNIQUE (course_id, kind)
);
CREATE INDEX review_tasks_by_status ON review_tasks (status, created_at);

-- A prescriber's decision on a proposed booster: who, when, why. Books nothing by itself.
CREATE TABLE booster_decisions (
  id TEXT PRIMARY KEY CHECK (length(id) = 32),
  patient_id TEXT NOT NULL REFERENCES patients (id),
  proposed_date TEXT,
  proposed_interval_days INTEGER,
  day TEXT NOT NULL CHECK (length(day) = 10),
  interval_days INTEGER NOT NULL,
  accepted INTEGER NOT NULL CHECK (accepted IN (0, 1)),
  reason TEXT,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL
);
CREATE INDEX booster_decisions_by_patient ON booster_decisions (patient_id, decided_at);

CREATE TRIGGER booster_decisions_no_update BEFORE UPDATE ON booster_decisions
BEGIN SELECT RAISE(ABORT, 'booster decisions are immutable'); END;
