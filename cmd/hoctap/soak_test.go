package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeUnderLoad is a bounded soak of a real hoctap serve: while ward
// files keep arriving in its inbox (ingest, then transform, at the button's
// request), a few hundred requests of every page, console queries and CSV
// downloads, clients that read slowly or not at all and one that never
// finishes its request. Every page is answered, every file is loaded once,
// the server drops the clients that hold it past its timeouts, a 200 MB
// query result costs the server only the result cap, and what the files
// carried (a file name and a title with HTML in them) is shown as text.
func TestServeUnderLoad(t *testing.T) {
	clean := newPilotWorkspace(t, t.TempDir())
	runHoctap(t, clean, "ingest")
	xss := addXSSFile(t, clean)
	if r := runHoctap(t, clean, "ingest"); r.code != exitOK {
		t.Fatalf("ingest of the extra file: exit %d %s", r.code, r.stderr)
	}
	want := ingestState(t, clean)

	ws := newPilotWorkspace(t, t.TempDir())
	addXSSFile(t, ws)
	// Hold back every file but the registrations, which load first.
	held := filepath.Join(ws, "held")
	var later []string
	inbox := filepath.Join(ws, "data/inbox")
	filepath.WalkDir(inbox, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "DS_dang_ky") {
			rel, _ := filepath.Rel(inbox, p)
			later = append(later, rel)
		}
		return err
	})
	sort.Strings(later)
	for _, rel := range later {
		os.MkdirAll(filepath.Dir(filepath.Join(held, rel)), 0o700)
		if err := os.Rename(filepath.Join(inbox, rel), filepath.Join(held, rel)); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"ingest"}, {"transform", "--quiet"}} {
		if r := runHoctap(t, ws, args...); r.code != exitOK {
			t.Fatalf("%v: exit %d %s", args, r.code, r.stderr)
		}
	}
	// Short limits, so that the test sees them act.
	cfg, _ := os.ReadFile(filepath.Join(ws, "pipeline.yaml"))
	// The console's queries get 7 s, as long as the page written around
	// them allows (a busy machine is slow; the timeout itself is tested in
	// query).
	cfg = regexp.MustCompile(`(?m)^  query_timeout: .*$`).ReplaceAll(cfg, []byte("  query_timeout: 7s"))
	cfg = regexp.MustCompile(`(?m)^  (read|write|idle)_timeout: .*$`).ReplaceAll(cfg, []byte("  ${1}_timeout: 8s"))
	if err := os.WriteFile(filepath.Join(ws, "soak.yaml"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, ws, "--config", "soak.yaml", "--listen", "127.0.0.1:0")
	checkResultMemory(t, s)

	client := &http.Client{Timeout: time.Minute}
	button := &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var answered, failed atomic.Int64
	fail := func(format string, args ...any) {
		failed.Add(1)
		t.Errorf(format, args...)
	}
	get := func(path string) string {
		resp, err := client.Get(s.base + path)
		if err != nil {
			fail("GET %s: %v", path, err)
			return ""
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			fail("GET %s: %d %v\n%.500s", path, resp.StatusCode, err, b)
			return ""
		}
		answered.Add(1)
		return string(b)
	}
	pages := []string{"/", "/?month=2021-03&lang=en", "/quality", "/quality?month=2021-05", "/runs", "/reports", "/healthz", "/metrics",
		"/sql?q=" + url.QueryEscape("SELECT ward, count(*) AS n FROM citizens GROUP BY ward ORDER BY ward"),
		"/sql?q=" + url.QueryEscape("SELECT * FROM progress_monthly ORDER BY ALL LIMIT 500"),
		"/sql.csv?q=" + url.QueryEscape("SELECT * FROM ingest_files"),
		"/sql?q=" + url.QueryEscape("SELECT 1 AS x$y$; SELECT 2 AS z$y$"), // refused: 400
		"/style.css",
	}

	began := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	// Five browsers, page after page.
	for b := 0; b < 5; b++ {
		wg.Add(1)
		go func(b int) {
			defer wg.Done()
			for i := 0; i < 52; i++ {
				p := pages[(i*5+b)%len(pages)]
				if strings.Contains(p, "x%24y%24") {
					resp, err := client.Get(s.base + p)
					if err != nil {
						fail("the refused query: %v", err)
					} else if resp.StatusCode != http.StatusBadRequest {
						resp.Body.Close()
						fail("a query with two statements: %s, want 400", resp.Status)
					} else {
						answered.Add(1)
						resp.Body.Close()
					}
					continue
				}
				get(p)
			}
		}(b)
	}
	// Clients that ask for 9 MB and read a kilobyte a second: the server
	// gives up on them after server.write_timeout (8 s here).
	var slowDropped atomic.Int64
	for c := 0; c < 3; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2; i++ {
				if !slowRead(t, s.base, "/sql.csv?q="+url.QueryEscape("SELECT repeat('x', 1000) AS s FROM range(9000)"), 12*time.Second) {
					slowDropped.Add(1)
				}
			}
		}()
	}
	// A client that never finishes its request is let go.
	wg.Add(1)
	go func() {
		defer wg.Done()
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
		if err != nil {
			fail("dial: %v", err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
		conn.SetReadDeadline(time.Now().Add(time.Minute))
		if _, err := io.ReadAll(conn); err != nil {
			fail("a request never finished: the server kept the connection a minute (%v)", err)
		}
	}()
	// Ward files arrive in batches; the button asks for them.
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for len(later) > 0 {
			n := min(11, len(later))
			for _, rel := range later[:n] {
				os.MkdirAll(filepath.Dir(filepath.Join(inbox, rel)), 0o700)
				if err := os.Rename(filepath.Join(held, rel), filepath.Join(inbox, rel)); err != nil {
					fail("%v", err)
				}
			}
			later = later[n:]
			req, _ := http.NewRequest(http.MethodPost, s.base+"/jobs/ingest", nil)
			req.Header.Set("Origin", s.base)
			if resp, err := button.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
				fail("the ingest button: %v %v", resp.Status, err)
			} else {
				resp.Body.Close()
			}
			time.Sleep(2 * time.Second)
		}
	}()
	wg.Wait()
	<-done
	t.Logf("the load took %s", time.Since(began).Round(time.Second))
	// Every file is taken from the inbox; the extra one's transform shows
	// its name, and its HTML as text.
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(2 * time.Second) {
		waiting, _ := filepath.Glob(filepath.Join(inbox, "*", "*"))
		if len(waiting) == 0 && strings.Contains(get("/quality"), "Hoat_dong_&lt;img src=x onerror=alert(1)&gt;_T06") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("files still waiting in the inbox: %v\n%s", waiting, s.out.String())
		}
		req, _ := http.NewRequest(http.MethodPost, s.base+"/jobs/ingest", nil)
		req.Header.Set("Origin", s.base)
		if resp, err := button.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	for _, p := range []string{"/quality", "/sql?q=" + url.QueryEscape("SELECT title FROM activities WHERE title LIKE '%alert%'")} {
		if body := get(p); strings.Contains(body, xss.title) || strings.Contains(body, "<img src=x") {
			t.Errorf("%s shows a file's HTML as HTML", p)
		}
	}
	if body := get("/sql?q=" + url.QueryEscape("SELECT title FROM activities WHERE title LIKE '%alert%'")); !strings.Contains(body, "<td>&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;</td>") {
		t.Errorf("the console does not show the title as text:\n%s", body)
	}
	if h := get("/healthz"); !strings.HasPrefix(h, `{"status":"ok"`) {
		t.Errorf("/healthz after the soak: %s", h)
	}
	t.Logf("%d requests answered, %d failed; %d slow clients dropped by the server", answered.Load(), failed.Load(), slowDropped.Load())
	if answered.Load() < 250 {
		t.Errorf("only %d requests answered", answered.Load())
	}
	if slowDropped.Load() == 0 {
		t.Error("no client that read too slowly was dropped: server.write_timeout did not act")
	}
	s.stop(t) // after the job that runs, if one does
	if got := ingestState(t, ws); got != want {
		t.Errorf("after the soak:\n got %s\nwant %s (every file loaded once, as one ingest of them all does)", got, want)
	}
}

type xssFile struct{ name, title string }

// addXSSFile drops an activities file whose name and one title hold HTML.
func addXSSFile(t *testing.T, ws string) xssFile {
	t.Helper()
	f := xssFile{name: "Hoat_dong_<img src=x onerror=alert(1)>_T06-2021.csv", title: `<script>alert("xss")</script>`}
	csv := "Ngày,Xã/phường,Loại hoạt động,Nội dung,Số người tham dự,Số giờ\n12/06/2021,P. Tân Quy Đông,Tuyên truyền,\"" + strings.ReplaceAll(f.title, `"`, `""`) + "\",12,2\n"
	os.MkdirAll(filepath.Join(ws, "data/inbox/tan-quy-dong"), 0o700)
	if err := os.WriteFile(filepath.Join(ws, "data/inbox/tan-quy-dong", f.name), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// slowRead asks for path and reads its answer a kilobyte a second for d,
// then as fast as it can, and reports whether the whole answer came: its
// last chunk, before the connection ended.
func slowRead(t *testing.T, base, path string, d time.Duration) bool {
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Errorf("dial: %v", err)
		return false
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path)
	var tail []byte
	keep := func(b []byte) {
		tail = append(tail, b...)
		if len(tail) > 64 {
			tail = tail[len(tail)-64:]
		}
	}
	buf := make([]byte, 1024)
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(time.Second) {
		conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		keep(buf[:n])
		if err != nil && !isTimeout(err) {
			return strings.HasSuffix(string(tail), "\r\n0\r\n\r\n")
		}
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		n, err := conn.Read(buf)
		keep(buf[:n])
		if err != nil {
			return strings.HasSuffix(string(tail), "\r\n0\r\n\r\n")
		}
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// checkResultMemory asks serve's console for a 200 MB result: it gets the
// rows within database.max_result_size (16 MB), and serve's own memory
// grows by little more than that, the query's process having held the rest.
func checkResultMemory(t *testing.T, s *server) {
	t.Helper()
	pid := s.cmd.Process.Pid
	rss := func(field string) int64 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return -1
		}
		m := regexp.MustCompile(field + `:\s+(\d+) kB`).FindSubmatch(b)
		if m == nil {
			return -1
		}
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		return n << 10
	}
	if rss("VmRSS") < 0 {
		t.Fatal("this system does not show a process's memory in /proc: the memory check needs Linux")
	}
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0o600) // peak := now
	before := rss("VmRSS")
	resp, err := http.Get(s.base + "/sql.csv?q=" + url.QueryEscape("SELECT repeat('x', 1048576) AS mb FROM range(200)"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	peak := rss("VmHWM")
	t.Logf("a 200 MB result: %d bytes sent (%s); serve's memory %d MB before, peak %d MB during", n, resp.Header.Get("X-Hoctap-Truncated"), before>>20, peak>>20)
	if resp.StatusCode != http.StatusOK || n > 17<<20 || n < 14<<20 || !strings.Contains(resp.Header.Get("X-Hoctap-Truncated"), "database.max_result_size") {
		t.Errorf("a 200 MB result: %d, %d bytes, %q; want the first 16 MB and why", resp.StatusCode, n, resp.Header.Get("X-Hoctap-Truncated"))
	}
	if peak-before > 96<<20 {
		t.Errorf("serve's memory grew by %d MB for a result capped at 16 MB", (peak-before)>>20)
	}
}
