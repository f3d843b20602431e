-- A revision for each patient record as the patient read shows it (the patients row and its
-- weights), so that a server may answer a read from a record it read earlier only once the
-- database confirms that record is still current (store/soci_store.cc, RecentPatients; the check
-- runs in the audit append that records the read). Every change to the row or to one of its
-- weights, from kclinic or from anything else with access to the database, takes a new number
-- from one sequence in the same transaction: a revision is never reused, so an equal revision
-- means an unchanged record, and a change that rolled back leaves the committed one in place.
CREATE SEQUENCE patient_rev_seq;
ALTER TABLE patients ADD COLUMN rev BIGINT NOT NULL DEFAULT nextval('patient_rev_seq');

CREATE FUNCTION patient_rev_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.rev := nextval('patient_rev_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER patients_rev BEFORE UPDATE ON patients
  FOR EACH ROW EXECUTE FUNCTION patient_rev_on_update();

CREATE FUNCTION patient_rev_on_weight() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE patients SET rev = 0 WHERE id = OLD.patient_id;  -- the trigger above numbers it
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE patients SET rev = 0 WHERE id = NEW.patient_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER patient_weights_rev AFTER INSERT OR UPDATE OR DELETE ON patient_weights
  FOR EACH ROW EXECUTE FUNCTION patient_rev_on_weight();
