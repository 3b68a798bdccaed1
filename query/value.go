package query

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// A result's cells cross from the query's process to the one that shows them
// as JSON values written here, by column type: numbers (integers, DECIMALs and
// HUGEINTs exact, as their digits) and booleans as themselves; dates, times
// and timestamps as text, a TIMESTAMPTZ in the city's zone with its offset
// (2021-03-01 00:00:00+07:00: a midnight stays a time of day); UUIDs,
// intervals and BLOBs as DuckDB writes them; lists, arrays, structs and maps
// as JSON arrays and objects, their members typed the same way.

// colType is a DuckDB type as the driver names it: "INTEGER",
// "DECIMAL(10,3)", "TIMESTAMPTZ[]", `STRUCT("a" INTEGER, "b" VARCHAR)`,
// "MAP(VARCHAR, INTEGER)", "INTEGER[2]".
type colType struct {
	name   string     // upper case: INTEGER, DECIMAL, LIST, ARRAY, STRUCT, MAP, UNION, …
	elem   *colType   // of a LIST or ARRAY
	fields []colField // of a STRUCT or UNION; a MAP's key and value
}

type colField struct {
	name string
	typ  *colType
}

// parseType reads a driver's type name; what it cannot read is a type of
// that name with no members, which is written by the value's Go type.
func parseType(s string) *colType {
	p := &typeParser{s: s}
	return p.typ()
}

type typeParser struct {
	s string
	i int
}

func (p *typeParser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *typeParser) typ() *colType {
	p.space()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || p.s[p.i] == ' ' && p.continues() || isAlnum(p.s[p.i])) {
		p.i++
	}
	t := &colType{name: strings.ToUpper(strings.TrimSpace(p.s[start:p.i]))}
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		switch t.name {
		case "STRUCT", "UNION":
			for p.i < len(p.s) && p.s[p.i] != ')' {
				p.space()
				name := p.ident()
				t.fields = append(t.fields, colField{name: name, typ: p.typ()})
				p.space()
				if p.i < len(p.s) && p.s[p.i] == ',' {
					p.i++
				}
			}
		case "MAP":
			k := p.typ()
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
			t.fields = []colField{{name: "key", typ: k}, {name: "value", typ: p.typ()}}
		default: // DECIMAL(10,3), ENUM(…), VARCHAR(10): what is inside does not matter here
			depth := 1
			for p.i < len(p.s) && depth > 0 {
				switch p.s[p.i] {
				case '(':
					depth++
				case ')':
					depth--
				case '\'':
					p.i++
					for p.i < len(p.s) && p.s[p.i] != '\'' {
						p.i++
					}
				}
				if depth > 0 {
					p.i++
				}
			}
		}
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
		}
	}
	for p.i < len(p.s) && p.s[p.i] == '[' { // INTEGER[] (a list), INTEGER[2] (an array)
		end := strings.IndexByte(p.s[p.i:], ']')
		if end < 0 {
			break
		}
		kind := "LIST"
		if end > 1 {
			kind = "ARRAY"
		}
		t = &colType{name: kind, elem: t}
		p.i += end + 1
	}
	return t
}

// continues reports whether the space at p.i goes on to a type name's next
// word (TIMESTAMP WITH TIME ZONE, DOUBLE PRECISION) rather than ending it.
func (p *typeParser) continues() bool {
	rest := strings.ToUpper(p.s[p.i:])
	for _, w := range []string{" WITH", " TIME", " ZONE", " PRECISION", " VARYING"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

func (p *typeParser) ident() string {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		var b strings.Builder
		p.i++
		for p.i < len(p.s) {
			if p.s[p.i] == '"' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
					b.WriteByte('"')
					p.i += 2
					continue
				}
				p.i++
				break
			}
			b.WriteByte(p.s[p.i])
			p.i++
		}
		return b.String()
	}
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || isAlnum(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i]
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// encoder writes cells as JSON, times of a zone in loc.
type encoder struct{ loc *time.Location }

// value appends v, of type t, to b as JSON.
func (e encoder) value(b []byte, v any, t *colType) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, uint:
		return fmt.Append(b, x)
	case float32:
		return e.float(b, float64(x), 32)
	case float64:
		return e.float(b, x, 64)
	case *big.Int:
		return append(b, x.String()...)
	case duckdb.Decimal:
		return append(b, decimal(x)...)
	case string:
		return appendString(b, x)
	case []byte:
		if t.name == "UUID" && len(x) == 16 {
			return appendString(b, uuid(x))
		}
		return appendString(b, blob(x))
	case time.Time:
		return appendString(b, e.time(x, t.name))
	case duckdb.Interval:
		return appendString(b, interval(x))
	case duckdb.UUID:
		return appendString(b, uuid(x[:]))
	case []any:
		b = append(b, '[')
		elem := t.elem
		if elem == nil {
			elem = &colType{}
		}
		for i, el := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.value(b, el, elem)
		}
		return append(b, ']')
	case map[string]any:
		if len(t.fields) == 0 || len(t.fields) != len(x) { // a JSON column's object
			return appendJSON(b, x)
		}
		b = append(b, '{') // a STRUCT, its fields in the type's order
		for i, f := range t.fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, f.name)
			b = append(b, ':')
			b = e.value(b, x[f.name], f.typ)
		}
		return append(b, '}')
	case duckdb.OrderedMap:
		kt, vt := &colType{}, &colType{}
		if len(t.fields) == 2 {
			kt, vt = t.fields[0].typ, t.fields[1].typ
		}
		b = append(b, '{')
		for i, k := range x.Keys() {
			if i > 0 {
				b = append(b, ',')
			}
			key := e.value(nil, k, kt)
			if len(key) == 0 || key[0] != '"' {
				key = appendString(nil, string(key))
			}
			b = append(b, key...)
			b = append(b, ':')
			val, _ := x.Get(k)
			b = e.value(b, val, vt)
		}
		return append(b, '}')
	case duckdb.Union:
		var mt *colType
		for _, f := range t.fields {
			if f.name == x.Tag {
				mt = f.typ
			}
		}
		if mt == nil {
			mt = &colType{}
		}
		return e.value(b, x.Value, mt)
	}
	if s, ok := v.(fmt.Stringer); ok {
		return appendString(b, s.String())
	}
	return appendJSON(b, v)
}

// appendJSON appends what encoding/json makes of v (a JSON column's
// objects), or its text when that fails.
func appendJSON(b []byte, v any) []byte {
	j, err := json.Marshal(v)
	if err != nil {
		return appendString(b, fmt.Sprint(v))
	}
	return append(b, j...)
}

func (e encoder) float(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"nan"`...)
	case math.IsInf(f, 1):
		return append(b, `"inf"`...)
	case math.IsInf(f, -1):
		return append(b, `"-inf"`...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits)
}

// time writes a date, time or timestamp as DuckDB shows it, a TIMESTAMPTZ
// in the city's zone with its offset.
func (e encoder) time(t time.Time, typ string) string {
	frac := func(layout string) string {
		if t.Nanosecond() == 0 {
			return layout
		}
		if typ == "TIMESTAMP_NS" {
			return layout + ".000000000"
		}
		return layout + ".000000"
	}
	switch typ {
	case "DATE":
		return t.Format(time.DateOnly)
	case "TIME":
		return t.Format(frac("15:04:05"))
	case "TIMETZ", "TIME WITH TIME ZONE":
		return t.Format(frac("15:04:05") + "-07:00")
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return t.In(e.loc).Format(frac("2006-01-02 15:04:05") + "-07:00")
	case "TIMESTAMP_S":
		return t.Format("2006-01-02 15:04:05")
	case "TIMESTAMP_MS":
		return t.Format("2006-01-02 15:04:05.000")
	}
	// TIMESTAMP, TIMESTAMP_NS; a time of a type this cannot tell is written
	// whole, with its offset, never as a bare date.
	if typ == "TIMESTAMP" || typ == "TIMESTAMP_NS" || typ == "DATETIME" {
		return t.Format(frac("2006-01-02 15:04:05"))
	}
	return t.Format(frac("2006-01-02 15:04:05") + "-07:00")
}

// decimal writes a DECIMAL exactly, with its scale's digits.
func decimal(d duckdb.Decimal) string {
	if d.Value == nil {
		return "0"
	}
	s := new(big.Int).Abs(d.Value).String()
	neg := d.Value.Sign() < 0
	if sc := int(d.Scale); sc > 0 {
		if len(s) <= sc {
			s = strings.Repeat("0", sc-len(s)+1) + s
		}
		s = s[:len(s)-sc] + "." + s[len(s)-sc:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func uuid(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// blob writes bytes as DuckDB does: printable ASCII as it is, others \xHH.
func blob(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, `\x%02X`, c)
		}
	}
	return s.String()
}

// interval writes an INTERVAL as DuckDB does: "1 year 2 months 3 days 04:05:06".
func interval(iv duckdb.Interval) string {
	var parts []string
	unit := func(n int64, one, many string) {
		switch {
		case n == 1 || n == -1:
			parts = append(parts, fmt.Sprintf("%d %s", n, one))
		case n != 0:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	unit(int64(iv.Months/12), "year", "years")
	unit(int64(iv.Months%12), "month", "months")
	unit(int64(iv.Days), "day", "days")
	if us := iv.Micros; us != 0 || len(parts) == 0 {
		sign := ""
		if us < 0 {
			sign, us = "-", -us
		}
		clock := fmt.Sprintf("%s%02d:%02d:%02d", sign, us/3600e6, us/60e6%60, us/1e6%60)
		if frac := us % 1e6; frac != 0 {
			clock += fmt.Sprintf(".%06d", frac)
		}
		parts = append(parts, clock)
	}
	return strings.Join(parts, " ")
}

// appendString appends s as a JSON string; bytes that are not UTF-8 become
// U+FFFD.
func appendString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	j, _ := json.Marshal(s)
	return append(b, j...)
}
