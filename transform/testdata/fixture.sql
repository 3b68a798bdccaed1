-- A hand-made month-by-month story for the transform tests, on the Sa Đéc
-- pilot's configuration. Every expected number in transform_test.go is computed
-- by hand from these rows.
INSERT INTO ingest_files (file_id, sha256, original_name, ward, dataset, period, received_at, file_modified_at, size_bytes, status, rows_loaded, warnings, problems) VALUES
 (1, 'a1', 'dang_ky.xlsx',      'tan-phu-dong', 'citizens',            '2020-11',  TIMESTAMP '2020-11-20 09:00:00', TIMESTAMP '2020-11-20 08:00:00', 1, 'loaded',     6, 0, 0),
 (2, 'a2', 'thuc_trang.xlsx',   'tan-phu-dong', 'citizen_assessments', 'baseline', TIMESTAMP '2020-12-20 09:00:00', TIMESTAMP '2020-12-20 08:00:00', 1, 'superseded', 6, 0, 0),
 (3, 'a3', 'thuc_trang_2.xlsx', 'tan-phu-dong', 'citizen_assessments', 'baseline', TIMESTAMP '2020-12-27 09:00:00', TIMESTAMP '2020-12-27 08:00:00', 1, 'loaded',     6, 0, 0),
 (4, 'a4', 'giua_ky.xlsx',      'tan-phu-dong', 'citizen_assessments', 'mid',      TIMESTAMP '2021-04-02 09:00:00', TIMESTAMP '2021-04-02 08:00:00', 1, 'loaded',     3, 0, 0),
 (5, 'a5', 'don_vi.xlsx',       'tan-phu-dong', 'unit_assessments',    '2020-12',  TIMESTAMP '2020-12-30 09:00:00', TIMESTAMP '2020-12-30 08:00:00', 1, 'loaded',     6, 0, 0),
 (6, 'a6', 'hoat_dong.xlsx',    'tan-phu-dong', 'activities',          '2020-12',  TIMESTAMP '2021-01-08 09:00:00', TIMESTAMP '2021-01-08 08:00:00', 1, 'loaded',     2, 0, 0),
 (7, 'a7', 'loi.xlsx',          'tan-quy-tay',  'activities',          '2020-12',  TIMESTAMP '2021-01-03 09:00:00', TIMESTAMP '2021-01-03 08:00:00', 1, 'refused',    0, 0, 3);

INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES
 (1, 'citizens',            'Cá nhân', 'tan-phu-dong', '2020-11',  6, 'loaded',     NULL),
 (2, 'citizen_assessments', 'KS',      'tan-phu-dong', 'baseline', 1, 'superseded', 3),
 (3, 'citizen_assessments', 'KS',      'tan-phu-dong', 'baseline', 5, 'loaded',     NULL),
 (4, 'citizen_assessments', 'GK',      'tan-phu-dong', 'mid',      3, 'loaded',     NULL),
 (5, 'unit_assessments',    'ĐV',      'tan-phu-dong', '2020-12',  6, 'loaded',     NULL),
 (6, 'activities',          'T12',     'tan-phu-dong', '2020-12',  2, 'loaded',     NULL);

-- Six people of Tân Phú Đông, registered in November.
INSERT INTO raw_citizens (file_id, sheet, row_number, citizen_id, full_name, gender, birth_year, group_id, ward, hamlet, unit_code, registered_on) VALUES
 (1, 'Cá nhân', 5,  'TPD-001', 'Nguyễn Văn An',   'Nam', 1975, 3, 'tan-phu-dong', NULL,       'TPD-UB', DATE '2020-11-16'),
 (1, 'Cá nhân', 6,  'TPD-002', 'Trần Thị Bình',   'Nữ',  1980, 1, 'tan-phu-dong', 'Ấp Tân Hòa', NULL,   DATE '2020-11-16'),
 (1, 'Cá nhân', 7,  'TPD-003', 'Lê Văn Cường',    'Nam', 1968, 2, 'tan-phu-dong', 'Ấp Tân Hòa', NULL,   DATE '2020-11-17'),
 (1, 'Cá nhân', 8,  'TPD-004', 'Phạm Thị Dung',   'Nữ',  1990, 3, 'tan-phu-dong', NULL,       'TPD-UB', DATE '2020-11-17'),
 (1, 'Cá nhân', 9,  'TPD-005', 'Huỳnh Văn Em',    'Nam', 1985, 1, 'tan-phu-dong', 'Ấp Tân Lập', NULL,   DATE '2020-11-18'),
 (1, 'Cá nhân', 10, 'TPD-006', 'Võ Thị Phương',   'Nữ',  1979, 3, 'tan-phu-dong', NULL,       'TPD-TH', DATE '2020-11-18');

-- The first baseline file, later replaced by file 3: TPD-006 met the title here,
-- but the corrected file says otherwise. Superseded rows must not count.
INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) VALUES
 (2, 'KS', 5, 'TPD-006', 'baseline', DATE '2020-12-10', [9, 9, 9, 9, 9, 9, 9, 9, 9, 9], NULL, NULL);

INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) VALUES
 -- TPD-001: exactly 80 with exactly 5 as the lowest: recognised (both bounds inclusive; 8.1 + 7.9 must be exact).
 (3, 'KS', 5, 'TPD-001', 'baseline', DATE '2020-12-10', [5, 9, 9, 9, 8.1, 7.9, 8, 8, 8, 8], NULL, NULL),
 -- TPD-002: 79.5: not yet.
 (3, 'KS', 6, 'TPD-002', 'baseline', DATE '2020-12-10', [8, 8, 8, 8, 8, 8, 8, 8, 8, 7.5], NULL, NULL),
 -- TPD-003: 94.5 (the most a 4.5 allows) with one indicator at 4.5: not yet.
 (3, 'KS', 7, 'TPD-003', 'baseline', DATE '2020-12-11', [10, 10, 10, 10, 4.5, 10, 10, 10, 10, 10], NULL, NULL),
 -- TPD-004: self 78, reviewed 82: the reviewed score counts (reviewed_if_present): recognised.
 (3, 'KS', 8, 'TPD-004', 'baseline', DATE '2020-12-12', [8, 8, 8, 8, 8, 8, 8, 8, 7, 7], [8, 8, 8, 8, 8, 8, 8, 8, 9, 9], 'Hội đồng xã'),
 -- TPD-006: the corrected baseline: 60, not yet.
 (3, 'KS', 9, 'TPD-006', 'baseline', DATE '2020-12-10', [6, 6, 6, 6, 6, 6, 6, 6, 6, 6], NULL, NULL);
-- TPD-005 has no baseline: not assessed.

INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) VALUES
 -- TPD-002, two assessments in March: the later one (20/03, 85) counts for March.
 (4, 'GK', 5, 'TPD-002', 'mid', DATE '2021-03-05', [7, 7, 7, 7, 7, 7, 7, 7, 7, 7], NULL, NULL),
 (4, 'GK', 6, 'TPD-002', 'mid', DATE '2021-03-20', [9, 9, 9, 9, 9, 8, 8, 8, 8, 8], NULL, NULL),
 -- TPD-005, assessed on 01/04: not for March (not assessed then), recognised from April (total 90).
 (4, 'GK', 7, 'TPD-005', 'mid', DATE '2021-04-01', [9, 9, 9, 9, 9, 9, 9, 9, 9, 9], NULL, NULL);

-- Six units at the grade boundaries of Thông tư 22/2020 (85 / 70 / 50).
INSERT INTO raw_unit_assessments (file_id, sheet, row_number, unit_code, assessed_on, item, score)
SELECT 5, 'ĐV', r.row_number, r.unit_code, DATE '2020-12-20', i.item, round(i.max * r.total / 100, 3)
FROM (VALUES (5, 'TPD-TH', 85.0), (6, 'TPD-MN', 84.5), (7, 'TPD-UB', 70.0),
             (8, 'TQT-TH', 69.5), (9, 'TQT-MN', 50.0), (10, 'TQT-UB', 49.5)) r(row_number, unit_code, total)
CROSS JOIN (VALUES ('TC1.1', 10), ('TC1.2', 10), ('TC1.3', 10), ('TC2.1', 10), ('TC2.2', 5),
                   ('TC2.3', 10), ('TC2.4', 5), ('TC3.1', 25), ('TC3.2', 10), ('TC3.3', 5)) i(item, max);

INSERT INTO raw_activities (file_id, sheet, row_number, activity_date, ward, kind, title, participants, hours) VALUES
 (6, 'T12', 5, DATE '2020-12-08', 'tan-phu-dong', 'Tập huấn', 'Tập huấn lãnh đạo xã, phường thí điểm', 40, 4),
 (6, 'T12', 6, DATE '2020-12-15', 'tan-phu-dong', 'tuyên truyền', 'Tuyên truyền mô hình Công dân học tập', 120, 2);

-- The city's decisions of recognition, in one list received on 25/04/2021:
-- 12/QĐ-UBND of 20/01/2021 recognises TPD-001 and TPD-004 (eligible since
-- December) and five units; 20/QĐ-UBND of 20/04/2021 recognises TPD-002 and
-- TPD-005. Scores make people eligible; only these rows make them recognised.
INSERT INTO ingest_files (file_id, sha256, original_name, ward, dataset, period, received_at, file_modified_at, size_bytes, status, rows_loaded, warnings, problems) VALUES
 (20, 'a20', 'quyet_dinh.xlsx', 'tan-phu-dong', 'decisions', '2021-04', TIMESTAMP '2021-04-25 09:00:00', TIMESTAMP '2021-04-25 08:00:00', 1, 'loaded', 9, 0, 0);
INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES
 (20, 'decisions', 'QĐ', 'tan-phu-dong', '2021-04', 9, 'loaded', NULL);
INSERT INTO raw_decisions (file_id, sheet, row_number, decision_number, decided_on, issuer, title, citizen_id, unit_code, full_name, ward) VALUES
 (20, 'QĐ', 5,  '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'citizen', 'TPD-001', NULL, 'Nguyễn Văn An', 'tan-phu-dong'),
 (20, 'QĐ', 6,  '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'citizen', 'TPD-004', NULL, 'Phạm Thị Dung', 'tan-phu-dong'),
 (20, 'QĐ', 7,  '20/QĐ-UBND', DATE '2021-04-20', 'UBND thành phố Sa Đéc', 'citizen', 'TPD-002', NULL, 'Trần Thị Bình', 'tan-phu-dong'),
 (20, 'QĐ', 8,  '20/QĐ-UBND', DATE '2021-04-20', 'UBND thành phố Sa Đéc', 'citizen', 'TPD-005', NULL, 'Huỳnh Văn Em', 'tan-phu-dong'),
 (20, 'QĐ', 9,  '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'unit', NULL, 'TPD-TH', NULL, NULL),
 (20, 'QĐ', 10, '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'unit', NULL, 'TPD-MN', NULL, NULL),
 (20, 'QĐ', 11, '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'unit', NULL, 'TPD-UB', NULL, NULL),
 (20, 'QĐ', 12, '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'unit', NULL, 'TQT-TH', NULL, NULL),
 (20, 'QĐ', 13, '12/QĐ-UBND', DATE '2021-01-20', 'UBND thành phố Sa Đéc', 'unit', NULL, 'TQT-MN', NULL, NULL);
