package wardfile

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// Peek tells a CSV file's encoding by its first peekScanBytes only, and
// still recognises the dataset of a file larger than that, in UTF-8 and in
// Windows-1258 (the header's bytes are not UTF-8); what it tells is what a
// whole read finds, here.
func TestPeekLargeCSV(t *testing.T) {
	cfg := pilotCfg(t)
	row := "TQD-%03d,Trần Văn Bình,nam,1975,Nông dân,TAN QUY DONG,Khóm 1,,8/12/2020\n"
	var body strings.Builder
	body.WriteString(citizensCSV)
	for i := 0; body.Len() < 2*peekScanBytes; i++ {
		body.WriteString(strings.Replace(row, "%03d", strings.Repeat("9", 1+i%3), 1))
	}
	cp1258, err := charmap.Windows1258.NewEncoder().Bytes([]byte(toneSeparated(body.String())))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		data []byte
	}{{"utf-8", []byte(body.String())}, {"windows-1258", cp1258}} {
		path := filepath.Join(dir, c.name+".csv")
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		ds, err := Peek(cfg, path, Hint{Ward: "tan-quy-dong"})
		if err != nil || !slices.Equal(ds, []string{"citizens"}) {
			t.Errorf("%s: Peek %v, %v; want [citizens]", c.name, ds, err)
		}
	}
}

// A scan of the beginning of a text does not count as invalid the sequence
// it cuts at its end; a scan of a whole text does.
func TestScanUTF8Cut(t *testing.T) {
	text := []byte(strings.Repeat("Nguyễn Thị Hoa, ", 30000))
	i := bytes.Index(text[300000:], []byte("ễ")) + 300000 + 1 // inside the letter's three bytes
	for _, cut := range []bool{true, false} {
		valid, _, invalid, err := scanUTF8(bytes.NewReader(text[:i]), cut)
		if err != nil || valid != cut || (invalid == 0) != cut {
			t.Errorf("cut %v: valid %v, %d invalid, %v", cut, valid, invalid, err)
		}
	}
	if valid, _, _, err := scanUTF8(bytes.NewReader(text), false); err != nil || !valid {
		t.Errorf("the whole text: valid %v, %v", valid, err)
	}
}
