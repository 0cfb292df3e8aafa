package heartland

import "golang.org/x/time/rate"

// shareWithPeers sets the pacing to this client's share of the account's
// rate when the number of peers changed since the last call (see
// Config.Peers). Without pacing or peers it does nothing.
//
// The burst is not split. One order's import is about nine calls in a row,
// and the activities making them land on any worker: with a third of the
// burst each, the import waited on whichever worker ran out first, and
// three workers took one store's intake p95 from 601 ms to 3.9 s (bench
// cluster --stores 100). Over any window the fleet stays within the
// account's rate plus one burst per worker.
func (c *Client) shareWithPeers() {
	if c.cfg.Peers == nil || c.cfg.RequestsPerSecond <= 0 {
		return
	}
	n := max(c.cfg.Peers(), 1)
	if c.peers.Load() == int64(n) {
		return
	}
	c.peersMu.Lock()
	defer c.peersMu.Unlock()
	if c.peers.Load() == int64(n) {
		return
	}
	c.lim.SetLimit(rate.Limit(c.cfg.RequestsPerSecond / float64(n)))
	c.peers.Store(int64(n))
	c.log.Debug("heartland pacing shared", "peers", n, "rps", c.cfg.RequestsPerSecond/float64(n), "burst", c.lim.Burst())
}
