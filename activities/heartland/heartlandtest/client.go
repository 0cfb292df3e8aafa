package heartlandtest

import "github.com/hrbc/hrbc/activities/heartland"

// ClientConfig returns a client config pointing at this server, with the
// client's own throttle off: the fake has no quota to protect, and tests
// that count or time calls must not wait on a token bucket. Pages are 100
// rows (the client's own default is DefaultPerPage), so tests walk several
// pages with the few hundred rows they seed; set PerPage to 0 for the
// client's default.
func (s *Server) ClientConfig() heartland.Config {
	return heartland.Config{BaseURL: s.URL, Token: heartland.Secret(s.Token), RequestsPerSecond: -1, PerPage: 100}
}
