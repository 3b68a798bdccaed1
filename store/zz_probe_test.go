package store

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/duckdb/duckdb-go/v2"
)

func TestZZDSN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	c, err := duckdb.NewConnector(path+"?threads=1&memory_limit=512MB", nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(2)
	c1, _ := db.Conn(ctx)
	c2, _ := db.Conn(ctx)
	for _, cn := range []*sql.Conn{c1, c2} {
		var s string
		err := cn.QueryRowContext(ctx, "SELECT current_setting('TimeZone')||' '||current_setting('threads')||' '||current_setting('memory_limit')||' '||current_setting('enable_progress_bar')||' '||current_setting('autoinstall_known_extensions')").Scan(&s)
		t.Log(s, err)
	}
	// scope of SET TimeZone
	c1.ExecContext(ctx, "SET TimeZone='Asia/Ho_Chi_Minh'"); c1.ExecContext(ctx, "SET GLOBAL autoinstall_known_extensions=false")
	c1.ExecContext(ctx, "SET enable_progress_bar=true")
	c3, _ := db.Conn(ctx)
	for _, cn := range []*sql.Conn{c1, c2, c3} {
		var s string
		err := cn.QueryRowContext(ctx, "SELECT current_setting('TimeZone')||' '||current_setting('enable_progress_bar')").Scan(&s)
		t.Log("after SET on c1:", s, err)
	}
	rows, _ := c1.QueryContext(ctx, "SELECT name, scope FROM duckdb_settings() WHERE name IN ('TimeZone','threads','memory_limit','enable_progress_bar','autoinstall_known_extensions','enable_external_access','lock_configuration','Calendar','access_mode')")
	for rows.Next() {
		var n, s string
		rows.Scan(&n, &s)
		t.Log(n, s)
	}
}
