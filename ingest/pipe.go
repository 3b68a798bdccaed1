package ingest

import (
	"errors"
	"sync"
)

// batchRows is how many rows a batch holds: DuckDB's vector size.
const batchRows = 2048

// pipeDepth is how many batches may wait between the reader and the appender.
const pipeDepth = 4

// rowPipe carries rows, typed as the raw tables want them, from the goroutine
// that reads a file to the one that appends: in batches, which are recycled,
// so that a row allocates nothing to cross.
type rowPipe struct {
	full  chan *rowBatch // batches to append, in order
	free  chan *rowBatch // appended batches, to fill again
	cur   *rowBatch
	nList int // elements of a list value

	stopOnce sync.Once
	stopped  chan struct{}
}

// rowBatch is rows for the raw tables: each row's values are a slice of vals.
type rowBatch struct {
	rows  []batchRow
	vals  []any
	lists []any // the elements of list values, nList each
	views []any // per list: a []any of lists, boxed once
	nl    int   // lists used
}

type batchRow struct {
	dest       *rawDest
	start, end int
}

var errPipeStopped = errors.New("ingest: appending stopped")

func newRowPipe(nList int) *rowPipe {
	p := &rowPipe{full: make(chan *rowBatch, pipeDepth), free: make(chan *rowBatch, pipeDepth+2), nList: nList, stopped: make(chan struct{})}
	for i := 0; i < pipeDepth+2; i++ {
		p.free <- &rowBatch{}
	}
	return p
}

// put adds a row for dest; the values are copied.
func (p *rowPipe) put(dest *rawDest, vals ...any) error {
	if p.cur == nil {
		select {
		case p.cur = <-p.free:
		case <-p.stopped:
			return errPipeStopped
		}
	}
	b := p.cur
	start := len(b.vals)
	b.vals = append(b.vals, vals...)
	b.rows = append(b.rows, batchRow{dest, start, len(b.vals)})
	if len(b.rows) == batchRows {
		return p.send()
	}
	return nil
}

// list makes a list value of the row being put from elems, copied: a []any.
func (p *rowPipe) list(elems []any) any {
	if p.cur == nil {
		select {
		case p.cur = <-p.free:
		case <-p.stopped:
			return nil // put says so
		}
	}
	b := p.cur
	if b.nl == len(b.views) {
		if cap(b.lists) == 0 {
			b.lists = make([]any, 2*batchRows*p.nList)
		}
		if (b.nl+1)*p.nList > len(b.lists) {
			// more lists than two a row: a new arena; the views made stay valid
			b.lists = make([]any, 2*batchRows*p.nList)
			b.views = b.views[:0]
			b.nl = 0
			return p.list(elems)
		}
		b.views = append(b.views, b.lists[b.nl*p.nList:(b.nl+1)*p.nList:(b.nl+1)*p.nList])
	}
	copy(b.lists[b.nl*p.nList:(b.nl+1)*p.nList], elems)
	v := b.views[b.nl]
	b.nl++
	return v
}

func (p *rowPipe) send() error {
	select {
	case p.full <- p.cur:
		p.cur = nil
		return nil
	case <-p.stopped:
		return errPipeStopped
	}
}

// closeSend sends the last batch and closes the pipe; the reader's last call.
func (p *rowPipe) closeSend() {
	if p.cur != nil && len(p.cur.rows) > 0 {
		p.send()
	}
	close(p.full)
}

// stop tells the reader that nothing more is appended.
func (p *rowPipe) stop() { p.stopOnce.Do(func() { close(p.stopped) }) }

// recycle hands an appended batch back to the reader.
func (p *rowPipe) recycle(b *rowBatch) {
	clear(b.vals)
	b.rows, b.vals, b.nl = b.rows[:0], b.vals[:0], 0
	select {
	case p.free <- b:
	default:
	}
}
