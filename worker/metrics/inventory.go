package metrics

import "time"

// InventoryLag records the time from a Heartland stock movement to the
// store write it caused. A movement stamped later than the write (the two
// clocks differ) counts as no lag rather than a negative one.
func (m *Metrics) InventoryLag(connection string, lag time.Duration) {
	if m == nil {
		return
	}
	m.inventoryLag.WithLabelValues(connection).Observe(max(lag, 0).Seconds())
}
