package main

import (
	"context"

	"github.com/hoctap/hoctap/schedule"
)

// runDeliver sends the outbox's messages that are due, as serve would: those
// queued, and those deferred whose next attempt has come; --resend-failed
// queues the failed ones again first; --list prints the outbox.
func runDeliver(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	resend := fs.Bool("resend-failed", false, "queue the failed messages again (and bring the deferred ones forward), then send")
	list := fs.Bool("list", false, "print the outbox's latest messages and send nothing")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	if *list {
		return p.ListOutbox(ctx)
	}
	if !cfg.Delivery.Enabled() {
		return dataf("chưa có ai để gửi — no one to deliver to: list the recipients in %s's delivery section", cfg.File)
	}
	sum, err := p.Deliver(ctx, schedule.Run{Job: schedule.Deliver}, *resend)
	if err != nil {
		return err
	}
	if sum.Failed > 0 {
		return dataf("%d thư không gửi được — %d message(s) failed: see \"hoctap deliver --list\"; \"hoctap deliver --resend-failed\" sends them again", sum.Failed, sum.Failed)
	}
	return nil
}
