// Package doc is the monthly report as a document: an official header block,
// headings, paragraphs, headline figures, tables and charts, in the order the
// committee reads them. The report package composes a Document from the data;
// this package writes it as self-contained HTML, as an A4 PDF with its fonts
// embedded, and as an XLSX workbook of its tables. Everything shown is already
// formatted (numbers and dates in the report's language): writers lay out, they
// never compute.
package doc

import "time"

// Document is one report in one language, in the order of Nghị định
// 30/2020/NĐ-CP: the header block, the title and its summary line, the body,
// the closing (recipients and signer), then the annexes.
type Document struct {
	Lang     string // "vi" or "en"
	Title    string // "BÁO CÁO"
	Subtitle string // the summary line under the title, bold: "Kết quả thí điểm … tháng 3 năm 2021"
	Header   Header
	Blocks   []Block
	Closing  Closing
	// Annexes follow the closing, each from a new page.
	Annexes []Annex
	// Footer is printed at the foot of every PDF page beside the page number
	// ("Báo cáo tháng 03/2021 — phiên bản 2").
	Footer string
}

// Header is the official block of a Vietnamese administrative document
// (Nghị định 30/2020/NĐ-CP): the issuing body on the left, the national motto
// on the right, then the number and the place-and-date line.
type Header struct {
	ParentOrg string // "HỘI KHUYẾN HỌC TỈNH ĐỒNG THÁP" (may be empty)
	Org       string // "HỘI KHUYẾN HỌC THÀNH PHỐ SA ĐÉC", printed bold
	Number    string // "Số: …/BC-HKH"
	Motto     string // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold
	Motto2    string // "Độc lập - Tự do - Hạnh phúc", bold, underlined
	PlaceDate string // "Sa Đéc, ngày 01 tháng 4 năm 2021", italic
}

// Closing ends the document: the recipients on the left ("Nơi nhận:"), the
// signer on the right.
type Closing struct {
	RecipientsLabel string // "Nơi nhận:"
	Recipients      []string
	SignerRole      string // "TM. BAN THƯỜNG VỤ"
	SignerTitle     string // "CHỦ TỊCH"
	SignerName      string
}

// Annex is an annex of the document ("Phụ lục"): it starts a page with its
// title and the line that ties it to the document ("(Kèm theo Báo cáo số
// …/BC-HKH ngày 01/4/2021 của …)"), both centred.
type Annex struct {
	Title string // "PHỤ LỤC\nDANH SÁCH …"; lines split at "\n"
	Ref   string // "(Kèm theo …)", italic
	ID    string // anchor in HTML
	// Landscape lays the annex's pages out on A4 landscape, for tables too
	// wide for a portrait page.
	Landscape bool
	Blocks    []Block
}

// Block is one part of the body: *Heading, *Paragraph, *Figures, *Table,
// *Chart or *PageBreak.
type Block interface{ block() }

// Heading starts a section (Level 1) or a sub-section (Level 2).
type Heading struct {
	Level int
	Text  string
	ID    string // anchor in HTML; unique in the document
}

// Paragraph is running text. Bullet paragraphs are list items.
type Paragraph struct {
	Text   string
	Bullet bool
	Note   bool // smaller, muted: a source or a caveat
}

// Figures are the headline figures, shown as a row of boxes.
type Figures struct {
	Items []Figure
}

// Figure is one headline number.
type Figure struct {
	Label  string // "Công dân học tập được công nhận"
	Value  string // "25"
	Change string // "+3 so với tháng trước"; may be empty
	Note   string // the denominator: "80,6% số đăng ký (31)"
}

// Table is a table of the report; it is also a sheet of the XLSX.
type Table struct {
	ID      string // short name, also the sheet name (≤ 31 characters)
	Title   string
	Columns []Column
	Rows    [][]Cell
	// Total, if set, is printed last in bold.
	Total []Cell
	Note  string // under the table: denominators, sources
	// Limit caps the rows shown in the PDF and the HTML (0: all): a city's
	// annex of 100,000 people belongs in a spreadsheet. The XLSX holds every
	// row; LimitNote says so where the rows stop.
	Limit     int
	LimitNote string
	// All, when set, gives every row of a table longer than Limit, one at a
	// time, for the XLSX, in place of Rows (which then need hold only the
	// first Limit): a long list is read as it is written, never held whole.
	All func(yield func([]Cell) error) error
}

// cut reports whether the PDF and the HTML show only the first Limit rows.
func (t *Table) cut() bool { return t.Limit > 0 && (len(t.Rows) > t.Limit || t.All != nil) }

// Align says how a column's cells align.
type Align int

// Alignments.
const (
	Left Align = iota
	Right
	Center
)

// Column is one column of a table.
type Column struct {
	Name  string
	Align Align
	// Width is the column's share of the table's width in the PDF, in any
	// unit (the shares are normalised); 0: equal shares. Every column first
	// gets the width of its longest word, so that no word, code or date is
	// broken; the shares divide what is left.
	Width float64
	// NumFmt is the XLSX number format of the column's values ("0", "0.0",
	// "0.0%", "dd/mm/yyyy"); empty for text.
	NumFmt string
}

// Cell is one value: Text is what HTML and PDF show; Value what the XLSX
// stores (int64, float64, time.Time, string or nil; a share is a fraction
// 0–1 with a % format).
type Cell struct {
	Text  string
	Value any
	Mark  Mark
}

// Mark draws attention to a cell, readable in black and white too (bold,
// italic), not by colour alone.
type Mark int

// Marks.
const (
	Plain Mark = iota
	Good       // bold
	Bad        // bold italic, and red where there is colour
	Muted      // grey
)

// Chart is a figure: the same drawing as SVG for the HTML and as PNG for the
// PDF and for reuse.
type Chart struct {
	ID      string // file name stem of the PNG: "01-goals"
	Title   string // "Hình 1. …"
	Caption string // under the chart: what a rate is of, what the marks mean
	SVG     []byte
	PNG     []byte
	// Width and Height are the drawing's size in points (1/72 inch), the
	// aspect the PDF keeps.
	Width, Height float64
}

// PageBreak starts a new page in the PDF; the HTML ignores it but for print.
type PageBreak struct{}

func (*Heading) block()   {}
func (*Paragraph) block() {}
func (*Figures) block()   {}
func (*Table) block()     {}
func (*Chart) block()     {}
func (*PageBreak) block() {}

// Info is what a written file says about itself.
type Info struct {
	Title     string
	Author    string // the issuing organisation
	Generated time.Time
}

// AllBlocks is every block of d: the body's, then each annex's.
func (d *Document) AllBlocks() []Block {
	all := append([]Block(nil), d.Blocks...)
	for _, a := range d.Annexes {
		all = append(all, a.Blocks...)
	}
	return all
}
