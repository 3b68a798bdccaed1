package store

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/duckdb/duckdb-go/v2"
)

func TestZZDSN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	c, err := duckdb.NewConnector(path+"?threads=1&memory_limit=512MB&autoinstall_known_extensions=false", nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(4)
	c1, _ := db.Conn(ctx)
	c2, _ := db.Conn(ctx)
	for _, q := range []string{"SET GLOBAL TimeZone='Asia/Ho_Chi_Minh'", "SET GLOBAL enable_progress_bar=false", "SET GLOBAL Calendar='gregorian'", "SET GLOBAL lock_configuration=true"} {
		_, err := c1.ExecContext(ctx, q)
		t.Log(q, err)
	}
	c3, _ := db.Conn(ctx)
	for _, cn := range []*sql.Conn{c1, c2, c3} {
		var s string
		err := cn.QueryRowContext(ctx, "SELECT current_setting('TimeZone')||' '||current_setting('enable_progress_bar')||' '||current_setting('threads')").Scan(&s)
		t.Log(s, err)
	}
	var x string
	t.Log(c3.QueryRowContext(ctx, "SELECT strftime(TIMESTAMPTZ '2021-01-01 00:00:00+00', '%H')").Scan(&x), x)
	_, err = c3.ExecContext(ctx, "SET TimeZone='UTC'")
	t.Log("local set under lock:", err)
}
