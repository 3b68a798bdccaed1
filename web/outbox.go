package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/hoctap/hoctap/deliver"
)

// Outbox is the outbox as the serve process last read it: the pipeline's
// database is the delivery job's to open, not a page's, so each delivery run
// hands its rows here (the snapshot's outbox table is only as fresh as its
// publication).
type Outbox struct {
	mu   sync.Mutex
	rows []deliver.Row
	at   time.Time
}

// Set keeps rows, the outbox's newest messages, as read at at.
func (o *Outbox) Set(rows []deliver.Row, at time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rows, o.at = rows, at
}

func (o *Outbox) get() ([]deliver.Row, time.Time) {
	if o == nil {
		return nil, time.Time{}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.rows, o.at
}

type outboxView struct {
	Enabled bool
	Rows    []deliver.Row
	At      time.Time
	Counts  map[string]int
	Unsent  int // failed or deferred: what the button sends again
	Trigger bool
	Started string
}

func (a *App) outbox(w http.ResponseWriter, r *http.Request) {
	sc := a.scopeOf(r.Context())
	v := &outboxView{Enabled: a.cfg.Delivery.Enabled(), Trigger: a.opt.Trigger != nil && sc.all(), Started: r.URL.Query().Get("started"), Counts: map[string]int{}}
	rows, at := a.opt.Outbox.get()
	v.At = at
	for _, row := range rows {
		// A ward login sees its wards' messages only: not the committee's,
		// not the webhooks', not another ward's.
		if !sc.all() && (row.Ward == "" || !sc.has(row.Ward)) {
			continue
		}
		v.Rows = append(v.Rows, row)
		v.Counts[string(row.Status)]++
		if row.Status == deliver.Failed || row.Status == deliver.Deferred {
			v.Unsent++
		}
	}
	a.render(w, http.StatusOK, "outbox", a.newPage(w, r, "outbox", "Thư gửi đi", "Outbox", v))
}
