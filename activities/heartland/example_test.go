package heartland_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hrbc/hrbc/activities/heartland"
	"github.com/hrbc/hrbc/activities/heartland/heartlandtest"
)

// An activity walks a large collection one page per call, heartbeating the
// cursor; after a crash it resumes from the last heartbeat.
func ExampleWalker() {
	srv := heartlandtest.NewServer(heartlandtest.WithDemoSeed())
	defer srv.Close()
	c, _ := heartland.New(srv.ClientConfig())
	ctx := context.Background()

	var heartbeat []byte // what activity.RecordHeartbeat would store
	w := c.WalkItems(heartland.Query{Filters: []heartland.Filter{{"active": true}}, PerPage: 4}, heartland.Cursor{})
	page, _ := w.Next(ctx)
	heartbeat, _ = json.Marshal(w.Cursor())

	// ... the worker restarts; the retry reads the heartbeat details back.
	var from heartland.Cursor
	_ = json.Unmarshal(heartbeat, &from)
	rest, _ := c.WalkItems(heartland.Query{Filters: []heartland.Filter{{"active": true}}, PerPage: 4}, from).All(ctx)

	fmt.Println(len(page), len(rest), string(heartbeat))
	// Output: 4 6 {"after_id":4}
}
