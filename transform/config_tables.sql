-- The configuration as tables, remade on every transform, so that models join it
-- and analysts see the parameters the numbers were computed with.
CREATE OR REPLACE TABLE cfg_programme (
    city VARCHAR, province VARCHAR, organisation VARCHAR, name VARCHAR,
    start_date DATE, end_date DATE, time_zone VARCHAR);
CREATE OR REPLACE TABLE cfg_months (
    month VARCHAR PRIMARY KEY,   -- 'YYYY-MM', every month of the programme
    month_start DATE, month_end DATE, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_wards (
    ward VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, name_en VARCHAR,
    population_total INTEGER, population_adults INTEGER, population_year INTEGER, population_source VARCHAR,
    ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_units (
    unit_code VARCHAR PRIMARY KEY, name VARCHAR, unit_type VARCHAR, ward VARCHAR, members INTEGER);
CREATE OR REPLACE TABLE cfg_target_groups (
    group_id INTEGER PRIMARY KEY, code VARCHAR, name VARCHAR, name_en VARCHAR);
CREATE OR REPLACE TABLE cfg_rounds (
    round VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_framework (
    name VARCHAR, source VARCHAR, indicator_max DOUBLE, pass_total DOUBLE, min_per_indicator DOUBLE,
    score_step DOUBLE, score_basis VARCHAR, digital_indicator INTEGER, digital_min DOUBLE, indicators INTEGER);
CREATE OR REPLACE TABLE cfg_criteria (
    criterion VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_indicators (
    indicator INTEGER PRIMARY KEY, criterion VARCHAR, name VARCHAR, name_en VARCHAR);
CREATE OR REPLACE TABLE cfg_indicator_wording (
    indicator INTEGER, group_id INTEGER, wording VARCHAR, PRIMARY KEY (indicator, group_id));
CREATE OR REPLACE TABLE cfg_unit_scheme (
    scheme VARCHAR, name VARCHAR, source VARCHAR, recognised_from VARCHAR, recognised_min DOUBLE,
    member_title_share DOUBLE, member_title_share_source VARCHAR, max_total DOUBLE,
    assessed_from DATE);
CREATE OR REPLACE TABLE cfg_unit_criteria (
    criterion VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, max DOUBLE, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_unit_items (
    item VARCHAR PRIMARY KEY, criterion VARCHAR, name VARCHAR, name_en VARCHAR, max DOUBLE, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_unit_grades (
    grade VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, min_total DOUBLE, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_metrics (
    metric VARCHAR PRIMARY KEY, denominators VARCHAR[], description VARCHAR);
CREATE OR REPLACE TABLE cfg_goals (
    goal_id VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, metric VARCHAR, denominator VARCHAR,
    target DOUBLE, deadline VARCHAR, path VARCHAR, baseline DOUBLE, source VARCHAR, uncertain BOOLEAN,
    at_risk_margin DOUBLE, trend_months INTEGER, unesco VARCHAR[], ordinal INTEGER,
    source_date DATE, scope VARCHAR, scope_en VARCHAR, source_en VARCHAR);
CREATE OR REPLACE TABLE cfg_goal_points (
    goal_id VARCHAR, month VARCHAR, value DOUBLE, PRIMARY KEY (goal_id, month));
CREATE OR REPLACE TABLE cfg_unesco_areas (
    area VARCHAR PRIMARY KEY, name VARCHAR);
CREATE OR REPLACE TABLE cfg_phases (
    phase VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, start_date DATE, end_date DATE, ordinal INTEGER);
CREATE OR REPLACE TABLE cfg_milestones (
    milestone VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, phase VARCHAR, due DATE,
    condition VARCHAR, round VARCHAR, activity VARCHAR, count INTEGER, share DOUBLE, ordinal INTEGER);
-- One row per ward and expected file: monthly datasets once per month (period is
-- the data's month), survey rounds once per round (period is the round), other
-- one-off files once per due date (period NULL: a file counts for the first due
-- date on or after its own month).
CREATE OR REPLACE TABLE cfg_submissions (
    ward VARCHAR, dataset VARCHAR, round VARCHAR, period VARCHAR, due DATE, monthly BOOLEAN);
-- The programme's other titles (frameworks:), their dated versions, each
-- version's criteria and, per ward, how many holders there are (the
-- denominator of the title's rate: every household of the commune, for families).
CREATE OR REPLACE TABLE cfg_title_frameworks (
    framework VARCHAR PRIMARY KEY, name VARCHAR, name_en VARCHAR, holder VARCHAR,
    target_share DECIMAL(5,4), target_deadline VARCHAR, target_source VARCHAR, target_source_date DATE, target_scope VARCHAR, target_scope_en VARCHAR, target_source_en VARCHAR);
CREATE OR REPLACE TABLE cfg_title_versions (
    framework VARCHAR, version VARCHAR, source VARCHAR, source_date DATE, valid_from DATE, valid_to DATE,
    min_total DECIMAL(9,2), all_criteria BOOLEAN, max_total DECIMAL(9,2), pass_assumption VARCHAR, ordinal INTEGER, source_en VARCHAR,
    PRIMARY KEY (framework, version));
CREATE OR REPLACE TABLE cfg_title_criteria (
    framework VARCHAR, version VARCHAR, criterion VARCHAR, name VARCHAR, name_en VARCHAR, kind VARCHAR,
    max DECIMAL(9,2), threshold DECIMAL(9,2), assumption VARCHAR, ordinal INTEGER,
    PRIMARY KEY (framework, version, criterion));
CREATE OR REPLACE TABLE cfg_title_population (
    framework VARCHAR, ward VARCHAR, holders INTEGER, year INTEGER, source VARCHAR, source_en VARCHAR,
    PRIMARY KEY (framework, ward));
