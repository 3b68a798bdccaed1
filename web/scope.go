package web

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/hoctap/hoctap/store"
)

// scope is what a request may see: the wards its login is limited to
// (server.auth.users[].wards), or every ward (the committee's logins, the
// token, and everyone when no authentication is configured).
//
// A ward login reads only its wards' snapshot (config.Paths.WardSnapshot),
// which transform writes at each publication with nothing but those wards'
// rows: its pages and its SQL console read that file, never the full
// snapshot, so that a page's query that forgot a ward filter still shows
// nothing of another ward. What is not in a snapshot is kept from it too:
// the city's reports (their annexes list every ward's people), the job runs
// (their errors name files of any ward), the other wards' outbox rows and
// receipts, and the buttons that start jobs.
type scope struct {
	user  string
	wards []string // sorted; nil: every ward
}

// all reports whether the scope is the committee's: every ward.
func (s scope) all() bool { return s.wards == nil }

// has reports whether ward is within the scope.
func (s scope) has(ward string) bool { return s.all() || slices.Contains(s.wards, ward) }

// scopeOf is the scope of the request whose context is ctx.
func (a *App) scopeOf(ctx context.Context) scope {
	user, _ := ctx.Value(userKey{}).(string)
	return scope{user: user, wards: a.auth.wards[user]}
}

// snapshotOf is the snapshot the scope reads.
func (a *App) snapshotOf(s scope) *store.Snapshot {
	if s.all() {
		return a.opt.Snapshot
	}
	path := a.cfg.Paths.WardSnapshot(s.wards)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.wardSnaps == nil {
		a.wardSnaps = map[string]*store.Snapshot{}
	}
	snap, ok := a.wardSnaps[path]
	if !ok {
		snap = &store.Snapshot{Path: path, Options: a.opt.Snapshot.Options}
		a.wardSnaps[path] = snap
	}
	return snap
}

var errNoWardSnapshot = errors.New("chưa có bản công bố cho các xã, phường của tài khoản này: dữ liệu hiện ra sau lần tính toán tới — " +
	"no snapshot of this login's wards yet: the data shows after the next transform")

// committeeOnly refuses a ward login what only the committee may see.
func (a *App) committeeOnly(w http.ResponseWriter, r *http.Request) bool {
	if a.scopeOf(r.Context()).all() {
		return false
	}
	a.fail(w, r, http.StatusForbidden, errCommittee)
	return true
}

var errCommittee = errors.New("trang này chỉ dành cho tài khoản của Ban chỉ đạo thành phố, không cho tài khoản của xã, phường — " +
	"this page is for the city committee's logins only, not for a ward's")
