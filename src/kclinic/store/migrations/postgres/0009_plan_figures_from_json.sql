-- Plans saved before migration 0008 get their typed figures from the plan's JSON ("dose" as the
-- API rendered it). A figure that JSON did not hold, or held as anything but a number above 0,
-- stays NULL: a session then refuses the plan with a 412 naming it, and a prescriber saves the
-- plan again. Only rows still without figures are touched, so this can be re-run.
-- Only numbers greater than 0 are copied (anything else stays NULL and is refused by a session).
CREATE OR REPLACE FUNCTION pg_temp.kc_positive(v jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'number' AND (v #>> '{}')::double precision > 0
              THEN (v #>> '{}')::double precision END
$$;

UPDATE infusion_plans SET
  dose_mg = pg_temp.kc_positive(body::jsonb #> '{dose,dose_mg}'),
  mg_per_kg = pg_temp.kc_positive(body::jsonb #> '{dose,mg_per_kg}'),
  weight_basis = CASE WHEN body::jsonb #>> '{dose,basis}' IN ('actual', 'ideal', 'adjusted')
                      THEN body::jsonb #>> '{dose,basis}' END,
  dosing_weight_kg = pg_temp.kc_positive(body::jsonb #> '{dose,dosing_weight_kg}'),
  actual_weight_kg = pg_temp.kc_positive(body::jsonb #> '{dose,actual_weight_kg}'),
  concentration_mg_per_ml = pg_temp.kc_positive(body::jsonb #> '{dose,concentration_mg_per_ml}'),
  volume_ml = pg_temp.kc_positive(body::jsonb #> '{dose,volume_ml}'),
  rate_ml_per_h = pg_temp.kc_positive(body::jsonb #> '{dose,rate_ml_per_h}'),
  minutes = pg_temp.kc_positive(body::jsonb #> '{dose,minutes}')
WHERE dose_mg IS NULL AND mg_per_kg IS NULL AND rate_ml_per_h IS NULL;
