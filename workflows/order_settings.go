package workflows

import (
	"go.temporal.io/sdk/workflow"
)

// receiveSettings takes a settings signal. Only the auto-distribute
// location is taken: the rest (outside fulfillment, the source location)
// shaped the order when it was imported and must not change under it.
// Turning auto-distribute on wakes an order waiting for distribution.
func (o *order) receiveSettings(ctx workflow.Context, c workflow.ReceiveChannel) {
	var s Settings
	c.Receive(ctx, &s)
	was := o.settings.AutoDistributeLocationID
	o.settings.AutoDistributeLocationID = s.AutoDistributeLocationID
	if s.AutoDistributeLocationID != 0 && was != s.AutoDistributeLocationID {
		o.autoDistribute++
	}
}
