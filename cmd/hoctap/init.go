package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/pipeline"
)

func runInit(_ context.Context, e *env, cmd *command, args []string) error {
	fs, _ := flags(cmd, e)
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef(cmd, "expected one folder")
	}
	cfg, err := initWorkspace(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Đã tạo không gian làm việc — workspace created: %s\n", pos[0])
	fmt.Fprintf(e.stdout, "  pipeline.yaml   edit it: wards, units, goals, timeline\n")
	for _, w := range cfg.Wards {
		fmt.Fprintf(e.stdout, "  %s/   %s %s sends its files here\n", pipeline.Rel(pos[0], filepath.Join(cfg.Paths.Inbox, w.Code)), w.Kind, w.Name)
	}
	if err := writeTemplates(cfg, filepath.Join(pos[0], "templates")); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "  %s/   biểu mẫu Excel — the Excel forms, per ward and dataset\n", filepath.Join(pos[0], "templates"))
	fmt.Fprintf(e.stdout, "Next: cd %s && hoctap check\n", pos[0])
	return nil
}

// initWorkspace writes the default pipeline.yaml into dir and makes an inbox
// folder per ward. It refuses to overwrite a pipeline.yaml.
func initWorkspace(dir string) (*config.Config, error) {
	path := filepath.Join(dir, "pipeline.yaml")
	if _, err := os.Stat(path); err == nil {
		return nil, dataf("%s already exists: not overwritten", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, hoctap.DefaultConfig, 0o644); err != nil {
		return nil, err
	}
	if err := hoctap.WriteRegister(dir); err != nil {
		return nil, err
	}
	cfg, err := config.LoadFile(path)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Wards {
		if err := os.MkdirAll(filepath.Join(cfg.Paths.Inbox, w.Code), 0o755); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}
