package activities

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/activities/heartland"
)

// LocationFields names the settings that hold Heartland location ids, in
// the order a check reports them.
var LocationFields = []string{"location_ids", "source_location_id", "auto_distribute_location_id", "fulfillment_location_id"}

// checkLocations checks that every location the settings name exists,
// listing the valid ones, and suggests a Website location for web orders.
func checkLocations(rep *CheckReport, in ConnectionCheckInput, locs []heartland.Location) {
	s := in.Settings
	known := map[int64]heartland.Location{}
	for _, l := range locs {
		known[l.ID] = l
	}
	valid := describeHeartlandLocations(locs)
	conn := in.ConnectionID
	bad := func(field, flag string, ids []int64) {
		var names []string
		for _, id := range ids {
			names = append(names, fmt.Sprint(id))
		}
		rep.add(CheckLine{Check: "locations", Status: CheckFail, Field: field,
			Found: fmt.Sprintf("%s: Heartland has no location %s; valid: %s", field, strings.Join(names, ", "), valid),
			Fix:   fmt.Sprintf("starter connection configure %s %s <id>", conn, flag)})
	}
	ok := true
	if !s.AllLocations {
		var missing []int64
		for _, id := range s.LocationIDs {
			if _, found := known[id]; !found {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			bad("location_ids", "--locations", missing)
			ok = false
		}
	}
	for _, f := range []struct {
		field, flag string
		id          int64
	}{
		{"source_location_id", "--source-location", s.SourceLocationID},
		{"auto_distribute_location_id", "--auto-distribute-location", s.AutoDistributeLocationID},
		{"fulfillment_location_id", "--fulfillment-location", s.FulfillmentLocationID},
	} {
		if _, found := known[f.id]; f.id != 0 && !found {
			bad(f.field, f.flag, []int64{f.id})
			ok = false
		}
	}
	if s.OrderSync && s.SourceLocationID == 0 {
		rep.add(CheckLine{Check: "locations", Status: CheckFail, Field: "source_location_id",
			Found: "order sync is on without a source location; valid: " + valid,
			Fix:   fmt.Sprintf("starter connection configure %s --source-location <id>", conn)})
		ok = false
	}
	if ok {
		rep.add(CheckLine{Check: "locations", Status: CheckOK,
			Found: "every location the settings name exists: " + valid})
	}
	web := websiteLocation(locs)
	switch {
	case web == nil && s.SourceLocationID == 0:
		rep.add(CheckLine{Check: "website location", Status: CheckWarn,
			Found: "Heartland has no \"Website\" location; web orders are best kept apart from the shops' sales",
			Fix:   fmt.Sprintf("create a location named Website in Heartland, then starter connection configure %s --source-location <its id>", conn)})
	case web != nil && s.SourceLocationID == 0:
		rep.add(CheckLine{Check: "website location", Status: CheckWarn,
			Found: fmt.Sprintf("no source location is named; Heartland's %q (%d) is made for web orders", web.Name, web.ID),
			Fix:   fmt.Sprintf("starter connection configure %s --source-location %d", conn, web.ID)})
	default:
		rep.add(CheckLine{Check: "website location", Status: CheckOK,
			Found: fmt.Sprintf("web orders are created at location %d", s.SourceLocationID)})
	}
}

// websiteLocation finds a location whose name says it is the website's.
func websiteLocation(locs []heartland.Location) *heartland.Location {
	for i, l := range locs {
		name := strings.ToLower(l.Name)
		if strings.Contains(name, "website") || strings.Contains(name, "web store") || strings.Contains(name, "online") {
			return &locs[i]
		}
	}
	return nil
}

// describeHeartlandLocations lists locations as "1 Main Street, 2 Warehouse".
func describeHeartlandLocations(locs []heartland.Location) string {
	if len(locs) == 0 {
		return "none"
	}
	sorted := slices.Clone(locs)
	slices.SortFunc(sorted, func(a, b heartland.Location) int { return int(a.ID - b.ID) })
	parts := make([]string, len(sorted))
	for i, l := range sorted {
		parts[i] = fmt.Sprintf("%d %s", l.ID, l.Name)
	}
	return strings.Join(parts, ", ")
}
