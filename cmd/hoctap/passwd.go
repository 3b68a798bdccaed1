package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// runPasswd prints the hashes server.auth holds: a user's bcrypt hash of a
// password read from standard input, or a new token and its SHA-256.
func runPasswd(_ context.Context, e *env, cmd *command, args []string) error {
	fs, _ := flags(cmd, e)
	user := fs.String("user", "", "the login name whose password standard input holds")
	token := fs.Bool("token", false, "make a new access token")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || (*user == "") == !*token {
		return usagef(cmd, "give either --user NAME or --token")
	}
	if *token {
		b := make([]byte, 24)
		rand.Read(b)
		tok := hex.EncodeToString(b)
		sum := sha256.Sum256([]byte(tok))
		fmt.Fprintf(e.stdout, "# the token (shown once; keep it secret): %s\nserver:\n  auth:\n    token_sha256: %s\n", tok, hex.EncodeToString(sum[:]))
		return nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) { // a last line without its newline is a line
		return fmt.Errorf("passwd: reading standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return dataf("mật khẩu trống — no password on standard input: echo the password into hoctap passwd --user %s", *user)
	}
	if len(password) < 8 {
		return dataf("mật khẩu quá ngắn — a password needs at least 8 characters")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return dataf("%v", err)
	}
	fmt.Fprintf(e.stdout, "server:\n  auth:\n    users:\n      - {name: %q, password_bcrypt: %q}\n", *user, hash)
	return nil
}
