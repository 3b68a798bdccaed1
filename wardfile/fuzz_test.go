package wardfile

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/hoctap/hoctap/config"
)

// Run each for longer with, for example:
//
//	go test -run '^$' -fuzz FuzzReadCSV -fuzztime 5m ./ingest

// FuzzReadCSV: whatever the bytes, Read does not panic, returns no error (what
// a file holds is told by problems), and says something: rows or problems.
func FuzzReadCSV(f *testing.F) {
	cfg := pilotCfg(f)
	for _, s := range []string{
		citizensCSV,
		"\ufeff" + assessHead + "A;Cuối kỳ;31/02/2021;8,5;8;8;8;8;8;8;8;8;8\n",
		"sep=;\n" + assessHead + "A;mid;2021-03-20T20:15:42Z;11;8;8;8;8;8;8;8;8;x\n\n;Tổng cộng\n;;NGƯỜI LẬP BIỂU\n",
		"UBND XÃ\n\nSTT,Ngày,Xã/phường,Loại hoạt động,Nội dung,Số người tham dự,Số giờ,Ghi chú\n(1),(2),(3),(4),(5),(6),(7),(8)\n1,08/12/2020,Tân Phú Đông,Tập huấn,A,\"1.234\",\"1,5\",\n",
		"\"unterminated,quote\n1,2,3",
		"[{\"Mã công dân\": 1}, 2]",
		"{\"Mã đơn vị\": \"A\", \"Tên đơn vị\": \"B\"}\n{\"Xã/phường\": null}\n",
	} {
		f.Add([]byte(s))
	}
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(citizensCSV, ",", "\t")))
	f.Add(u16)
	cp, _ := charmap.Windows1258.NewEncoder().Bytes([]byte(toneSeparated(citizensCSV)))
	f.Add(cp)
	f.Add([]byte{0xFF, 0xFE, 'a', 0, '\t', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, cfg, "f.csv", data)
	})
}

// FuzzReadXLSX: the same for workbooks, from real ones and their mutations.
func FuzzReadXLSX(f *testing.F) {
	cfg := pilotCfg(f)
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Mã đơn vị", "Tên đơn vị", "Loại", "Xã/phường", "Số thành viên", "Ngày đăng ký"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"TPD-TH", "Trường", "trường tiểu học", "Tân Phú Đông", 30, 44150})
	x.SetSheetRow("Sheet1", "A3", &[]any{"TPD-MN", "Trường", "trường mầm non", "Tân Phú", "ba mươi", 1e300})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(messyWorkbook(f))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, cfg, "f.xlsx", data)
	})
}

func checkRead(t *testing.T, cfg *config.Config, name string, data []byte) {
	rows := 0
	res, err := ReadBytes(cfg, name, data, Hint{Ward: "tan-phu-dong", Now: time.Date(2021, 8, 5, 0, 0, 0, 0, time.UTC)}, func(tb *Table, r Row) error {
		rows++
		if len(r.Values) != len(tb.Dataset.Columns) || r.Number < 0 {
			t.Fatalf("row %d has %d values for %d columns", r.Number, len(r.Values), len(tb.Dataset.Columns))
		}
		for i, v := range r.Values {
			c := tb.Dataset.Columns[i]
			switch v := v.(type) {
			case nil:
				if c.Required {
					t.Fatalf("row %d: required %s is empty", r.Number, c.Key)
				}
			case string:
				if v == "" || !utf8.ValidString(v) || strings.TrimSpace(v) != v {
					t.Fatalf("row %d: %s = %q", r.Number, c.Key, v)
				}
			case float64:
				if c.Type == config.TypeScore && (v < 0 || v > c.Max) {
					t.Fatalf("row %d: score %s = %v", r.Number, c.Key, v)
				}
			case int64, time.Time:
			default:
				t.Fatalf("row %d: %s is a %T", r.Number, c.Key, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Read returned an error for file content (content problems must be Problems): %v", err)
	}
	if rows != res.Rows {
		t.Fatalf("%d rows emitted, %d counted", rows, res.Rows)
	}
	if rows == 0 && len(res.Problems) == 0 {
		t.Fatalf("no rows and no problems: %+v", res)
	}
	if len(data) == 0 && (res.Errors() != 1 || res.Problems[0].Code != "empty_file") {
		t.Fatalf("an empty file gave %v", res.Problems)
	}
	for _, p := range res.Problems {
		if p.VI == "" || p.EN == "" || p.Code == "" || !utf8.ValidString(p.VI+p.EN+p.Value+p.Column) {
			t.Fatalf("problem %+v", p)
		}
	}
}

// FuzzHeaders: headers as form tools and offices write them — group prefixes,
// grid questions, numbered questions, two header rows — never make Read panic
// or bind one column twice, whatever their text.
func FuzzHeaders(f *testing.F) {
	cfg := pilotCfg(f)
	for _, h := range []string{
		"start;end;Thông tin chung/Mã công dân;Thông tin chung/Đợt khảo sát;Thông tin chung/Ngày khảo sát;Điểm tự đánh giá/Chỉ số 1;_uuid;_validation_status",
		"Dấu thời gian;Địa chỉ email;Mã công dân;Đợt đánh giá;1. Thường xuyên đọc sách;2. Có kế hoạch học tập;Điểm thẩm định [Chỉ số 3]",
		"STT;Mã CD;Họ và tên;Ngày ĐG;CS1;CS2;TĐ1;TĐ10;Người thẩm định",
		"ĐIỂM TỰ ĐÁNH GIÁ;;;ĐIỂM THẨM ĐỊNH\n1;2;3;1;2;3",
		"Câu 1: Chỉ số 1;1);/;[;];_;a/b/c/Chỉ số 99",
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		data := []byte(header + "\nCD-1;Cuối kỳ;15/06/2021;8;8;8;8;8;8;8;8;8;8\n")
		checkRead(t, cfg, "h.csv", data)
		res, _ := ReadBytes(cfg, "h.csv", data, Hint{}, nil)
		for _, tb := range res.Tables {
			seen := map[int]string{}
			for _, b := range tb.Columns {
				if k, dup := seen[b.Index]; dup {
					t.Fatalf("source column %d bound to %s and %s", b.Index, k, b.Key)
				}
				seen[b.Index] = b.Key
			}
		}
	})
}
