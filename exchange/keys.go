package exchange

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// pemType names the block of a private key file.
const pemType = "HOCTAP ED25519 PRIVATE KEY"

// GenerateKey writes a new private key to path (0600, refusing to overwrite
// a file there) and returns its public key in base64, the form a receiving
// level lists under exchange.trusted.
func GenerateKey(path string) (string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("exchange: key %s: %w", path, err)
	}
	block := &pem.Block{Type: pemType, Bytes: priv.Seed()}
	if err := pem.Encode(f, block); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(pub), nil
}

// LoadKey reads the private key file at path. A file others may read is
// refused: whoever reads it can sign packages in this area's name.
func LoadKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, errors.New("exchange: no signing key: set exchange.signing_key to the key file hoctap keygen wrote")
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("exchange: signing key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("exchange: signing key %s can be read by others (%v): chmod 600 it", path, st.Mode().Perm())
	}
	if st.Size() > 4096 {
		return nil, fmt.Errorf("exchange: signing key %s is not a key file (%d bytes)", path, st.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("exchange: signing key: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != pemType || len(block.Bytes) != ed25519.SeedSize {
		return nil, fmt.Errorf("exchange: signing key %s is not a key hoctap keygen wrote", path)
	}
	return ed25519.NewKeyFromSeed(block.Bytes), nil
}

// PublicKey is the base64 public key of priv.
func PublicKey(priv ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
}

// decodeKey reads a base64 Ed25519 public key.
func decodeKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not an Ed25519 public key in base64")
	}
	return ed25519.PublicKey(b), nil
}
