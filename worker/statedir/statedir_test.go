package statedir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestHardenFixesAnOldFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".hrbc")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"temporal.db", "temporal.db-wal", "sandbox-heartland.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Harden(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		if info.Mode().Perm() != FileMode {
			t.Errorf("%s mode %v", e.Name(), info.Mode().Perm())
		}
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != DirMode {
		t.Errorf("folder mode %v", st.Mode().Perm())
	}
}
