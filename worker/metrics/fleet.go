package metrics

// FleetSize records how many workers poll the task queue, this one
// included: each connection's Heartland pacing is split among them.
func (m *Metrics) FleetSize(n int) {
	if m == nil {
		return
	}
	m.fleet.Set(float64(n))
}
