-- Plans saved before migration 0008 get their typed figures from the plan's JSON ("dose" as the
-- API rendered it). A figure that JSON did not hold, or held as anything but a number above 0,
-- stays NULL: a session then refuses the plan with a 412 naming it, and a prescriber saves the
-- plan again. Only rows still without figures are touched, so this can be re-run.
UPDATE infusion_plans SET
  dose_mg = CASE WHEN json_type(body, '$.dose.dose_mg') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.dose_mg') > 0
                 THEN json_extract(body, '$.dose.dose_mg') END,
  mg_per_kg = CASE WHEN json_type(body, '$.dose.mg_per_kg') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.mg_per_kg') > 0
                   THEN json_extract(body, '$.dose.mg_per_kg') END,
  weight_basis = CASE WHEN json_extract(body, '$.dose.basis') IN ('actual', 'ideal', 'adjusted')
                      THEN json_extract(body, '$.dose.basis') END,
  dosing_weight_kg = CASE WHEN json_type(body, '$.dose.dosing_weight_kg') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.dosing_weight_kg') > 0
                          THEN json_extract(body, '$.dose.dosing_weight_kg') END,
  actual_weight_kg = CASE WHEN json_type(body, '$.dose.actual_weight_kg') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.actual_weight_kg') > 0
                          THEN json_extract(body, '$.dose.actual_weight_kg') END,
  concentration_mg_per_ml = CASE WHEN json_type(body, '$.dose.concentration_mg_per_ml') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.concentration_mg_per_ml') > 0
                                 THEN json_extract(body, '$.dose.concentration_mg_per_ml') END,
  volume_ml = CASE WHEN json_type(body, '$.dose.volume_ml') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.volume_ml') > 0
                   THEN json_extract(body, '$.dose.volume_ml') END,
  rate_ml_per_h = CASE WHEN json_type(body, '$.dose.rate_ml_per_h') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.rate_ml_per_h') > 0
                       THEN json_extract(body, '$.dose.rate_ml_per_h') END,
  minutes = CASE WHEN json_type(body, '$.dose.minutes') IN ('integer', 'real')
                  AND json_extract(body, '$.dose.minutes') > 0
                 THEN json_extract(body, '$.dose.minutes') END
WHERE json_valid(body) AND dose_mg IS NULL AND mg_per_kg IS NULL AND rate_ml_per_h IS NULL;
