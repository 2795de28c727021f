-- Capaian kinerja organisasi per unit: JSON {"<tahun>": value}, as the server's `ref`
-- partition carries it with the org unit (set by HR/admin; read when a supervisor rates).
ALTER TABLE org_unit ADD COLUMN capaian TEXT;
