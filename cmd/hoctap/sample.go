package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hoctap/hoctap/sample"
)

func runSample(_ context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	dir := fs.String("dir", "", "where to write the exports (required)")
	seed := fs.Int64("seed", sample.DefaultSeed, "the same seed gives byte-identical files")
	scale := fs.Int("scale", 0, "write a synthetic city of this many citizens instead of the pilot")
	wards := fs.Int("wards", 10, "with --scale: how many wards")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef(cmd, "unexpected argument %q", pos[0])
	}
	if *dir == "" {
		return usagef(cmd, "--dir is required")
	}
	if *scale < 0 || *wards < 1 {
		return usagef(cmd, "--scale must be positive and --wards at least 1")
	}
	if *scale > 0 {
		base, err := baseConfig(*cfgPath)
		if err != nil {
			return err
		}
		files, err := sample.Scale(base, *dir, *scale, *wards, *seed)
		if err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		fmt.Fprintf(e.stdout, "%d citizens across %d wards: %d files and %s\n", *scale, *wards, len(files), filepath.Join(*dir, "pipeline.yaml"))
		return nil
	}
	cfg, err := baseConfig(*cfgPath)
	if err != nil {
		return err
	}
	files, err := sample.Pilot(cfg, *dir, *seed)
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	fmt.Fprintf(e.stdout, "%d files in %s\n", len(files), *dir)
	printFiles(e.stdout, cfg, files)
	return nil
}
