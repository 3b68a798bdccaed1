package ingest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/wardfile"
)

// receipt is the text a ward gets back for a file, as an officer reads it:
// Vietnamese first, then English; whether the file was taken, and how (what
// it added, replaced and left, per ward); for a returned file, each problem
// once with the rows it is in and what to do; then how values were read.
func receipt(cfg *config.Config, o Outcome, now time.Time) string {
	var b strings.Builder
	from := "Thành phố (tệp gửi chung cho nhiều xã/phường) — city-level file"
	if w, ok := cfg.Ward(o.Ward); ok {
		from = w.Kind + " " + w.Name
	} else if o.Ward != "" {
		from = o.Ward
	}
	pkg := o.Result != nil && slices.ContainsFunc(o.Result.Problems, func(p wardfile.Problem) bool { return strings.HasPrefix(p.Code, "package") })
	if pkg {
		from = "Gói số liệu của đơn vị trực thuộc — exchange package of an area below"
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	fmt.Fprintf(&b, "BIÊN NHẬN TỆP — FILE RECEIPT\n%s\n\n", cfg.City.Organisation)
	fmt.Fprintf(&b, "Tệp / File:               %s\n", printable(o.Name))
	fmt.Fprintf(&b, "Nơi gửi / From:           %s\n", from)
	fmt.Fprintf(&b, "Nhận lúc / Received:      %s\n", now.In(loc).Format("02/01/2006 15:04"))
	res := o.Result
	if res == nil {
		res = &wardfile.Result{}
	}
	switch o.Status {
	case StatusLoaded:
		fmt.Fprintf(&b, "Kết quả / Result:         ĐÃ NHẬN — ACCEPTED: %d dòng / rows\n", o.Rows)
		tables(&b, cfg, o)
	default:
		fmt.Fprintf(&b, "Kết quả / Result:         TỆP BỊ TRẢ LẠI — FILE RETURNED: %d lỗi / problems\n", res.Errors())
		if pkg {
			// A package is signed: edited by hand it would be refused again.
			b.WriteString("\nChưa số liệu nào của gói được nhận. Gói số liệu không sửa tay được: nơi gửi xem các lỗi dưới đây và, nếu cần, lập lại gói bằng lệnh hoctap package rồi gửi lại.\n")
			b.WriteString("Nothing of the package was taken. A package cannot be edited by hand: its sender checks the problems below and, if need be, makes it again with hoctap package and sends it again.\n")
		} else {
			b.WriteString("\nChưa dòng nào của tệp được nhận. Hãy sửa các lỗi dưới đây trong tệp rồi gửi lại cả tệp.\n")
			b.WriteString("No row of the file was taken. Fix the problems below in the file, then send the whole file again.\n")
		}
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
			fmt.Fprintf(&b, "%3d. %s%s\n", n, where(p, true), printable(p.VI))
			fmt.Fprintf(&b, "     %s%s\n", where(p, false), printable(p.EN))
		}
	}
	section("LỖI CẦN SỬA — PROBLEMS TO FIX", wardfile.SevError)
	section("CẦN XEM LẠI — TO CHECK", wardfile.SevWarning)
	section("CÁCH ĐỌC TỆP — HOW THE FILE WAS READ", wardfile.SevNote)
	if res.Dropped > 0 {
		fmt.Fprintf(&b, "\n… và %d vấn đề khác — and %d more problems.\n", res.Dropped, res.Dropped)
	}
	return b.String()
}

// where says where a problem is: the sheet, the rows grouped, the column.
func where(p wardfile.Problem, vi bool) string {
	var parts []string
	if p.Sheet != "" {
		if vi {
			parts = append(parts, fmt.Sprintf("trang \"%s\"", printable(p.Sheet)))
		} else {
			parts = append(parts, fmt.Sprintf("sheet \"%s\"", printable(p.Sheet)))
		}
	}
	rows := ""
	switch {
	case len(p.Rows) > 1:
		rows = wardfile.RowRanges(p.Rows)
		if more := p.RowCount - len(p.Rows); more > 0 {
			if vi {
				rows += fmt.Sprintf(" và %d dòng khác", more)
			} else {
				rows += fmt.Sprintf(" and %d more", more)
			}
		}
	case p.Row > 0:
		rows = fmt.Sprint(p.Row)
		if more := p.RowCount - 1; more > 0 {
			if vi {
				rows += fmt.Sprintf(" và %d dòng khác", more)
			} else {
				rows += fmt.Sprintf(" and %d more", more)
			}
		}
	}
	if rows != "" {
		if vi {
			parts = append(parts, "dòng "+rows)
		} else if len(p.Rows) > 1 || p.RowCount > 1 {
			parts = append(parts, "rows "+rows)
		} else {
			parts = append(parts, "row "+rows)
		}
	}
	if p.Column != "" {
		if vi {
			parts = append(parts, "cột "+printable(p.Column))
		} else {
			parts = append(parts, "column "+printable(p.Column))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + ": "
}

// tables says, per dataset and ward, how a loaded file was taken.
func tables(b *strings.Builder, cfg *config.Config, o Outcome) {
	if len(o.Tables) == 0 {
		return
	}
	b.WriteString("\n")
	for _, t := range o.Tables {
		ward := t.Ward
		if w, ok := cfg.Ward(t.Ward); ok {
			ward = w.Kind + " " + w.Name
		}
		ds, dsEN := t.Dataset, t.Dataset
		if d, ok := cfg.Dataset(t.Dataset); ok {
			ds, dsEN = d.Title, d.TitleEN
		}
		fmt.Fprintf(b, "  • %s — %s: %d dòng / rows\n", ds, ward, t.Rows)
		switch t.Mode {
		case ModeReplacement:
			why, whyEN := map[string]string{reasonDeclared: "tên hoặc tiêu đề tệp ghi là bản sửa/thay thế", reasonSameName: "trùng tên với tệp đã gửi trước", reasonConfigured: "cấu hình: mỗi tệp mới thay thế tệp trước"}[t.Reason],
				map[string]string{reasonDeclared: "its name or title says it corrects or replaces", reasonSameName: "an earlier file had the same name", reasonConfigured: "configured: each new file replaces the earlier"}[t.Reason]
			fmt.Fprintf(b, "    Nhận là BẢN THAY THẾ (%s): thay cho tệp số %v; %d dòng mới, %d dòng thay dòng cũ, %d dòng cũ không còn được tính.\n", why, t.Superseded, t.Added, t.Replaced, t.Removed)
			fmt.Fprintf(b, "    Taken as a REPLACEMENT (%s) of file(s) %v: %d new rows, %d replacing earlier rows, %d earlier rows no longer count.\n", whyEN, t.Superseded, t.Added, t.Replaced, t.Removed)
		default:
			fmt.Fprintf(b, "    Nhận là DANH SÁCH BỔ SUNG: %d dòng mới, %d dòng thay dòng đã gửi trước cùng mã; không dòng nào đã gửi trước bị bỏ.\n", t.Added, t.Replaced)
			fmt.Fprintf(b, "    Taken as a SUPPLEMENT (%s): %d new rows, %d replacing rows sent before with the same key; no row sent before is dropped.\n", dsEN, t.Added, t.Replaced)
		}
	}
}
