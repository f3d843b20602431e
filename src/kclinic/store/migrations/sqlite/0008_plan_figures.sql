-- The figures a session runs from a saved infusion plan, as typed columns (issue 20): a session
-- never reads a dose back out of the plan's JSON. 0009 fills them for plans saved before.
ALTER TABLE infusion_plans ADD COLUMN dose_mg REAL CHECK (dose_mg IS NULL OR dose_mg > 0);
ALTER TABLE infusion_plans ADD COLUMN mg_per_kg REAL CHECK (mg_per_kg IS NULL OR mg_per_kg > 0);
ALTER TABLE infusion_plans ADD COLUMN weight_basis TEXT
  CHECK (weight_basis IS NULL OR weight_basis IN ('actual', 'ideal', 'adjusted'));
ALTER TABLE infusion_plans ADD COLUMN dosing_weight_kg REAL
  CHECK (dosing_weight_kg IS NULL OR dosing_weight_kg > 0);
ALTER TABLE infusion_plans ADD COLUMN actual_weight_kg REAL
  CHECK (actual_weight_kg IS NULL OR actual_weight_kg > 0);
ALTER TABLE infusion_plans ADD COLUMN concentration_mg_per_ml REAL
  CHECK (concentration_mg_per_ml IS NULL OR concentration_mg_per_ml > 0);
ALTER TABLE infusion_plans ADD COLUMN volume_ml REAL CHECK (volume_ml IS NULL OR volume_ml > 0);
ALTER TABLE infusion_plans ADD COLUMN rate_ml_per_h REAL
  CHECK (rate_ml_per_h IS NULL OR rate_ml_per_h > 0);
ALTER TABLE infusion_plans ADD COLUMN minutes REAL CHECK (minutes IS NULL OR minutes > 0);
