package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/sample"
	countrysim "github.com/hoctap/hoctap/sample/country"
)

func runSample(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	dir := fs.String("dir", "", "where to write the exports (required)")
	seed := fs.Int64("seed", sample.DefaultSeed, "the same seed gives byte-identical files")
	scale := fs.Int("scale", 0, "write a synthetic city of this many citizens instead of the pilot")
	wards := fs.Int("wards", 10, "with --scale: how many wards")
	area := fs.String("area", "", "with --scale: one ward per commune of this area of the register (geography.units), named and coded as there")
	country := fs.Bool("country", false, "write the national simulation: a register, one signed package per province and the national workspace")
	provinces := fs.Int("provinces", 34, "with --country: how many provinces")
	communes := fs.Int("communes", 3300, "with --country: how many communes and wards")
	citizens := fs.Int64("citizens", 20_000_000, "with --country: how many registered citizens")
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
	if *country {
		base, err := baseConfig(*cfgPath)
		if err != nil {
			return err
		}
		provs, err := countrysim.Write(ctx, base, countrysim.Options{Dir: *dir, Provinces: *provinces, Communes: *communes, Citizens: *citizens,
			Seed: *seed, Now: e.now(), Producer: "hoctap " + programVersion()})
		if err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		for _, p := range provs {
			fmt.Fprintf(e.stdout, "  %s %s: %d communes, %d citizens → %s\n", p.Code, p.Name, p.Communes, p.Citizens, filepath.Base(p.Package))
		}
		fmt.Fprintf(e.stdout, "%d provinces, %d communes, %d citizens: %d packages and %s\n", *provinces, *communes, *citizens, len(provs), filepath.Join(*dir, "pipeline.yaml"))
		return nil
	}
	if *scale > 0 {
		base, err := baseConfig(*cfgPath)
		if err != nil {
			return err
		}
		var files []sample.File
		if *area != "" {
			reg, err := geo.Load(base)
			if err != nil {
				return dataf("%v", err)
			}
			if reg == nil {
				return usagef(cmd, "--area needs a register (geography.units) in the configuration")
			}
			files, err = sample.ScaleIn(base, *dir, *scale, *seed, reg, *area)
			if err != nil {
				return fmt.Errorf("sample: %w", err)
			}
			fmt.Fprintf(e.stdout, "%d citizens across the communes of %s: %d files and %s\n", *scale, *area, len(files), filepath.Join(*dir, "pipeline.yaml"))
			return nil
		}
		files, err = sample.Scale(base, *dir, *scale, *wards, *seed)
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
