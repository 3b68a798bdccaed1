package reports

import (
	"context"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/store"
)

// TestAnnexVietnameseOrder loads the annex from a real DuckDB: within a
// ward, by given name then family and middle names, in Vietnamese collation —
// "Đặng" after "Dương" and before "Em"; tones in dictionary order (Anh,
// Ảnh, Ánh: không dấu, huyền, hỏi, ngã, sắc, nặng); "Ôn" before "Ông";
// never by bytes ("Đ" after "Z").
func TestAnnexVietnameseOrder(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := []string{"Zô Văn Bình", "Đặng Thị Bình", "Em Văn Bình", "Dương Văn Bình", "Nguyễn Thị Ánh", "Trần Văn Anh",
		"Lê Văn Ba", "Đinh Thị Ảnh", "Vũ Văn Bảo", "Ông Văn Ánh", "Ôn Thị Ánh"}
	_, err = db.ExecContext(ctx, `
		CREATE TABLE cfg_wards AS SELECT * FROM (VALUES ('a', 1), ('b', 2)) t(ward, ordinal);
		CREATE TABLE citizens (citizen_id VARCHAR, full_name VARCHAR, gender VARCHAR, birth_year BIGINT, unit_code VARCHAR);
		CREATE TABLE citizen_status_monthly (month VARCHAR, ward VARCHAR, citizen_id VARCHAR, group_id BIGINT, total DECIMAL(5,1),
			min_score DECIMAL(4,1), round VARCHAR, assessed_on DATE, first_eligible_month VARCHAR, status VARCHAR,
			reviewed BOOLEAN, decision_number VARCHAR, decided_on DATE)`)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		id := string(rune('A'+i)) + "-1"
		ward := "b" // one of the first ward, which comes first whatever its name
		if i == 0 {
			ward = "a"
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO citizens VALUES (?, ?, 'Nữ', 1980, NULL)`, id, n); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO citizen_status_monthly VALUES ('2021-03', ?, ?, 1, 85, 6, 'mid', DATE '2021-03-15', '2021-03', 'eligible', true, NULL, NULL)`, ward, id); err != nil {
			t.Fatal(err)
		}
	}
	var got []Holder
	if err := sel(ctx, db, &got, "annex", "2021-03", nil); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, h := range got {
		order = append(order, h.Name)
	}
	want := []string{"Zô Văn Bình",
		"Trần Văn Anh", "Đinh Thị Ảnh", "Nguyễn Thị Ánh", "Ôn Thị Ánh", "Ông Văn Ánh",
		"Lê Văn Ba", "Vũ Văn Bảo", "Dương Văn Bình", "Đặng Thị Bình", "Em Văn Bình"}
	if strings.Join(order, ", ") != strings.Join(want, ", ") {
		t.Errorf("annex order:\n got %s\nwant %s", strings.Join(order, ", "), strings.Join(want, ", "))
	}
}
