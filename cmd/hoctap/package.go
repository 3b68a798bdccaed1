package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/exchange"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/pipeline"
)

func runKeygen(_ context.Context, e *env, cmd *command, args []string) error {
	fs, _ := flags(cmd, e)
	out := fs.String("o", "", "the private key file to write (required; never in pipeline.yaml)")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return usagef(cmd, "expected -o FILE")
	}
	pub, err := exchange.GenerateKey(*out)
	if err != nil {
		return dataf("%v", err)
	}
	fmt.Fprintf(e.stdout, "khóa riêng — private key: %s (0600: keep it on this machine; exchange.signing_key: %s)\n", *out, filepath.Base(*out))
	fmt.Fprintf(e.stdout, "khóa công khai — public key (give it to the level you send to, for its exchange.trusted):\n%s\n", pub)
	return nil
}

func runPackage(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	out := fs.String("o", "", "the package file to write (required), such as goi-867-2021-07.zip")
	from := fs.String("from", "", "the first month, YYYY-MM (default: the programme's first)")
	to := fs.String("to", "", "the last month, YYYY-MM (default: the programme's last)")
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef(cmd, "-o FILE is required")
	}
	var opt exchange.Options
	for _, m := range []struct {
		s   string
		dst *config.Month
	}{{*from, &opt.First}, {*to, &opt.Last}} {
		if m.s == "" {
			continue
		}
		if *m.dst, err = config.ParseMonth(m.s); err != nil {
			return usagef(cmd, "%v", err)
		}
	}
	reg, err := geo.Load(cfg)
	if err != nil {
		return dataf("%v", err)
	}
	opt.Out, opt.Now, opt.Producer = *out, e.now(), "hoctap "+programVersion()
	m, err := pipeline.Package(ctx, cfg, reg, opt)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(e.stdout, "package: %s — %s (%s), %s..%s, %d units, %d tables, %d rows in %d files, signed\n",
		*out, m.AreaName, m.Area, m.FirstMonth, m.LastMonth, len(m.Units), len(m.Tables), rows, len(m.Files))
	return nil
}
