package codec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadKeyRingCreatesPrivateFileOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".hrbc")
	r1, src, err := LoadKeyRing("", dir, true)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFileName)
	if string(src) != path {
		t.Errorf("source %q, want %q", src, path)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, st.Mode().Perm(), want)
		}
	}
	// The CLI reads the same file without creating one.
	r2, _, err := LoadKeyRing("", dir, false)
	if err != nil || r2.EncryptingID() != r1.EncryptingID() {
		t.Fatalf("second load: %v, %v", r2, err)
	}
	if _, _, err := LoadKeyRing("", t.TempDir(), false); !errors.Is(err, ErrNoKeys) {
		t.Errorf("no file, no create: %v", err)
	}
}

func TestLoadKeyRingPrefersTheVariable(t *testing.T) {
	entry, _ := NewKey("env1")
	r, src, err := LoadKeyRing(entry, t.TempDir(), true)
	if err != nil || r.EncryptingID() != "env1" || src != Source(KeyEnv) {
		t.Fatalf("%v from %s: %v", r, src, err)
	}
	if _, _, err := LoadKeyRing("junk", "", true); err == nil {
		t.Fatal("junk accepted")
	}
}
