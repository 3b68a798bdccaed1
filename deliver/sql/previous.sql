-- The versions of month $1 before version $2, with their data fingerprints.
SELECT DISTINCT version, data_fingerprint FROM reports WHERE month = $1 AND version < $2 ORDER BY version
