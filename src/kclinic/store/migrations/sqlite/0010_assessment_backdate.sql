-- Who dated a paper questionnaire back, and why (issue 21): staff entering a form may date it
-- back within a site limit (scales.backdate_max_days), with the reason recorded here.
ALTER TABLE assessments ADD COLUMN backdate_reason TEXT;
