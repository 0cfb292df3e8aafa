package starter

import (
	"context"
	"fmt"
	"time"

	"github.com/hrbc/hrbc/workflows"
)

// retryPoll is how often WaitForRetry asks the order how it went.
const retryPoll = 250 * time.Millisecond

// WaitForRetry waits until an order has answered the retry that left it
// with asked accepted retries (OrderState.RetriesAsked): it re-ran what
// had failed and now waits for something again. It returns the order's
// state then; when ctx ends first, the last state seen and ctx's error.
func (c *Client) WaitForRetry(ctx context.Context, connectionID string, orderID, asked int) (workflows.OrderState, error) {
	var last workflows.OrderState
	tick := time.NewTicker(retryPoll)
	defer tick.Stop()
	for {
		st, err := c.OrderStatus(ctx, connectionID, orderID)
		if err == nil {
			last = st
			if st.RetriesAnswered >= asked {
				return st, nil
			}
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("order %d has not finished its retry yet (stage %s): %w", orderID, last.Stage, ctx.Err())
		case <-tick.C:
		}
	}
}

// ResolveOrder records that a person settled an order in attention by
// hand; the order ends resolved and hrbc writes nothing more for it.
func (c *Client) ResolveOrder(ctx context.Context, connectionID string, orderID int, note string) (workflows.OrderState, error) {
	return c.updateOrder(ctx, connectionID, orderID, workflows.OrderResolveUpdate, workflows.ResolveOrderRequest{Note: note})
}
