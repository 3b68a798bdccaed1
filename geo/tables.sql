-- The register of administrative units as tables, remade on every transform
-- (package geo fills them), so that models roll figures up by official unit
-- and analysts see the map the numbers were computed on.
CREATE OR REPLACE TABLE geo_units (
    code VARCHAR, name VARCHAR, kind VARCHAR, level INTEGER, parent_code VARCHAR,
    valid_from DATE, valid_to DATE, source VARCHAR);
CREATE OR REPLACE TABLE geo_crosswalk (
    from_code VARCHAR, to_code VARCHAR, on_date DATE, share DECIMAL(18, 9), basis VARCHAR,
    estimate BOOLEAN, source VARCHAR);
CREATE OR REPLACE TABLE geo_ward_months (
    ward VARCHAR, month VARCHAR, commune_code VARCHAR, commune_name VARCHAR,
    district_code VARCHAR, district_name VARCHAR, province_code VARCHAR, province_name VARCHAR,
    share DECIMAL(18, 9), estimate BOOLEAN, label VARCHAR, label_en VARCHAR);
CREATE OR REPLACE TABLE geo_ward_now (
    ward VARCHAR, commune_code VARCHAR, commune_name VARCHAR,
    district_code VARCHAR, district_name VARCHAR, province_code VARCHAR, province_name VARCHAR,
    share DECIMAL(18, 9), estimate BOOLEAN, now_date DATE, label VARCHAR, label_en VARCHAR);
CREATE OR REPLACE TABLE geo_legacy_areas (
    area VARCHAR, name VARCHAR, name_en VARCHAR, ward VARCHAR, commune_code VARCHAR);
COMMENT ON TABLE geo_units IS 'The register of administrative units (geography.units): one row per unit and period, with its official code, name, kind, level (1 province, 2 district, 3 commune), parent and days of validity (NULL: open). docs/geography.md';
COMMENT ON TABLE geo_crosswalk IS 'The crosswalk (geography.crosswalk): on on_date, share of from_code (the unit valid the day before) became part of to_code; estimate marks an estimated share of a split unit.';
COMMENT ON TABLE geo_ward_months IS 'Each ward in each month, as it was: the commune or ward its data belongs to at the month''s end, its district (NULL from 01/07/2025) and province, the share (below 1 only for a split unit) and how a report of the month names it.';
COMMENT ON TABLE geo_ward_now IS 'Each ward as it is now (now_date, the register''s last change): the units of today''s map its data is added onto, the share and estimate of each, and how a report names it today ("xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc").';
COMMENT ON TABLE geo_legacy_areas IS 'The communes of each legacy area (geography.legacy_areas: "thành phố Sa Đéc (cũ)"), with the programme''s ward reporting for each, if any.';
