package workflows

import "go.temporal.io/sdk/workflow"

// orderBaselineChange versions the Order workflow as one: a run under it
// has every change of the Order workflow listed in takeEveryChange, and
// records one version marker for them instead of one each. Each marker
// costs a run two history events (the marker and the SDK's upsert of
// TemporalChangeVersion): sixteen of the fifty-odd events an imported
// order wrote. The baseline also moves the import's word to the inventory
// sync into the import activity (importTells), which spares the run a
// signal and the workflow task of its outcome. Runs begun before it have
// no marker for it and ask for each change as they always did. A change
// made after it is versioned on its own, as before.
const orderBaselineChange = "order-baseline-2026-12"

// orderQuietChange succeeds orderBaselineChange as the marker new runs
// record: a run under it has every change of the baseline and four more,
// each sparing history events, workflow tasks or calls on every order.
//   - Its reads run first as local activities, in the workflow task that
//     asks for them (callRead).
//   - The run does not write its search attributes at its start when the
//     start wrote them already (startedPublished).
//   - Its waits share one timer (orderTimer): a wait a signal ends leaves
//     its timer running for the next wait, where AwaitWithTimeout left it
//     to fire, unwatched, an hour later, and started another.
//   - An order that read Heartland on its way to fulfilling (staff
//     distributed there) does not read it again on arrival (takeNews).
//
// Runs under orderBaselineChange record no marker for it (GetVersion of a
// change the history lacks is DefaultVersion on replay) and go on as
// before.
const orderQuietChange = "order-quiet-2026-12"

// orderStampsVersion is the version of orderQuietChange whose runs also
// keep their Heartland order's stamp in the memo (OrderHeartlandMemo). A
// new version of the marker new runs record already, not a change of its
// own: another marker would cost every order two history events. Runs
// under version 1 keep no stamp, and the Heartland sweep tells them of
// their imports as before.
const orderStampsVersion = 2

// orderInPlaceVersion is the version of orderQuietChange whose runs also
// try their import as a local activity, in the workflow task that read the
// order, before they schedule it as an activity (importInPlace). Runs
// under earlier versions schedule it at once, as they always did.
const orderInPlaceVersion = 3

// orderOneMemoVersion is the version of orderQuietChange whose runs write
// the read of a new order and its import's stamp to the memo in one
// upsert when the import runs in place (holdRead). Runs under earlier
// versions write them one after the other, as they did.
const orderOneMemoVersion = 4

// orderWritesInPlaceVersion is the version of orderQuietChange whose runs
// try each write of their fulfillment (capture, shipment, payment, status,
// distribution) as a local activity before they schedule it
// (tryInPlace). Runs under earlier versions schedule them at once.
const orderWritesInPlaceVersion = 5

// orderQuietLatest is the version of orderQuietChange new runs record.
const orderQuietLatest = orderWritesInPlaceVersion

// decideChanges settles which of the Order workflow's versioned changes
// this run has. Called once, before the handlers are installed, since
// they depend on it too.
func (o *order) decideChanges(ctx workflow.Context) {
	if v := workflow.GetVersion(ctx, orderQuietChange, workflow.DefaultVersion, orderQuietLatest); v >= 1 {
		o.takeEveryChange()
		o.quiet = true
		o.stamps = v >= orderStampsVersion
		o.inPlace = v >= orderInPlaceVersion
		o.oneMemo = v >= orderOneMemoVersion
		o.writesInPlace = v >= orderWritesInPlaceVersion
		return
	}
	if workflow.GetVersion(ctx, orderBaselineChange, workflow.DefaultVersion, 1) >= 1 {
		o.takeEveryChange()
		return
	}
	o.lean = workflow.GetVersion(ctx, leanImportChange, workflow.DefaultVersion, 1) >= 1
	o.money = workflow.GetVersion(ctx, moneyChange, workflow.DefaultVersion, 1) >= 1
	o.screens = workflow.GetVersion(ctx, heartlandScreensChange, workflow.DefaultVersion, 1) >= 1
	o.rescue = workflow.GetVersion(ctx, orderRescueChange, workflow.DefaultVersion, 1) >= 1
	o.capture = workflow.GetVersion(ctx, captureChange, workflow.DefaultVersion, 1) >= 1
	o.readMemo = workflow.GetVersion(ctx, orderReadMemoChange, workflow.DefaultVersion, 1) >= 1
	o.readCovers = o.lean && workflow.GetVersion(ctx, orderReadCoversChangesChange, workflow.DefaultVersion, 1) >= 1
	// commandSignalsChange and orderTellsInventoryChange are asked for
	// when first needed (handlesCommandSignals, tellInventory).
}

// takeEveryChange turns on every change orderBaselineChange stands for.
func (o *order) takeEveryChange() {
	o.lean, o.money, o.screens, o.rescue, o.capture, o.readMemo, o.readCovers = true, true, true, true, true, true, true
	yes := true
	o.commandSignals, o.tellsInventory = &yes, &yes
	o.importTells = true
}
