package heartland

import "golang.org/x/time/rate"

// shareWithPeers sets the pacing to this client's share of the account's
// rate and burst when the number of peers changed since the last call
// (see Config.Peers). Without pacing or peers it does nothing.
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
	// Rounded down so the workers' bursts together stay within the
	// account's, but at least 1: a burst of 0 would let nothing out.
	c.lim.SetBurst(max(c.cfg.Burst/n, 1))
	c.peers.Store(int64(n))
	c.log.Debug("heartland pacing shared", "peers", n, "rps", c.cfg.RequestsPerSecond/float64(n), "burst", c.lim.Burst())
}
