package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// The fakes' control answers, as much of them as the CLI prints. They are
// declared here rather than imported: the CLI links no API client or fake.

// looseNumber is a quantity or amount the fakes send as a JSON number or
// a string ("3", "24.00").
type looseNumber string

// UnmarshalJSON accepts a number or a string.
func (n *looseNumber) UnmarshalJSON(b []byte) error {
	*n = looseNumber(strings.Trim(string(b), `"`))
	return nil
}

// MarshalJSON writes the number as the fake sent it, for --json.
func (n looseNumber) MarshalJSON() ([]byte, error) { return json.Marshal(string(n)) }

type heartlandStock struct {
	SKU       string `json:"sku"`
	ItemID    int64  `json:"item_id"`
	Locations []struct {
		LocationID int64       `json:"location_id"`
		Location   string      `json:"location"`
		OnHand     looseNumber `json:"on_hand"`
		Available  looseNumber `json:"available"`
		Committed  looseNumber `json:"committed"`
	} `json:"locations"`
}

type bigCommerceStock struct {
	SKU       string `json:"sku"`
	Tracking  string `json:"tracking"`
	Locations []struct {
		LocationID      int    `json:"location_id"`
		Label           string `json:"label"`
		IsDefault       bool   `json:"is_default"`
		OnHand          int    `json:"on_hand"`
		AvailableToSell int    `json:"available_to_sell"`
	} `json:"locations"`
}

type sandboxSale struct {
	TicketID int64       `json:"ticket_id"`
	PublicID string      `json:"public_id"`
	Total    looseNumber `json:"total"`
}

type sandboxInvoice struct {
	InvoiceID int64       `json:"invoice_id"`
	OrderID   int64       `json:"order_id"`
	PublicID  string      `json:"public_id"`
	Total     looseNumber `json:"total"`
}

// printStock shows a SKU on both sides, Heartland per location first.
func printStock(out io.Writer, hl *heartlandStock, bc *bigCommerceStock) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	if hl != nil {
		fmt.Fprintf(w, "Heartland %s\tON HAND\tAVAILABLE\tCOMMITTED\n", hl.SKU)
		for _, l := range hl.Locations {
			fmt.Fprintf(w, "  %d %s\t%s\t%s\t%s\n", l.LocationID, l.Location, l.OnHand, l.Available, l.Committed)
		}
	}
	if bc != nil {
		fmt.Fprintf(w, "BigCommerce %s (tracking: %s)\tON HAND\tAVAILABLE\t\n", bc.SKU, dash(bc.Tracking))
		for _, l := range bc.Locations {
			def := ""
			if l.IsDefault {
				def = " (default, the storefront's)"
			}
			fmt.Fprintf(w, "  %d %s%s\t%d\t%d\t\n", l.LocationID, l.Label, def, l.OnHand, l.AvailableToSell)
		}
	}
	return w.Flush()
}
