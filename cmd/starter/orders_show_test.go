package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hrbc/hrbc/workflows"
)

// An order that refused a distribute sent as a signal says so in `orders
// show`, since a signal gets no answer of its own.
func TestShowOrderPrintsTheLastRefusedSignal(t *testing.T) {
	var out bytes.Buffer
	a := &app{out: &out}
	at := time.Now().UTC().Truncate(time.Second)
	o := workflows.OrderState{ConnectionID: "shop", OrderID: 102, Stage: workflows.OrderStageAwaitingDistribution,
		LastRejected: &workflows.RejectedCommand{Command: workflows.OrderDistributeSignal, Reason: "order 102 has no line 99", At: at}}
	if err := a.printOrder(o); err != nil {
		t.Fatal(err)
	}
	want := "distribute at " + at.Format(time.RFC3339) + ": order 102 has no line 99"
	if !strings.Contains(out.String(), "last refused signal") || !strings.Contains(out.String(), want) {
		t.Fatalf("show output lacks the refused signal %q:\n%s", want, out.String())
	}
	out.Reset()
	o.LastRejected = nil
	if err := a.printOrder(o); err != nil || strings.Contains(out.String(), "refused") {
		t.Fatalf("an order with nothing refused shows %q (%v)", out.String(), err)
	}
}
