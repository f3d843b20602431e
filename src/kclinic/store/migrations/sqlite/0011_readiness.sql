-- The row /readyz writes (issue 22): readiness means a write can commit, so each check commits
-- one small write here instead of only reading.
CREATE TABLE readiness_checks (
  id INTEGER PRIMARY KEY,
  checked_at TEXT NOT NULL
);
