package doc

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"golang.org/x/text/unicode/norm"
)

//go:embed report.html.tmpl
var htmlTemplate string

var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"lines": func(s string) []string { return strings.Split(s, "\n") },
	"align": func(a Align) string {
		switch a {
		case Right:
			return "r"
		case Center:
			return "c"
		}
		return ""
	},
	"mark": func(m Mark) string {
		switch m {
		case Good:
			return "good"
		case Bad:
			return "bad"
		case Muted:
			return "muted"
		}
		return ""
	},
	// svg marks a chart's drawing as safe: reports/chart writes it and escapes
	// every text in it.
	"svg": func(b []byte) template.HTML { return template.HTML(b) },
	"kind": func(b Block) string {
		switch b.(type) {
		case *Heading:
			return "heading"
		case *Paragraph:
			return "paragraph"
		case *Figures:
			return "figures"
		case *Table:
			return "table"
		case *Chart:
			return "chart"
		case *PageBreak:
			return "pagebreak"
		}
		return ""
	},
	"bullets": bulletRuns,
	"shown": func(t *Table) [][]Cell {
		if t.Limit > 0 && len(t.Rows) > t.Limit {
			return t.Rows[:t.Limit]
		}
		return t.Rows
	},
	"cut": func(t *Table) bool { return t.cut() },
}).Parse(htmlTemplate))

// run is a paragraph, or a run of consecutive bullet paragraphs.
type run struct {
	Block   Block
	Bullets []*Paragraph
}

// bulletRuns groups consecutive bullet paragraphs into one list.
func bulletRuns(blocks []Block) []run {
	var out []run
	for _, b := range blocks {
		if p, ok := b.(*Paragraph); ok && p.Bullet {
			if n := len(out); n > 0 && out[n-1].Bullets != nil {
				out[n-1].Bullets = append(out[n-1].Bullets, p)
				continue
			}
			out = append(out, run{Bullets: []*Paragraph{p}})
			continue
		}
		out = append(out, run{Block: b})
	}
	return out
}

// WriteHTML writes d as one self-contained HTML page: styles inline, charts as
// inline SVG, nothing fetched from the network; it prints on A4.
func WriteHTML(w io.Writer, d *Document) error {
	var b strings.Builder
	if err := htmlPage.Execute(&b, d); err != nil {
		return fmt.Errorf("doc: html: %w", err)
	}
	_, err := io.WriteString(w, norm.NFC.String(b.String()))
	return err
}

// WriteHTMLBlocks writes blocks as an HTML fragment, the way WriteHTML writes
// a report's body, for a page that shows a part of a report; BlockStyle is the
// CSS they need.
func WriteHTMLBlocks(w io.Writer, blocks []Block) error {
	var b strings.Builder
	if err := htmlPage.ExecuteTemplate(&b, "blocks", blocks); err != nil {
		return fmt.Errorf("doc: html: %w", err)
	}
	_, err := io.WriteString(w, norm.NFC.String(b.String()))
	return err
}

// BlockStyle is the CSS of the blocks WriteHTMLBlocks writes. It uses the
// custom properties --rule, --head, --muted and --bad for its colours.
func BlockStyle() string {
	var b strings.Builder
	if err := htmlPage.ExecuteTemplate(&b, "blockstyle", nil); err != nil {
		panic(err) // a fixed template without data cannot fail
	}
	return b.String()
}
