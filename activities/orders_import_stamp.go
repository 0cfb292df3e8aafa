package activities

import (
	"context"
	"time"

	"github.com/hrbc/hrbc/activities/heartland"
)

// HeartlandStamp is a Heartland sales order's updated_at and status, read
// after hrbc's last write to it and before the lines the import returns
// (readStamp). The Order workflow keeps it in its memo; the Heartland
// sweep then knows that a listing of the order at that updated_at is only
// hrbc's own import and need not wake the order (OrderRead.CoversHeartland).
type HeartlandStamp struct {
	// UpdatedAt is the order's updated_at (RFC 3339).
	UpdatedAt string `json:"updated_at"`
	// Status is its status in hrbc's words (orders_status.go).
	Status string `json:"status"`
}

// stampSettle is how long after a stamp is read the lines are read: the
// resolution of updated_at. Anyone's change stamped in the stamp's own
// second is then in the lines, whatever the two clocks say: the stamp is
// no later than the moment Heartland answered its read, so a second after
// that answer arrived, Heartland's clock is past the stamp's second. A
// change made later is stamped later, and the sweep tells the order of
// it. Without the wait, staff distributing in the second of hrbc's last
// write would go unseen until the order's next invoice or backstop.
const stampSettle = time.Second

// readStamp reads the order's stamp, then waits stampSettle before
// returning, unless the stamp is finer than a second. A server that prints
// no updated_at gives none: the sweep then tells the order as it always
// did.
func (a *Orders) readStamp(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, publicID string) (*HeartlandStamp, error) {
	o, err := hl.GetSalesOrder(ctx, orderID)
	if err != nil {
		return nil, heartlandError("read Heartland order "+publicID, err)
	}
	if o.UpdatedAt.IsZero() {
		return nil, nil
	}
	if o.UpdatedAt.Nanosecond() == 0 {
		t := time.NewTimer(stampSettle)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return &HeartlandStamp{UpdatedAt: o.UpdatedAt.UTC().Format(time.RFC3339Nano), Status: a.hrbcStatus(connectionID, hl, o.Status)}, nil
}

// restamp reads the stamp after the import's writes, then the lines again:
// read in that order, the lines hold everything done to the order up to
// the stamp (a distribution by staff meanwhile included), and anything
// done later moves updated_at past it. The lines are kept as they were,
// without a stamp, when someone added or removed lines meanwhile.
func (a *Orders) restamp(ctx context.Context, connectionID string, hl *heartland.Client, orderID int64, publicID string, lines []heartland.OrderLine) (*HeartlandStamp, []heartland.OrderLine, error) {
	stamp, err := a.readStamp(ctx, connectionID, hl, orderID, publicID)
	if err != nil || stamp == nil {
		return nil, lines, err
	}
	fresh, err := hl.ListSalesOrderLines(ctx, orderID)
	if err != nil {
		return nil, lines, heartlandError("list lines of Heartland order "+publicID, err)
	}
	if len(fresh) != len(lines) {
		return nil, lines, nil
	}
	for i := range fresh {
		if fresh[i].ID != lines[i].ID {
			return nil, lines, nil
		}
	}
	return stamp, fresh, nil
}
