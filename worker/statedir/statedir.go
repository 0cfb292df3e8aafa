// Package statedir keeps hrbc's local state private: the embedded server's
// SQLite files, the sandbox's JSON files and the payload keys live in one
// folder (.hrbc by default) that only the owner may enter, each file
// readable by the owner alone. It imports only the standard library.
package statedir

import (
	"fmt"
	"os"
	"path/filepath"
)

// Private modes of the folder and of each file in it.
const (
	DirMode  os.FileMode = 0o700
	FileMode os.FileMode = 0o600
)

// Harden creates dir if needed and narrows the modes of dir and of every
// regular file directly in it. It runs on every start, so folders made by
// earlier versions (0755, files 0644) are fixed too; SQLite gives its -wal
// and -shm files the database file's mode, so they follow.
func Harden(dir string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return fmt.Errorf("state folder %s: %w", dir, err)
	}
	if err := os.Chmod(dir, DirMode); err != nil {
		return fmt.Errorf("state folder %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("state folder %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if info.Mode().Perm()&^FileMode != 0 {
			if err := os.Chmod(filepath.Join(dir, e.Name()), FileMode); err != nil {
				return fmt.Errorf("state file %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}
