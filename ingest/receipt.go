package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/wardfile"
)

// receipt is the text a ward gets back for a file: Vietnamese first, then
// English; for a refused file, every problem with where it is and what to do.
func receipt(cfg *config.Config, o Outcome, now time.Time) string {
	var b strings.Builder
	wardName := o.Ward
	if w, ok := cfg.Ward(o.Ward); ok {
		wardName = w.Kind + " " + w.Name
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	fmt.Fprintf(&b, "BIÊN NHẬN TỆP — FILE RECEIPT\n%s\n\n", cfg.City.Organisation)
	fmt.Fprintf(&b, "Tệp / File:               %s\n", o.Name)
	fmt.Fprintf(&b, "Xã/phường / Ward:         %s\n", wardName)
	fmt.Fprintf(&b, "Nhận lúc / Received:      %s\n", now.In(loc).Format("02/01/2006 15:04"))
	res := o.Result
	errorsN, warnings := 0, 0
	if res != nil {
		errorsN, warnings = res.Errors(), res.Warnings()
	}
	switch o.Status {
	case StatusLoaded:
		fmt.Fprintf(&b, "Kết quả / Result:         ĐÃ NHẬN — ACCEPTED: %d dòng / rows (%s), %d cảnh báo / warnings\n", o.Rows, strings.Join(o.Datasets, ", "), warnings)
		if len(o.Superseded) > 0 {
			fmt.Fprintf(&b, "Thay thế / Replaces:      tệp đã gửi trước (số %v) — the earlier file(s) no. %v\n", o.Superseded, o.Superseded)
		}
	default:
		fmt.Fprintf(&b, "Kết quả / Result:         CHƯA NHẬN — REFUSED: %d lỗi / errors, %d cảnh báo / warnings\n", errorsN, warnings)
		b.WriteString("\nKhông có dòng nào của tệp được nạp. Hãy sửa TẤT CẢ các lỗi dưới đây rồi gửi lại cả tệp.\n")
		b.WriteString("No row of the file was loaded. Fix EVERY problem below, then send the whole file again.\n")
	}
	if res == nil {
		return b.String()
	}
	section := func(title string, sev string) {
		n := 0
		for _, p := range res.Problems {
			if p.Severity != sev {
				continue
			}
			if n == 0 {
				fmt.Fprintf(&b, "\n%s\n", title)
			}
			n++
			where := p.Where(true)
			if where != "" {
				where += ": "
			}
			fmt.Fprintf(&b, "%3d. %s%s\n", n, where, p.VI)
			whereEN := p.Where(false)
			if whereEN != "" {
				whereEN += ": "
			}
			fmt.Fprintf(&b, "     %s%s\n", whereEN, p.EN)
		}
	}
	section("LỖI — ERRORS", wardfile.SevError)
	section("CẢNH BÁO — WARNINGS", wardfile.SevWarning)
	if res.Dropped > 0 {
		fmt.Fprintf(&b, "\n… và %d vấn đề khác — and %d more problems.\n", res.Dropped, res.Dropped)
	}
	return b.String()
}
