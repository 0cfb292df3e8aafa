package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hrbc/hrbc/activities/bigcommerce/bigcommercetest"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// Files the sandbox fakes keep their state in, next to the Temporal
// database: Temporal's workflows name orders and ids in the fakes, so the
// two must survive a restart together and be deleted together.
const (
	BigCommerceStateFile = "sandbox-bigcommerce.json"
	HeartlandStateFile   = "sandbox-heartland.json"
)

// saveInterval bounds what a crash (SIGKILL, power loss) can lose;
// a clean stop always saves.
const saveInterval = 5 * time.Second

// StateDir is where the sandbox fakes keep their state for the
// embedded server's database file, or "" when that database lives in
// memory: fakes that outlive a forgotten Temporal state would point at
// workflows that no longer exist.
func StateDir(devDatabase string) string {
	if devDatabase == "" || devDatabase == ":memory:" {
		return ""
	}
	return filepath.Dir(devDatabase)
}

// restoreSandbox fills freshly started fakes: from the state files in
// stateDir when they are usable, else from the demo seeds. It returns the
// keeper of those files, nil when stateDir is "" (state in memory only).
func restoreSandbox(stateDir string, bc *bigcommercetest.Server, hl *heartlandtest.Server, logger *slog.Logger) (*sandboxStates, bool) {
	seedBC := func() { bc.DemoSeed() }
	seedHL := func() { heartlandtest.DemoSeed(hl) }
	if stateDir == "" {
		seedBC()
		seedHL()
		return nil, false
	}
	ss := &sandboxStates{logger: logger, interval: saveInterval, fakes: []*fakeState{
		{path: filepath.Join(stateDir, BigCommerceStateFile), save: bc.SaveState, load: bc.LoadState, seed: seedBC},
		{path: filepath.Join(stateDir, HeartlandStateFile), save: hl.SaveState, load: hl.LoadState, seed: seedHL},
	}}
	return ss, ss.restore()
}

// fakeState is one fake's state file.
type fakeState struct {
	path string
	save func(io.Writer) error
	load func(io.Reader) error
	seed func()
	last []byte // what the file holds, so unchanged state is not rewritten
}

// sandboxStates keeps the fakes' files in step with the fakes.
type sandboxStates struct {
	fakes    []*fakeState
	logger   *slog.Logger
	interval time.Duration // between saves; saveInterval
	stop     chan struct{}
	done     chan struct{}
}

// restore loads every fake from its file, or seeds every fake when there
// is nothing usable. It is all or nothing: one fake restored and the other
// seeded would hand out order numbers the other side already knows.
func (ss *sandboxStates) restore() (restored bool) {
	present := 0
	for _, f := range ss.fakes {
		if _, err := os.Stat(f.path); err == nil {
			present++
		}
	}
	if present == 0 {
		ss.seedAll(nil)
		return false
	}
	// The fakes as started, to roll a loaded one back if another fails.
	blanks := make([][]byte, len(ss.fakes))
	for i, f := range ss.fakes {
		var b bytes.Buffer
		if err := f.save(&b); err != nil {
			ss.logger.Warn("sandbox state: cannot snapshot a fresh fake; starting from the demo seed", "file", f.path, "error", err)
			ss.seedAll(nil)
			return false
		}
		blanks[i] = b.Bytes()
	}
	for _, f := range ss.fakes {
		data, err := os.ReadFile(f.path)
		if err == nil {
			if err = f.load(bytes.NewReader(data)); err == nil {
				f.last = data
				continue
			}
			bad := f.path + ".bad"
			if rerr := os.Rename(f.path, bad); rerr != nil {
				ss.logger.Warn("sandbox state: cannot move an unusable file aside", "file", f.path, "error", rerr)
				bad = ""
			}
			ss.logger.Warn("sandbox state unusable; both fakes start from the demo seed", "file", f.path, "moved_to", bad, "error", err)
		} else {
			ss.logger.Warn("sandbox state unreadable; both fakes start from the demo seed", "file", f.path, "error", err)
		}
		ss.seedAll(blanks)
		return false
	}
	return true
}

// seedAll resets every fake to how it started (when blanks are given) and
// fills it with the demo seed.
func (ss *sandboxStates) seedAll(blanks [][]byte) {
	for i, f := range ss.fakes {
		if blanks != nil {
			if err := f.load(bytes.NewReader(blanks[i])); err != nil {
				ss.logger.Warn("sandbox state: cannot reset a fake", "file", f.path, "error", err)
			}
		}
		f.last = nil
		f.seed()
	}
}

// start saves at once, so the files exist from the first run on, and then
// every interval until stopSaving.
func (ss *sandboxStates) start() {
	ss.saveAll()
	ss.stop, ss.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ss.done)
		t := time.NewTicker(ss.interval)
		defer t.Stop()
		for {
			select {
			case <-ss.stop:
				return
			case <-t.C:
				ss.saveAll()
			}
		}
	}()
}

// stopSaving ends the periodic saves; the caller saves once more after
// the fakes have stopped changing.
func (ss *sandboxStates) stopSaving() {
	if ss.stop != nil {
		close(ss.stop)
		<-ss.done
		ss.stop = nil
	}
}

func (ss *sandboxStates) saveAll() {
	for _, f := range ss.fakes {
		if err := f.saveIfChanged(); err != nil {
			ss.logger.Warn("sandbox state not saved", "file", f.path, "error", err)
		}
	}
}

func (f *fakeState) saveIfChanged() error {
	var b bytes.Buffer
	if err := f.save(&b); err != nil {
		return err
	}
	if bytes.Equal(b.Bytes(), f.last) {
		return nil
	}
	if err := writeFileAtomic(f.path, b.Bytes()); err != nil {
		return err
	}
	f.last = b.Bytes()
	return nil
}

// writeFileAtomic replaces path with data through a temporary file and a
// rename, so a crash mid-write leaves the previous file, never half a one.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
