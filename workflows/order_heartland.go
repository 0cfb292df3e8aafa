package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// heartlandScreensChange versions the order that takes what store staff do
// in Heartland's own screens: lines distributed there move an order awaiting
// distribution on (invoices of the distributed part ship at once), an order
// cancelled or closed there asks a person, and invoices are looked for when
// the HeartlandSweep says something changed, with a long backstop instead
// of the backing-off per-order poll. Runs begun before it keep their
// command sequence.
const heartlandScreensChange = "order-heartland-screens"

// DefaultHeartlandBackstop is how long an order waits, with no word from
// the HeartlandSweep, before it reads its Heartland order anyway. The sweep
// finds every change it can see; the backstop is for what it may not see:
// a line distributed with no invoice yet, if Heartland does not move the
// order's updated_at for a line edit (UNCONFIRMED), or a connection whose
// sweep is not running. One read an hour per open order.
const DefaultHeartlandBackstop = time.Hour

// Heartland sales-order statuses the Order workflow acts on. The cancelled
// spelling is UNCONFIRMED for sales orders: both are taken.
const (
	hlClosed = "closed"
)

// heartlandCancelled reports whether a Heartland status means staff
// cancelled the order.
func heartlandCancelled(status string) bool {
	return status == "canceled" || status == "cancelled"
}

// attentionHeartlandPrefix starts the reasons this file gives, so that a
// Heartland order put right clears only them.
const attentionHeartlandPrefix = "in Heartland: "

// awaitDistribution waits for the lines to be distributed or the
// BigCommerce order to change; under heartlandScreensChange also for word
// from Heartland, or the backstop. look says whether to read Heartland.
func (o *order) awaitDistribution(ctx workflow.Context, also func() bool) (look bool, err error) {
	done := func() bool { return o.allDistributed() || o.bcChanged > o.seenBC || also() }
	o.settled()
	if !o.screens {
		return false, workflow.Await(ctx, done)
	}
	woken, err := o.awaitOrTimer(ctx, timerBackstop, o.options.HeartlandBackstop, func() bool { return done() || o.hlChanged > o.seenHL })
	if err != nil {
		return false, err
	}
	return !woken || o.hlChanged > o.seenHL, nil
}

// lookWhileAwaiting takes what staff did in Heartland to an order awaiting
// distribution: lines distributed there are distributed here too, and
// invoices of those lines ship at once, while the rest waits.
func (o *order) lookWhileAwaiting(ctx workflow.Context) (ended bool, err error) {
	if ended, err := o.syncHeartland(ctx, ""); err != nil || ended {
		return ended, err
	}
	if o.allDistributed() || !o.anyDistributed() {
		// All distributed: fulfilling collects the invoices next.
		return false, nil
	}
	_, err = o.collectInvoices(ctx)
	return false, err
}

// syncHeartland reads the Heartland order and takes what staff did there.
// An order cancelled there, or closed with lines not invoiced, asks a
// person and waits for them (a retry), for Heartland to change again, or
// for BigCommerce to cancel the order too, which ends it cancelled: hrbc
// never ships against an order Heartland says is cancelled. ended reports
// that the order is finished (cancelled).
// A known status (from the HeartlandSweep's signal) spares the first read
// when there is no distribution left to learn.
func (o *order) syncHeartland(ctx workflow.Context, known string) (ended bool, err error) {
	for {
		o.seenHL = o.hlChanged
		status := known
		known = ""
		if status == "" {
			if o.quiet {
				// What is said from here on is news to this read, which
				// fulfilling need not repeat (takeNews).
				o.startNewsAtRead(ctx)
			}
			var snap activities.HeartlandOrderSnapshot
			if err := o.callRead(ctx, orderActivities.ReadHeartlandOrder, &snap, activities.HeartlandOrderRequest{
				ConnectionID: o.ConnectionID, HeartlandOrderID: o.HeartlandOrderID}); err != nil {
				return false, err
			}
			status = snap.Status
			o.takeDistribution(ctx, snap.Lines)
		}
		o.HeartlandStatus = status
		reason, err := o.heartlandTrouble(ctx, status)
		if err != nil {
			return false, err
		}
		if reason == "" {
			if o.Stage == OrderStageAttention && strings.HasPrefix(o.Attention, attentionHeartlandPrefix) {
				return false, o.setStage(ctx, o.resumeStage(), "")
			}
			return false, nil
		}
		if err := o.setStage(ctx, OrderStageAttention, attentionHeartlandPrefix+reason); err != nil {
			return false, err
		}
		retries, bc, hl := o.retries, o.bcChanged, o.hlChanged
		o.settled()
		o.waitingForPerson = true
		err = workflow.Await(ctx, func() bool { return o.retries > retries || o.bcChanged > bc || o.hlChanged > hl || o.resolved })
		o.waitingForPerson = false
		if err != nil {
			return false, err
		}
		if o.resolved {
			return true, errResolved
		}
		if o.bcChanged > bc {
			o.consumeWakeups()
			if cancelled, err := o.checkCancelled(ctx); err != nil || cancelled {
				return cancelled, err
			}
		}
	}
}

// heartlandTrouble is why a Heartland status needs a person, or "".
func (o *order) heartlandTrouble(ctx workflow.Context, status string) (string, error) {
	switch {
	case heartlandCancelled(status) && len(o.Invoices) == 0:
		return fmt.Sprintf("cancelled by staff (status %s) before anything shipped: cancel the order in BigCommerce (hrbc then ends it) or reopen it in Heartland", status), nil
	case heartlandCancelled(status):
		return fmt.Sprintf("cancelled by staff (status %s) after %d shipment(s): settle it by hand", status, len(o.Invoices)), nil
	case status == hlClosed:
		// Heartland closes an order by itself once fully invoiced: carry
		// those invoices over before deciding anything is missing.
		if _, err := o.collectInvoices(ctx); err != nil {
			return "", err
		}
		if o.fullyShipped() {
			return "", nil
		}
		return fmt.Sprintf("closed by staff with %d unit(s) not invoiced: invoice them in Heartland, or settle the BigCommerce order by hand", o.unshipped()), nil
	}
	return "", nil
}

// takeDistribution records where Heartland says lines ship from. A line
// Heartland shows undistributed keeps what hrbc knows: a distribute of
// hrbc's own may have been written after this read.
func (o *order) takeDistribution(ctx workflow.Context, lines []activities.HeartlandLine) {
	moved := 0
	for _, hl := range lines {
		for i := range o.Lines {
			if o.Lines[i].LineID == hl.LineID && hl.LocationID != 0 && o.Lines[i].LocationID != hl.LocationID {
				o.Lines[i].LocationID = hl.LocationID
				moved++
			}
		}
	}
	if moved > 0 {
		workflow.GetLogger(ctx).Info("Order lines distributed in Heartland", "OrderID", o.OrderID, "Lines", moved)
	}
}

func (o *order) anyDistributed() bool {
	for _, l := range o.Lines {
		if l.LocationID != 0 {
			return true
		}
	}
	return false
}

func (o *order) unshipped() int {
	n := 0
	for _, l := range o.Lines {
		n += max(l.Quantity-l.Shipped, 0)
	}
	return n
}
