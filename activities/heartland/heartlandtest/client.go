package heartlandtest

import "github.com/hrbc/hrbc/activities/heartland"

// ClientConfig returns a client config pointing at this server, with the
// client's own throttle off: the fake has no quota to protect, and tests
// that count or time calls must not wait on a token bucket.
func (s *Server) ClientConfig() heartland.Config {
	return heartland.Config{BaseURL: s.URL, Token: heartland.Secret(s.Token), RequestsPerSecond: -1}
}
