package config

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// heartlandSubdomainPattern is one DNS label: the subdomain becomes
// https://<subdomain>.retail.heartland.us/api/, so a dot, slash or '@'
// would send the connection's token to another host.
var heartlandSubdomainPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// storeHashPattern is a BigCommerce store hash (the part after /stores/ in
// the API path, such as "abc123"); anything else would change the path.
var storeHashPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,32}$`)

// validateFormats checks what a person types for a connection beyond
// presence: host-forming parts, tokens that are only spaces, and rates
// that are not numbers (webhook secrets: validateWebhookSecrets). It never
// quotes a secret.
func (c ConnectionConfig) validateFormats(i int) error {
	if c.HeartlandURL == "" && !heartlandSubdomainPattern.MatchString(c.HeartlandSubdomain) {
		return &ConfigError{connVar(i, "HEARTLAND_SUBDOMAIN"), fmt.Sprintf(
			"%q is not a Heartland subdomain: want letters, digits and '-' only, the part before .retail.heartland.us", c.HeartlandSubdomain)}
	}
	if c.BigCommerceURL == "" && !storeHashPattern.MatchString(c.BigCommerceStoreHash) {
		return &ConfigError{connVar(i, "BIGCOMMERCE_STORE_HASH"), fmt.Sprintf(
			"%q is not a store hash: want 1-32 letters and digits, as in https://api.bigcommerce.com/stores/<hash>", c.BigCommerceStoreHash)}
	}
	for _, s := range []struct {
		name  string
		value Secret
	}{{"HEARTLAND_TOKEN", c.HeartlandToken}, {"BIGCOMMERCE_TOKEN", c.BigCommerceToken}} {
		v := s.value.Reveal()
		switch {
		case strings.TrimSpace(v) == "":
			return &ConfigError{connVar(i, s.name), "must not be blank (it is only spaces)"}
		case strings.TrimSpace(v) != v:
			return &ConfigError{connVar(i, s.name), "starts or ends with a space or line break; a pasted secret never does"}
		}
	}
	if math.IsNaN(c.HeartlandRPS) || math.IsInf(c.HeartlandRPS, 0) {
		return &ConfigError{connVar(i, "HEARTLAND_RPS"), fmt.Sprintf(
			"%v is not a rate: want a number of calls per second (negative: no pacing)", c.HeartlandRPS)}
	}
	if c.HeartlandBurst < 0 || c.HeartlandBurst > maxHeartlandBurst {
		return &ConfigError{connVar(i, "HEARTLAND_BURST"), fmt.Sprintf(
			"%d is out of range: want 1 to %d calls (1: evenly spaced)", c.HeartlandBurst, maxHeartlandBurst)}
	}
	return nil
}

// maxHeartlandBurst bounds HEARTLAND_BURST: Heartland has been seen to
// throttle parallel writes, so a burst is a handful of calls, not a flood.
const maxHeartlandBurst = 50

// connectionVarPattern reads the index of a HRBC_CONNECTION_<n>_ variable.
var connectionVarPattern = regexp.MustCompile(`^HRBC_CONNECTION_([^_]*)_`)

// checkConnectionNumbering refuses connection variables the env parser
// would silently skip: it reads HRBC_CONNECTION_0_, _1_, … and stops at
// the first missing index, so a gap (0 and 2, no 1) or a name that is
// not a number dropped every connection after it without a word.
func checkConnectionNumbering(environ []string) error {
	indexes := map[int]string{}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		m := connectionVarPattern.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 0 || strconv.Itoa(n) != m[1] {
			return &ConfigError{name, fmt.Sprintf("%q is not a connection number: name connection variables HRBC_CONNECTION_0_…, HRBC_CONNECTION_1_… and so on", m[1])}
		}
		if _, ok := indexes[n]; !ok {
			indexes[n] = name
		}
	}
	ns := make([]int, 0, len(indexes))
	for n := range indexes {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	for want, n := range ns {
		if n != want {
			return &ConfigError{indexes[n], fmt.Sprintf(
				"connection %d is configured but connection %d is not: number connections 0, 1, 2, … without gaps, or it would be ignored", n, want)}
		}
	}
	return nil
}
