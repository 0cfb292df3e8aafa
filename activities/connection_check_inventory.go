package activities

import (
	"context"
	"fmt"
)

// checkBlastRadius works out what the connection's first full inventory
// sync would do to the store: how many in-stock SKUs would go to 0 and how
// much stock would disappear, naming the biggest losses. Heartland is the
// master of quantities, so stock that exists only in BigCommerce is lost
// unless it is entered in Heartland first. Beyond the inventory guard's
// limits the line fails when inventory sync is on (the sync will wait for
// --confirm), and warns when it is off.
func (a *ConnectionChecks) checkBlastRadius(ctx context.Context, rep *CheckReport, cl Clients, in ConnectionCheckInput, beat func()) {
	s := in.Settings
	scope := InventoryScope{AllLocations: s.AllLocations || len(s.LocationIDs) == 0, LocationIDs: s.LocationIDs}
	b, err := previewInventory(ctx, cl, scope, beat)
	if err != nil {
		rep.add(CheckLine{Check: "inventory blast radius", Status: CheckWarn,
			Found: "could not work out what a full sync would write: " + err.Error(), Fix: "run the check again"})
		return
	}
	conn := in.ConnectionID
	why := b.Exceeds(DefaultGuardZeroPercent, DefaultGuardDropPercent)
	switch {
	case why != "":
		l := CheckLine{Check: "inventory blast radius", Status: CheckWarn,
			Found: "a full sync would write: " + b.String() + "; " + why,
			Fix:   "enter the store's quantities in Heartland first (Heartland becomes the master), or check --locations"}
		if s.InventorySync {
			l.Status = CheckFail
			l.Fix += fmt.Sprintf("; the sync waits until starter sync inventory %s --confirm", conn)
		}
		rep.add(l)
	case b.Zeroed > 0 || b.Removed > 0:
		rep.add(CheckLine{Check: "inventory blast radius", Status: CheckWarn,
			Found: "a full sync would write: " + b.String(),
			Fix:   fmt.Sprintf("enter missing quantities in Heartland first; a first sync that zeroes SKUs waits for starter sync inventory %s --confirm", conn)})
	default:
		rep.add(CheckLine{Check: "inventory blast radius", Status: CheckOK,
			Found: "a full sync would lower no SKU: " + b.String()})
	}
}
