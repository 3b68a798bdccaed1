package sample

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// decimalComma writes a number the Vietnamese way: 8,5.
func decimalComma(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// webform writes a round of Tân Quy Đông's surveys as its web form exports
// them: UTF-8 with a byte-order mark, ';' between fields, CRLF line ends, the
// form's own headers ("Dấu thời gian", "Đợt khảo sát"), the moment each
// answer was submitted and decimal commas. The form asks for self scores only.
func (p *pilot) webform(w config.Ward, round string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	cw := csv.NewWriter(&b)
	cw.Comma, cw.UseCRLF = ';', true
	head := []string{"Dấu thời gian", "Mã công dân", "Đợt khảo sát"}
	for _, ind := range p.cfg.Citizen.Indicators {
		head = append(head, fmt.Sprintf("Chỉ số %d", ind.Number))
	}
	if err := cw.Write(head); err != nil {
		return nil, err
	}
	for _, per := range p.people[w.Code] {
		d := p.assessed[round][per.ID]
		// People fill the form in from the morning to late evening.
		stamp := time.Date(d.Year(), d.Month(), d.Day(), 7+p.send.IntN(15), p.send.IntN(60), p.send.IntN(60), 0, p.loc)
		rec := []string{stamp.Format("02/01/2006 15:04:05"), per.ID, p.roundLabel(w.Code, round)}
		for _, v := range p.self[round][per.ID] {
			rec = append(rec, decimalComma(v))
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return b.Bytes(), cw.Error()
}

// csvFile is one CSV export streamed to disk: rows go through a 64 KiB
// buffer, so memory does not grow with the number of rows.
type csvFile struct {
	f    *os.File
	w    *csv.Writer
	file File
	path string
	rows int
}

// createCSV starts root/f.Path with a header row.
func createCSV(root string, f File, header []string) (*csvFile, error) {
	p := filepath.Join(root, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	h, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	// csv.NewWriter keeps a *bufio.Writer that is large enough as it is.
	c := &csvFile{f: h, w: csv.NewWriter(bufio.NewWriterSize(h, 1<<16)), file: f, path: p}
	if err := c.w.Write(header); err != nil {
		h.Close()
		return nil, err
	}
	return c, nil
}

func (c *csvFile) write(rec []string) error {
	c.rows++
	return c.w.Write(rec)
}

// close flushes the file, closes it and dates it with its send time.
func (c *csvFile) close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		c.f.Close()
		return fmt.Errorf("write %s: %w", c.file.Path, err)
	}
	if err := c.f.Close(); err != nil {
		return err
	}
	return os.Chtimes(c.path, c.file.SentAt, c.file.SentAt)
}
