-- The last TOTP time step accepted per account, so a one-time code works only once
-- (RFC 6238 §5.2: the verifier must not accept the same OTP again after a successful validation).
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
