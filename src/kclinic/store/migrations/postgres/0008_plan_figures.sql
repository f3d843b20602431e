-- The figures a session runs from a saved infusion plan, as typed columns (issue 20): a session
-- never reads a dose back out of the plan's JSON. 0009 fills them for plans saved before.
ALTER TABLE infusion_plans
  ADD COLUMN dose_mg DOUBLE PRECISION CHECK (dose_mg > 0),
  ADD COLUMN mg_per_kg DOUBLE PRECISION CHECK (mg_per_kg > 0),
  ADD COLUMN weight_basis TEXT CHECK (weight_basis IN ('actual', 'ideal', 'adjusted')),
  ADD COLUMN dosing_weight_kg DOUBLE PRECISION CHECK (dosing_weight_kg > 0),
  ADD COLUMN actual_weight_kg DOUBLE PRECISION CHECK (actual_weight_kg > 0),
  ADD COLUMN concentration_mg_per_ml DOUBLE PRECISION CHECK (concentration_mg_per_ml > 0),
  ADD COLUMN volume_ml DOUBLE PRECISION CHECK (volume_ml > 0),
  ADD COLUMN rate_ml_per_h DOUBLE PRECISION CHECK (rate_ml_per_h > 0),
  ADD COLUMN minutes DOUBLE PRECISION CHECK (minutes > 0);
