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
