package activities

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"go.temporal.io/sdk/activity"
)

// Outcomes of one connection check.
const (
	// CheckOK: nothing to do.
	CheckOK = "ok"
	// CheckWarn: hrbc works, but a person should know or choose.
	CheckWarn = "warn"
	// CheckFail: hrbc cannot work as configured, or would harm the store.
	CheckFail = "fail"
)

// CheckLine is one check of a connection: what was looked at, what was
// found, and the command or setting that fixes it.
type CheckLine struct {
	// Check names what was looked at ("bigcommerce token", "locations").
	Check string `json:"check"`
	// Status is CheckOK, CheckWarn or CheckFail.
	Status string `json:"status"`
	// Found says what the accounts answered.
	Found string `json:"found"`
	// Fix is the command or setting that fixes it, empty when ok.
	Fix string `json:"fix,omitempty"`
	// Field is the setting the line is about, when it is about one.
	Field string `json:"field,omitempty"`
}

// CheckReport is the result of a connection check.
type CheckReport struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// CheckedAt is when the check ran.
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// SettingsOnly is set on a report of the credentials and locations only.
	SettingsOnly bool `json:"settings_only,omitempty"`
	// Lines are the checks in the order they ran.
	Lines []CheckLine `json:"lines"`
	// Fails and Warns count the lines of each outcome.
	Fails int `json:"fails"`
	Warns int `json:"warns"`
	// Fixed lists what --fix changed.
	Fixed []string `json:"fixed,omitempty"`
}

// add appends a line and counts it.
func (r *CheckReport) add(l CheckLine) {
	r.Lines = append(r.Lines, l)
	switch l.Status {
	case CheckFail:
		r.Fails++
	case CheckWarn:
		r.Warns++
	}
}

// FirstFail is the first failed line, for a one-line attention text.
func (r CheckReport) FirstFail() (CheckLine, bool) {
	for _, l := range r.Lines {
		if l.Status == CheckFail {
			return l, true
		}
	}
	return CheckLine{}, false
}

// CheckSettings are the connection settings a check reads; the workflows
// hand them over from their own Settings.
type CheckSettings struct {
	AllLocations             bool    `json:"all_locations"`
	LocationIDs              []int64 `json:"location_ids,omitempty"`
	SourceLocationID         int64   `json:"source_location_id,omitempty"`
	AutoDistributeLocationID int64   `json:"auto_distribute_location_id,omitempty"`
	FulfillmentLocationID    int64   `json:"fulfillment_location_id,omitempty"`
	OutsideFulfillment       bool    `json:"outside_fulfillment,omitempty"`
	OrderSync                bool    `json:"order_sync,omitempty"`
	InventorySync            bool    `json:"inventory_sync,omitempty"`
	// Capture is the connection's capture setting: CaptureOnFirstShipment,
	// or at checkout (CaptureAtCheckout or empty).
	Capture string `json:"capture,omitempty"`
}

// The connection's capture settings a check compares the store with.
const (
	// CaptureAtCheckout: the gateway captures at checkout (the default).
	CaptureAtCheckout = "at_checkout"
	// CaptureOnFirstShipment: the store only authorizes; hrbc also
	// imports orders Awaiting Payment and captures at the first shipment.
	CaptureOnFirstShipment = "on_first_shipment"
)

// syncing reports whether the settings turn any sync on.
func (s CheckSettings) syncing() bool { return s.OrderSync || s.InventorySync }

// ConnectionCheckInput asks for a check of one connection.
type ConnectionCheckInput struct {
	// ConnectionID names the connection.
	ConnectionID string `json:"connection_id"`
	// Settings are the settings to check (current or proposed).
	Settings CheckSettings `json:"settings"`
	// SettingsOnly checks the credentials and the locations only: what
	// configure needs before it accepts settings.
	SettingsOnly bool `json:"settings_only,omitempty"`
	// Fix creates what a check found missing and hrbc may create (the
	// payment type hrbc records payments with).
	Fix bool `json:"fix,omitempty"`
}

// ConnectionChecks holds the preflight checks of a connection against both
// live accounts. Nothing is written unless Fix is asked for.
type ConnectionChecks struct {
	// Connections gives each connection's clients.
	Connections *Connections
	// PublicURL is where the platforms reach the intake (HRBC_PUBLIC_URL).
	PublicURL string
	// HTTPClient calls the intake's /healthz (default: 5 s timeout).
	HTTPClient *http.Client
	// Now is the clock "recent orders" are measured on (default time.Now).
	Now func() time.Time
}

func (a *ConnectionChecks) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

// CheckConnection runs every check of a connection and reports one line
// per check. Failures of the accounts are lines of the report, never
// errors of the activity: an unreachable Heartland is what the operator
// asked to know about.
func (a *ConnectionChecks) CheckConnection(ctx context.Context, in ConnectionCheckInput) (CheckReport, error) {
	rep := CheckReport{ConnectionID: in.ConnectionID, CheckedAt: a.now(), SettingsOnly: in.SettingsOnly}
	beat := func() {
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx)
		}
	}
	cl, ok := a.credentials(&rep, in)
	if !ok {
		return rep, nil
	}
	bcOK := a.checkBigCommerceToken(ctx, &rep, cl, in.SettingsOnly)
	hlLocations, hlOK := a.checkHeartland(ctx, &rep, cl)
	if hlOK {
		checkLocations(&rep, in, hlLocations)
	}
	if in.SettingsOnly {
		return rep, nil
	}
	beat()
	if hlOK {
		a.checkPaymentType(ctx, &rep, cl, in.Fix)
	}
	if bcOK {
		a.checkCaptureMode(ctx, &rep, cl, in.Settings.Capture)
		a.checkCustomizations(ctx, &rep, cl, beat)
	}
	if bcOK && hlOK {
		a.checkSKUs(ctx, &rep, in.ConnectionID)
		beat()
		a.checkBlastRadius(ctx, &rep, cl, in, beat)
	}
	a.checkWebhooks(ctx, &rep, in.ConnectionID)
	return rep, nil
}

// credentials finds the connection's clients; a connection this worker
// has no credentials for fails when a sync is on and warns otherwise.
func (a *ConnectionChecks) credentials(rep *CheckReport, in ConnectionCheckInput) (Clients, bool) {
	cl, err := a.Connections.Get(in.ConnectionID)
	if err == nil {
		rep.add(CheckLine{Check: "credentials", Status: CheckOK, Found: "the worker has both accounts' credentials"})
		return cl, true
	}
	l := CheckLine{Check: "credentials", Status: CheckWarn,
		Found: fmt.Sprintf("the worker has no credentials for connection %q: nothing can be checked or synced", in.ConnectionID),
		Fix:   "set HRBC_CONNECTION_<n>_ID=" + in.ConnectionID + " and its _HEARTLAND_* and _BIGCOMMERCE_* variables, then restart the worker"}
	if in.Settings.syncing() {
		l.Status = CheckFail
		l.Found = fmt.Sprintf("order or inventory sync is on but the worker has no credentials for connection %q", in.ConnectionID)
	}
	rep.add(l)
	return Clients{}, false
}
