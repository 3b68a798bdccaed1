package main

import (
	"context"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/pipeline"
)

// runRun is one pass of what the scheduler does (pipeline.Pipeline.Once).
func runRun(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	return p.Once(ctx)
}

// pipeline is the pipeline of cfg, printing on standard output and logging
// on standard error in format (text or json; "": server.log_format).
func (e *env) pipeline(cmd *command, cfg *config.Config, format string) (*pipeline.Pipeline, error) {
	log, err := e.logger(cmd, cfg, format)
	if err != nil {
		return nil, err
	}
	return pipeline.New(cfg, e.stdout, log, e.now, programVersion()), nil
}
