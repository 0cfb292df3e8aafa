package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hrbc/hrbc/workflows"
)

// orderStages are the values of an order's HrbcStage, in the order an
// order passes through them; `orders list --stage` takes only these, as a
// misspelt stage would list nothing and look like "no orders".
var orderStages = []string{
	workflows.OrderStageWaitingStatus, workflows.OrderStageImporting, workflows.OrderStageAwaitingDistribution,
	workflows.OrderStageFulfilling, workflows.OrderStageClosed, workflows.OrderStageCancelled, workflows.OrderStageAttention,
	workflows.OrderStageResolved, workflows.OrderStageNotInStore,
}

// checkStage refuses a stage no order can be in ("" lists every stage).
func checkStage(stage string) error {
	if stage == "" || slices.Contains(orderStages, stage) {
		return nil
	}
	return &usageError{fmt.Errorf("--stage %q is not an order stage: give one of %s", stage, strings.Join(orderStages, ", "))}
}
