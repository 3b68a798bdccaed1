package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Read never panics, whatever the bytes: it returns problems or rows.
func FuzzReadCSV(f *testing.F) {
	cfg := pilotCfg(f)
	f.Add([]byte(citizensCSV))
	f.Add([]byte("\ufeffMã công dân;Đợt;Ngày đánh giá;Chỉ số 1\nA;Cuối kỳ;31/02/2021;8,5\n"))
	f.Add([]byte("\"unterminated,quote\n1,2,3"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0, '\t', 0})
	f.Add([]byte("[{\"Mã công dân\": 1}, 2]"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Read(cfg, p, Hint{}, func(*Table, Row) error { return nil })
		if err != nil {
			t.Fatalf("Read returned an error for file content (content problems must be Problems): %v", err)
		}
		if len(data) == 0 && res.Errors() != 1 {
			t.Fatalf("an empty file gave %d errors", res.Errors())
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	cfg := pilotCfg(f)
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Mã đơn vị", "Tên đơn vị", "Loại", "Xã/phường", "Số thành viên", "Ngày đăng ký"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"TPD-TH", "Trường", "trường tiểu học", "Tân Phú Đông", 30, 44150})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04garbage"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.xlsx")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(cfg, p, Hint{}, func(*Table, Row) error { return nil }); err != nil {
			t.Fatalf("Read returned an error for file content (content problems must be Problems): %v", err)
		}
	})
}
