package worker

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelperHoldFolderLock is not a test: TestFolderLockReleasedAfterCrash
// runs the test binary as a child that takes the lock, says so and waits
// to be killed.
func TestHelperHoldFolderLock(t *testing.T) {
	db := os.Getenv("HRBC_TEST_HOLD_LOCK")
	if db == "" {
		t.Skip("helper process only")
	}
	if _, err := lockStateFolder(db); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("locked\n")
	select {}
}

// TestFolderLockReleasedAfterCrash: while another process holds the state
// folder a worker is refused with the folder named; once that process is
// killed (no clean exit, no file removed) the folder is free again.
func TestFolderLockReleasedAfterCrash(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "temporal.db")
	child := exec.Command(os.Args[0], "-test.run=^TestHelperHoldFolderLock$")
	child.Env = append(os.Environ(), "HRBC_TEST_HOLD_LOCK="+db)
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		_ = child.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	_, err = lockStateFolder(db)
	if !errors.Is(err, ErrFolderInUse) || !strings.Contains(err.Error(), dir) {
		t.Errorf("lock while another process holds it: %v, want ErrFolderInUse naming %s", err, dir)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	release, err := lockStateFolder(db)
	if err != nil {
		t.Fatalf("lock after the holder was killed: %v", err)
	}
	release()
}
