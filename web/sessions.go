package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// sessions are the logins' sessions, kept in a file of the pipeline's data
// folder (data/sessions.json, mode 0600) so that they survive a restart of
// hoctap serve. The file holds, per session, only the SHA-256 of its id (the
// cookie's value), the user, when it expires, and a fingerprint of the
// credential it was opened with: someone who reads the file cannot take over
// a session, and a changed password or a removed user ends that user's
// sessions. Expired sessions are dropped whenever the file is written;
// logging out deletes the session at once.
//
// Only one process serves a workspace: the file is read once, at start, and
// written whole (a new file renamed over the old) at each login and logout.
type sessions struct {
	path string
	now  func() time.Time

	mu sync.Mutex
	m  map[string]storedSession // hex SHA-256 of the id → session
}

type storedSession struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
	// Credential is the hex SHA-256 of the user's password hash (or of the
	// token's hash) when the session began.
	Credential string `json:"credential"`
}

// sessionFile is the sessions' file beside the pipeline's database.
const sessionFile = "sessions.json"

// openSessions reads the sessions saved at path ("" keeps them in memory
// only). A file that cannot be read is reported and set aside: its sessions
// are lost, their users log in again.
func openSessions(path string, now func() time.Time) (*sessions, error) {
	s := &sessions{path: path, now: now, m: map[string]storedSession{}}
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return s, fmt.Errorf("web: sessions: %w", err)
	}
	if err := json.Unmarshal(b, &s.m); err != nil {
		s.m = map[string]storedSession{}
		return s, fmt.Errorf("web: sessions: %s is not a sessions file (%v): every user logs in again", path, err)
	}
	return s, nil
}

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// get returns the session of id, if it has not expired.
func (s *sessions) get(id string) (storedSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[sessionKey(id)]
	if !ok || !s.now().Before(ss.Expires) {
		return storedSession{}, false
	}
	return ss, true
}

// add saves a new session; it is kept only if the file could be written.
func (s *sessions) add(id string, ss storedSession) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := sessionKey(id)
	s.m[k] = ss
	if err := s.save(); err != nil {
		delete(s.m, k)
		return err
	}
	return nil
}

// remove ends the session of id.
func (s *sessions) remove(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := sessionKey(id)
	if _, ok := s.m[k]; !ok {
		return nil
	}
	delete(s.m, k)
	return s.save()
}

// save drops the expired sessions and writes the rest, atomically, with
// mode 0600. Called with mu held.
func (s *sessions) save() error {
	now := s.now()
	for k, ss := range s.m {
		if !now.Before(ss.Expires) {
			delete(s.m, k)
		}
	}
	if s.path == "" {
		return nil
	}
	b, err := json.MarshalIndent(s.m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("web: sessions: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(s.path), ".sessions-*.json")
	if err != nil {
		return fmt.Errorf("web: sessions: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	// CreateTemp makes the file 0600: no other user reads it.
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("web: sessions: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("web: sessions: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("web: sessions: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("web: sessions: %w", err)
	}
	return nil
}
