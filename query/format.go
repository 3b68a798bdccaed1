package query

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// Formats a result can be written in.
const (
	FormatTable = "table"
	FormatCSV   = "csv"
	FormatJSON  = "json"
)

// Write writes res in format to w: a table for people, with every control
// character shown as an escape (\n, \x1b) so that a value cannot move the
// cursor, forge a line or recolour a terminal; CSV for spreadsheets, with
// formulas neutralised (CSVCell); JSON, typed.
func Write(w io.Writer, res *Result, format string) error {
	switch format {
	case FormatTable, "":
		return writeTable(w, res)
	case FormatCSV:
		return writeCSV(w, res)
	case FormatJSON:
		return writeJSON(w, res)
	}
	return fmt.Errorf("unknown format %q: expected table, csv or json", format)
}

// Text is cell j of row i as text: empty for NULL, a string as it is, a
// number as its digits (a DOUBLE to ten significant digits), a date or time
// as DuckDB writes it (a TIMESTAMPTZ with its zone), a list or struct as
// compact JSON. It does not escape: callers that show it do (HTML escapes;
// Write's table escapes control characters).
func (r *Result) Text(i, j int) string {
	return cellText(r.Rows[i][j], r.Types[j])
}

func cellText(cell json.RawMessage, typ string) string {
	if len(cell) == 0 || string(cell) == "null" {
		return ""
	}
	if cell[0] == '"' {
		var s string
		if err := json.Unmarshal(cell, &s); err == nil {
			return s
		}
	}
	if typ == "DOUBLE" || typ == "FLOAT" {
		if f, err := strconv.ParseFloat(string(cell), 64); err == nil {
			return strconv.FormatFloat(f, 'g', 10, 64)
		}
	}
	return string(cell)
}

// Numeric reports whether a DuckDB type holds numbers.
func Numeric(typ string) bool {
	switch {
	case strings.HasPrefix(typ, "DECIMAL"):
		return true
	}
	switch typ {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
		"FLOAT", "DOUBLE", "VARINT", "BIGNUM":
		return true
	}
	return false
}

// CSVCell is cell j of row i as a CSV download holds it. A spreadsheet runs
// a cell that starts with =, +, -, @ (or a tab or carriage return before
// one) as a formula, and a formula can fetch a URL or run a command: such a
// text gets a leading apostrophe ('=HYPERLINK(…) shows as the text it is).
// Numbers are never touched, so -12.5 stays a number: the values of numeric
// columns, and a text that is nothing but a number (a VARCHAR '-5') — which
// a spreadsheet reads as that number, not as a formula. Control characters
// but tab, line feed and carriage return are escaped as in the table format.
func (r *Result) CSVCell(i, j int) string {
	s := r.Text(i, j)
	if Numeric(r.Types[j]) {
		return s
	}
	return neutralise(escapeControls(s, "\t\n\r"))
}

func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

// escapeControls writes every control character of s but those in keep as
// an escape — \n, \t, \r, \x1b, \u0085 — and so the bidirectional overrides
// that reorder what a terminal shows (U+202A–U+202E, U+2066–U+2069).
func escapeControls(s, keep string) string {
	clean := true
	for _, c := range s {
		if isControl(c) && !strings.ContainsRune(keep, c) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if !isControl(c) || strings.ContainsRune(keep, c) {
			b.WriteRune(c)
			continue
		}
		switch c {
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				fmt.Fprintf(&b, `\u%04x`, c)
			}
		}
	}
	return b.String()
}

func isControl(c rune) bool {
	return unicode.IsControl(c) || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
}

// Escape shows s on a terminal or in a log line: every control character
// escaped.
func Escape(s string) string { return escapeControls(s, "") }

func writeTable(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	cols := make([]string, len(res.Columns))
	under := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = Escape(c)
		under[i] = strings.Repeat("-", utf8.RuneCountInString(cols[i]))
	}
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	fmt.Fprintln(tw, strings.Join(under, "\t"))
	cells := make([]string, len(res.Columns))
	for i := range res.Rows {
		for j := range cells {
			cells[j] = Escape(res.Text(i, j))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	note := fmt.Sprintf("(%d rows", len(res.Rows))
	if res.Cut != "" {
		note += "; " + res.Cut
	}
	fmt.Fprintln(bw, note+")")
	return bw.Flush()
}

func writeCSV(w io.Writer, res *Result) error {
	cw := csv.NewWriter(w)
	cols := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = neutralise(escapeControls(c, "\t\n\r"))
	}
	if err := cw.Write(cols); err != nil {
		return err
	}
	cells := make([]string, len(res.Columns))
	for i := range res.Rows {
		for j := range cells {
			cells[j] = res.CSVCell(i, j)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes an array of objects whose keys keep the columns' order;
// cells are as the query's process encoded them (typed JSON values).
func writeJSON(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	keys := make([][]byte, len(res.Columns))
	for j, c := range res.Columns {
		keys[j], _ = json.Marshal(c)
	}
	bw.WriteString("[")
	for i, r := range res.Rows {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  {")
		for j, v := range r {
			if j > 0 {
				bw.WriteString(", ")
			}
			bw.Write(keys[j])
			bw.WriteString(": ")
			if len(v) == 0 {
				v = json.RawMessage("null")
			}
			bw.Write(v)
		}
		bw.WriteString("}")
	}
	if len(res.Rows) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
