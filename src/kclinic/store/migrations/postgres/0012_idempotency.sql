-- Requests sent with an Idempotency-Key (issue 22 item 10): the caller's key, what the request
-- was (method, path and body, hashed) and, once answered, the answer, so that a retry of a create
-- gets the first answer again instead of making a second record. status 0: still running, or
-- interrupted before its answer was kept. Kept 24 hours.
CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  body TEXT NOT NULL,
  location TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);
