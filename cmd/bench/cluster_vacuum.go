package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.temporal.io/server/common/log"
	sqltool "go.temporal.io/server/tools/sql"
)

// vacuumEvery is how often the bench vacuums the cluster's databases when
// the PostgreSQL it runs on has autovacuum off.
const vacuumEvery = 30 * time.Second

// The Temporal server's task tables are queues: every timer, transfer and
// visibility task is inserted and deleted within seconds, and every
// workflow's row in executions is rewritten at each step. Without vacuum
// their dead rows pile up, and the server's range reads of its queues walk
// through ever more of them: a run's later phases pay for its earlier
// ones. A production PostgreSQL runs autovacuum; a CI machine's may not
// (this workplace's turns it off). Rather than change the machine's
// server, the bench then vacuums its own two databases every vacuumEvery,
// standing in for autovacuum, and reports that it did.

// Vacuumer vacuums the cluster's databases in the background.
type Vacuumer struct {
	// Off reports that the server's autovacuum was off, so the bench
	// vacuumed in its stead.
	Off bool

	mu     sync.Mutex
	rounds int
	spent  time.Duration
	failed error
	// stop and done are set when the vacuuming runs.
	stop context.CancelFunc
	done chan struct{}
}

// StartVacuumer starts vacuuming pg's two databases every vacuumEvery if
// the server has autovacuum off; otherwise it does nothing.
func StartVacuumer(ctx context.Context, pg Postgres) (*Vacuumer, error) {
	v := &Vacuumer{}
	admin, err := sqltool.NewConnection(pg.sqlConfig(pg.Admin), log.NewNoopLogger())
	if err != nil {
		return v, fmt.Errorf("connect to %s/%s: %w", pg.Address(), pg.Admin, err)
	}
	on, err := autovacuumOn(admin)
	admin.Close()
	if err != nil || on {
		return v, err
	}
	v.Off = true
	var conns []*sqltool.Connection
	for _, name := range []string{pg.Database, pg.Visibility} {
		c, err := sqltool.NewConnection(pg.sqlConfig(name), log.NewNoopLogger())
		if err != nil {
			for _, c := range conns {
				c.Close()
			}
			return v, fmt.Errorf("connect to %s/%s: %w", pg.Address(), name, err)
		}
		conns = append(conns, c)
	}
	ctx, v.stop = context.WithCancel(ctx)
	v.done = make(chan struct{})
	go v.run(ctx, conns)
	return v, nil
}

// autovacuumOn reads the server's autovacuum setting. The SQL tool's
// connection runs statements without returning rows, so the setting is
// tested in a block that raises when it is off.
func autovacuumOn(admin *sqltool.Connection) (bool, error) {
	const off = "hrbc bench: autovacuum is off"
	err := admin.Exec(`DO $$ BEGIN IF current_setting('autovacuum') <> 'on' THEN RAISE EXCEPTION '` + off + `'; END IF; END $$`)
	switch {
	case err == nil:
		return true, nil
	case strings.Contains(err.Error(), off):
		return false, nil
	default:
		return false, fmt.Errorf("read PostgreSQL's autovacuum setting: %w", err)
	}
}

// run vacuums every database, vacuumEvery after the last round, until ctx
// ends.
func (v *Vacuumer) run(ctx context.Context, conns []*sqltool.Connection) {
	defer close(v.done)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for sleepCtx(ctx, vacuumEvery) {
		start := time.Now()
		var err error
		for _, c := range conns {
			if e := c.Exec("VACUUM"); e != nil && err == nil {
				err = e
			}
		}
		v.mu.Lock()
		v.rounds++
		v.spent += time.Since(start)
		if err != nil && v.failed == nil {
			v.failed = err
		}
		v.mu.Unlock()
	}
}

// Stop ends the vacuuming and waits for a round in progress.
func (v *Vacuumer) Stop() {
	if v.stop != nil {
		v.stop()
		<-v.done
	}
}

// Report says what the vacuumer did, for the bench's output.
func (v *Vacuumer) Report() string {
	if !v.Off {
		return "PostgreSQL's autovacuum is on"
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	s := fmt.Sprintf("PostgreSQL's autovacuum is off here: the bench vacuums both databases every %s in its stead (%d rounds so far, %s in all)",
		vacuumEvery, v.rounds, v.spent.Round(100*time.Millisecond))
	if v.failed != nil {
		s += fmt.Sprintf("; a round failed: %v", v.failed)
	}
	return s
}
