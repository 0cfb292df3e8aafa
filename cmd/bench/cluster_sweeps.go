package main

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/client"

	"github.com/hrbc/hrbc/workflows"
)

// SweepFigures is what the stores' order sweeps did over a run: the
// hand-overs (a child start and a signal each on the server) they made,
// and the listings they acted on, for the flash-sale store and the others.
type SweepFigures struct {
	FlashHandOvers  int `json:"flash_store_hand_overs"`
	FlashRounds     int `json:"flash_store_rounds"`
	OthersHandOvers int `json:"others_hand_overs"`
	OthersRounds    int `json:"others_rounds"`
	// HeartlandTold and HeartlandKnown are what all the stores' Heartland
	// sweeps did with the orders they found changed: told them (a signal
	// and a workflow task each on the server), or left them alone because
	// the order's workflow knew the change (its own import).
	HeartlandTold  int `json:"heartland_told"`
	HeartlandKnown int `json:"heartland_known"`
	// Unanswered counts sweeps that did not answer their status query.
	Unanswered int `json:"unanswered"`
}

// sweepFigures asks each store's order sweep for its status; the first
// store is the flash-sale one.
func sweepFigures(ctx context.Context, c client.Client, stores []store) SweepFigures {
	var f SweepFigures
	for i, s := range stores {
		v, err := c.QueryWorkflow(ctx, workflows.OrderSweepWorkflowID(s.conn.ID), "", workflows.SweepStatusQuery)
		var st workflows.SweepStatus
		if err == nil {
			err = v.Get(&st)
		}
		switch {
		case err != nil:
			f.Unanswered++
		case i == 0:
			f.FlashHandOvers, f.FlashRounds = st.Swept, st.Rounds
		default:
			f.OthersHandOvers += st.Swept
			f.OthersRounds += st.Rounds
		}
		v, err = c.QueryWorkflow(ctx, workflows.HeartlandSweepWorkflowID(s.conn.ID), "", workflows.HeartlandSweepStatusQuery)
		var hs workflows.HeartlandSweepStatus
		if err == nil {
			err = v.Get(&hs)
		}
		if err != nil {
			f.Unanswered++
			continue
		}
		f.HeartlandTold += hs.Signalled
		f.HeartlandKnown += hs.Known
	}
	return f
}

// unanswered notes sweeps that did not answer, if any.
func unanswered(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d sweeps did not answer)", n)
}
