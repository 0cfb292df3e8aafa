package workflows

import "time"

// Message names of the HeartlandSweep workflow; the same as OrderSweep's,
// so that the connection and the operator tell both alike.
const (
	// HeartlandSweepSettingsSignal hands the sweep new connection settings;
	// with order sync off the sweep ends.
	HeartlandSweepSettingsSignal = SweepSettingsSignal
	// HeartlandSweepNowSignal runs a round at once.
	HeartlandSweepNowSignal = SweepNowSignal
	// HeartlandSweepStatusQuery returns the HeartlandSweepStatus.
	HeartlandSweepStatusQuery = SweepStatusQuery
)

// DefaultHeartlandSweepInterval is the Heartland sweep's period when the
// settings name none. An invoice made in Heartland reaches BigCommerce
// within about this long, without a webhook; idle, a round costs two
// Heartland calls, 30 a minute for the whole connection.
const DefaultHeartlandSweepInterval = 4 * time.Second

// heartlandSweepLookback is how far back a new sweep starts: changes made
// while the connection had no sweep yet (a deploy) are found, and a large
// account's whole history is not read.
const heartlandSweepLookback = time.Hour

// HeartlandSweepInput starts or continues a HeartlandSweep.
type HeartlandSweepInput struct {
	ConnectionID string   `json:"connection_id"`
	Settings     Settings `json:"settings"`
	// Watermark is the newest updated_at already swept (RFC 3339); empty
	// on the first start (the sweep starts heartlandSweepLookback ago).
	Watermark string `json:"watermark,omitempty"`
	// Seen are the records near the watermark already reported.
	Seen []string `json:"seen,omitempty"`
	// Signalled counts orders told of a change over all runs.
	Signalled int `json:"signalled"`
	// Known counts changes not told because the order's workflow knew
	// them (its own import), over all runs.
	Known int `json:"known,omitempty"`
	// Attention is why the last round failed, empty when it did not.
	Attention string `json:"attention,omitempty"`
	// Failures counts failed rounds in a row; the pause grows with it.
	Failures int `json:"failures,omitempty"`
	// InvoiceWatermark and InvoiceSeen are Watermark and Seen of the
	// invoices, which runs under heartlandFastInvoicesChange list apart
	// from the orders (Watermark and Seen are then the orders' alone).
	InvoiceWatermark string   `json:"invoice_watermark,omitempty"`
	InvoiceSeen      []string `json:"invoice_seen,omitempty"`
	// Ticks counts rounds, to list orders every heartlandOrdersEvery; a
	// connection starts its sweep at firstHeartlandTick.
	Ticks int `json:"ticks,omitempty"`
}

// HeartlandSweepStatus is what the Heartland sweep's status query returns.
type HeartlandSweepStatus struct {
	Watermark string `json:"watermark,omitempty"`
	Signalled int    `json:"signalled"`
	// Known is HeartlandSweepInput.Known.
	Known int `json:"known,omitempty"`
	// Attention is why the sweep needs a person; empty when it does not.
	Attention string `json:"attention,omitempty"`
	// Failures counts failed rounds in a row.
	Failures int `json:"failures,omitempty"`
}

func (s Settings) heartlandSweepInterval() time.Duration {
	if s.HeartlandSweepSeconds <= 0 {
		return DefaultHeartlandSweepInterval
	}
	return time.Duration(s.HeartlandSweepSeconds) * time.Second
}
