package workflows

import "hash/fnv"

// firstHeartlandTick is the round count a connection's new HeartlandSweep
// starts from, so that its sales-order rounds (every heartlandOrdersEvery-th
// round) fall in its own slot of the cycle. Connections created together
// (a fleet moved over at once, a bench) would otherwise list their sales
// orders in the same few seconds and signal every order they name at once:
// a burst of workflow tasks that slows every store's intake while it lasts.
// Derived from the connection id alone, so it is the same on replay and on
// every start.
func firstHeartlandTick(connectionID string) int {
	h := fnv.New32a()
	h.Write([]byte(connectionID))
	return int(h.Sum32() % heartlandOrdersEvery)
}
