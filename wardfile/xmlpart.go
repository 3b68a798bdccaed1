package wardfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/orisano/gosax"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// The XML of a workbook's parts, streamed with gosax: its events with the
// names the readers look for, entities decoded, and the guards around it.

// errNoPart is a part the workbook lacks.
var errNoPart = errors.New("no such part")

// xmlEvent is one token of a part's XML, names without their prefix.
type xmlEvent struct {
	kind uint8
	name string // of an element; interned for the names the reader looks for
	tag  []byte // a start tag, for its attributes
	text []byte // character data, entities decoded
}

// attrs calls fn with each attribute's local name and value, entities
// decoded; both are valid only during the call.
func (ev xmlEvent) attrs(fn func(k, v []byte)) error {
	_, b := gosax.Name(ev.tag)
	for len(b) > 0 {
		a, rest, err := gosax.NextAttribute(b)
		if err != nil {
			return badXML(err)
		}
		if len(a.Key) == 0 {
			break
		}
		v := a.Value
		if len(v) >= 2 {
			v = v[1 : len(v)-1]
		}
		if v, err = gosax.Unescape(v); err != nil {
			return badXML(err)
		}
		k := a.Key
		if i := bytes.IndexByte(k, ':'); i >= 0 {
			k = k[i+1:]
		}
		fn(k, v)
		b = rest
	}
	return nil
}

// attr is one attribute's value, for messages.
func (ev xmlEvent) attr(name string) string {
	var out string
	ev.attrs(func(k, v []byte) {
		if string(k) == name {
			out = string(v)
		}
	})
	return out
}

// localName is an element's name without its prefix: the names the reader
// looks for as constants (no allocation), any other as "?".
func localName(b []byte) string {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	switch string(b) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "row":
		return "row"
	case "f":
		return "f"
	case "is":
		return "is"
	case "t":
		return "t"
	case "r":
		return "r"
	case "rPh":
		return "rPh"
	case "si":
		return "si"
	case "sheetData":
		return "sheetData"
	case "sheet":
		return "sheet"
	case "workbookPr":
		return "workbookPr"
	case "Relationship":
		return "Relationship"
	}
	return "?"
}

// scan streams a part's XML events to fn until fn returns an error or the
// part ends; to its end when verify, so that the zip's checksum is checked.
func (x *xlsxSource) scan(part string, verify bool, fn func(xmlEvent) error) error {
	f := x.parts[part]
	if f == nil {
		return errNoPart
	}
	rc, err := f.Open()
	if err != nil {
		return badXML(err)
	}
	defer rc.Close()
	r, err := decodedXML(rc)
	if err != nil {
		return err
	}
	g := &tokenGuard{r: r, max: x.maxToken}
	xr := gosax.NewReaderSize(g, 64<<10)
	xr.EmitSelfClosingTag = true
	selfClosed := false
	for {
		e, err := xr.Event()
		if err != nil {
			return partError(err)
		}
		ev := xmlEvent{kind: e.Type()}
		if ev.kind != gosax.EventEnd || !selfClosed {
			g.consumed += int64(len(e.Bytes)) // a self-closing tag's end is its start again
		}
		selfClosed = false
		switch ev.kind {
		case gosax.EventStart:
			name, _ := gosax.Name(e.Bytes)
			ev.name, ev.tag = localName(name), e.Bytes
			selfClosed = bytes.HasSuffix(e.Bytes, []byte("/>"))
		case gosax.EventEnd:
			name, _ := gosax.Name(e.Bytes)
			ev.name = localName(name)
		case gosax.EventText:
			if ev.text, err = gosax.Unescape(e.Bytes); err != nil {
				return badXML(err)
			}
		case gosax.EventCData:
			if !bytes.HasPrefix(e.Bytes, []byte("<![CDATA[")) || len(e.Bytes) < len("<![CDATA[]]>") {
				return badXML(fmt.Errorf("a malformed CDATA section %q", e.Bytes[:min(len(e.Bytes), 20)]))
			}
			ev.text = e.Bytes[len("<![CDATA[") : len(e.Bytes)-len("]]>")]
		case gosax.EventDocType:
			return badXML(errors.New("a document type declaration"))
		}
		if err := fn(ev); err != nil {
			return err
		}
		if ev.kind == gosax.EventEOF {
			return nil
		}
		if ev.kind == gosax.EventEnd && ev.name == "sheetData" && verify {
			if _, err := io.Copy(io.Discard, rc); err != nil {
				return partError(err)
			}
			return nil
		}
	}
}

// xmlError is a part whose content cannot be read.
type xmlError struct{ err error }

func (e *xmlError) Error() string { return e.err.Error() }

func badXML(err error) error { return &xmlError{err} }

// partError is a failure reading a part: the file's own (an I/O error) as it
// is, anything else a part that cannot be read.
func partError(err error) error {
	var ioErr *ioError
	var bad *xmlError
	switch {
	case errors.As(err, &ioErr), errors.As(err, &bad):
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return badXML(errors.New("the XML is cut short"))
	}
	return badXML(err)
}

// tokenGuard refuses a part once the bytes read but not yet given out as
// events exceed max: one token (a cell's text, a tag) longer than any cell
// may be is not buffered whole. It also never returns 0 bytes without an
// error, which the tokenizer would take for the end.
type tokenGuard struct {
	r             io.Reader
	read          int64
	consumed, max int64
}

func (g *tokenGuard) Read(p []byte) (int, error) {
	if g.read-g.consumed > g.max {
		return 0, badXML(fmt.Errorf("one piece of the sheet's XML is longer than %s", sizeText(g.max)))
	}
	for {
		n, err := g.r.Read(p)
		g.read += int64(n)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// decodedXML gives a part's XML as UTF-8: a UTF-16 one (told by its byte
// order mark) or one declaring another encoding is decoded.
func decodedXML(r io.Reader) (io.Reader, error) {
	head := make([]byte, 256)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, partError(err)
	}
	head = head[:n]
	whole := io.MultiReader(bytes.NewReader(head), r)
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(whole), nil
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		return io.MultiReader(bytes.NewReader(head[3:]), r), nil
	}
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return whole, nil
	}
	decl := head
	if i := bytes.Index(decl, []byte("?>")); i >= 0 {
		decl = decl[:i]
	}
	i := bytes.Index(decl, []byte("encoding="))
	if i < 0 || len(decl) < i+len("encoding=")+2 {
		return whole, nil
	}
	q := decl[i+len("encoding=")]
	label := decl[i+len("encoding=")+1:]
	if j := bytes.IndexByte(label, q); j >= 0 {
		label = label[:j]
	}
	switch strings.ToLower(string(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return whole, nil
	}
	enc, err := htmlindex.Get(string(label))
	if err != nil {
		return nil, badXML(fmt.Errorf("the XML's encoding %q is unknown", label))
	}
	return enc.NewDecoder().Reader(whole), nil
}
