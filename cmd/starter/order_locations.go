package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hrbc/hrbc/workflows"
)

// resolveLocation reads a Heartland location given as an id ("1") or a
// name ("Main Street", any case), against the locations the order knows
// (its status query lists them), as `sandbox invoice` takes either.
func resolveLocation(o workflows.OrderState, flag, v string) (int64, error) {
	v = strings.TrimSpace(v)
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	var names []string
	for _, l := range o.Locations {
		if strings.EqualFold(l.Name, v) {
			return l.ID, nil
		}
		names = append(names, fmt.Sprintf("%d %q", l.ID, l.Name))
	}
	if len(names) == 0 {
		// Not a usage error: the order lists its locations once imported.
		return 0, fmt.Errorf("%s %q: order %d lists no locations to look the name up in yet (stage %s): run it again once the order is awaiting_distribution, or give a location id",
			flag, v, o.OrderID, dash(o.Stage))
	}
	return 0, &usageError{fmt.Errorf("%s %q is not a location of order %d: give one of %s", flag, v, o.OrderID, strings.Join(names, ", "))}
}

// distributeRequest reads --location and the --line LINE_ID=LOCATION
// pairs, each location an id or a name of the order's locations.
func distributeRequest(o workflows.OrderState, location string, lines []string) (workflows.DistributeOrderRequest, error) {
	var req workflows.DistributeOrderRequest
	if location != "" {
		id, err := resolveLocation(o, "--location", location)
		if err != nil {
			return req, err
		}
		req.LocationID = id
	}
	for _, l := range lines {
		lineID, loc, ok := strings.Cut(l, "=")
		li, err := strconv.ParseInt(strings.TrimSpace(lineID), 10, 64)
		if !ok || err != nil || li <= 0 {
			return req, &usageError{fmt.Errorf("--line %q: want LINE_ID=LOCATION (a Heartland order line id from `orders show`, a location id or name)", l)}
		}
		lo, err := resolveLocation(o, "--line "+lineID, loc)
		if err != nil {
			return req, err
		}
		req.Lines = append(req.Lines, workflows.LineAssignment{LineID: li, LocationID: lo})
	}
	if req.LocationID == 0 && len(req.Lines) == 0 {
		return req, &usageError{fmt.Errorf("give --location or at least one --line")}
	}
	return req, nil
}
