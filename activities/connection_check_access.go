package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hrbc/hrbc/activities/bigcommerce"
	"github.com/hrbc/hrbc/activities/heartland"
)

// checkBigCommerceToken checks that the store answers the token and that
// the token carries every scope hrbc needs, naming the missing ones. With
// settingsOnly it only checks that the token works.
func (a *ConnectionChecks) checkBigCommerceToken(ctx context.Context, rep *CheckReport, cl Clients, settingsOnly bool) bool {
	const fixToken = "create a store-level API account and set HRBC_CONNECTION_<n>_BIGCOMMERCE_TOKEN (and _STORE_HASH)"
	// Listing webhooks needs no scope: it proves the token and the store.
	if _, err := cl.BigCommerce.ListHooks(ctx); err != nil {
		found := "BigCommerce refused the request: " + err.Error()
		if errors.Is(err, bigcommerce.ErrUnauthorized) {
			found = "BigCommerce refused the token (401): it is wrong or was revoked"
		}
		rep.add(CheckLine{Check: "bigcommerce token", Status: CheckFail, Found: found, Fix: fixToken})
		return false
	}
	if settingsOnly {
		rep.add(CheckLine{Check: "bigcommerce token", Status: CheckOK, Found: "the store answers the token"})
		return true
	}
	var missing, unknown []string
	for _, s := range bigcommerce.ScopesNeeded {
		err := cl.BigCommerce.ProbeScope(ctx, s)
		switch {
		case err == nil:
		case errors.Is(err, bigcommerce.ErrForbidden):
			missing = append(missing, string(s))
		default:
			unknown = append(unknown, fmt.Sprintf("%s (%v)", s, err))
		}
	}
	switch {
	case len(missing) > 0:
		rep.add(CheckLine{Check: "bigcommerce token", Status: CheckFail,
			Found: "the token lacks the scope " + strings.Join(missing, ", "),
			Fix:   "edit the store's API account: give it " + strings.Join(missing, ", ") + " (Products, Inventory, Orders and Order Transactions modify, Store Locations read-only), then set the new token"})
		return true
	case len(unknown) > 0:
		rep.add(CheckLine{Check: "bigcommerce token", Status: CheckWarn,
			Found: "the store did not say whether the token has " + strings.Join(unknown, "; "),
			Fix:   "run the check again; if it persists, check the store's API status"})
	default:
		rep.add(CheckLine{Check: "bigcommerce token", Status: CheckOK,
			Found: "the token works and has every scope hrbc needs"})
	}
	return true
}

// checkHeartland checks that Heartland answers the token at the
// connection's address, and returns the account's locations.
func (a *ConnectionChecks) checkHeartland(ctx context.Context, rep *CheckReport, cl Clients) ([]heartland.Location, bool) {
	locs, err := cl.Heartland.ListLocations(ctx)
	if err == nil {
		rep.add(CheckLine{Check: "heartland account", Status: CheckOK,
			Found: fmt.Sprintf("Heartland answers the token at %s (%d locations)", cl.Heartland.BaseURL(), len(locs))})
		return locs, true
	}
	l := CheckLine{Check: "heartland account", Status: CheckFail}
	switch {
	case errors.Is(err, heartland.ErrUnauthorized):
		l.Found = "Heartland refused the token (401) at " + cl.Heartland.BaseURL()
		l.Fix = "create an API token in Heartland (Settings > API tokens) and set HRBC_CONNECTION_<n>_HEARTLAND_TOKEN"
	case errors.Is(err, heartland.ErrNotFound):
		l.Found = "no Heartland account answers at " + cl.Heartland.BaseURL()
		l.Fix = "set HRBC_CONNECTION_<n>_HEARTLAND_SUBDOMAIN to the account's subdomain (https://<subdomain>.retail.heartland.us)"
	default:
		l.Found = fmt.Sprintf("Heartland does not answer at %s: %v", cl.Heartland.BaseURL(), err)
		l.Fix = "check HRBC_CONNECTION_<n>_HEARTLAND_SUBDOMAIN (or _HEARTLAND_URL) and the network"
	}
	rep.add(l)
	return nil, false
}
