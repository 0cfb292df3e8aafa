package worker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hrbc/hrbc/worker/sandbox"
)

// lockFileName is the file in the state folder whose lock marks the folder
// as in use by one embedded-default worker.
const lockFileName = "hrbc.lock"

// ErrFolderInUse is returned by Run when another worker holds the state
// folder: two embedded servers on one SQLite file only end in "database
// is locked" from both.
var ErrFolderInUse = errors.New("state folder is in use by another hrbc worker")

// lockStateFolder takes the embedded default's state folder for this
// process (nothing to do when the database is in memory). The lock is an
// flock, which the kernel drops when the process ends in any way, a crash
// included, so a stale lock file never keeps the next start out.
func lockStateFolder(devDatabase string) (release func(), err error) {
	dir := sandbox.StateDir(devDatabase)
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock state folder %s: %w", dir, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s (stop the worker using it, or give this one another HRBC_DEV_DB): %v", ErrFolderInUse, dir, err)
	}
	// The pid is for a person wondering who holds it; the lock is the flock.
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() { f.Close() }, nil
}
