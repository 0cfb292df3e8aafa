package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hrbc/hrbc/activities"
)

// localImportTimeout bounds an import run in the workflow task. An import
// of a store that is not busy takes eight to ten Heartland calls, well
// under a second at the latencies seen; one that takes longer is Heartland
// slowing down, and the workflow task it holds open (with every signal and
// update the order receives meanwhile) is better let go. It stays under
// the workflow task's own timeout (ten seconds), read included, so that
// the SDK has no need to heartbeat the task.
const localImportTimeout = 4 * time.Second

// importInPlace tries the import as a local activity, in the workflow task
// that read the order, for runs under orderInPlaceVersion; it reports
// whether it did the import, res then holding its result.
//
// A new order's history was mostly its import: the activity's three events
// and the second workflow task it needed were six of eighteen events and
// half its trips through the server. In place, the import is one marker.
// It asks to start at once or not at all (InPlace): a flash sale's orders,
// queued for their connection's two import slots or behind Heartland's
// pacing, are refused before any call and wait their turn as activities,
// without holding their workflow task. Any failure, or an import slower
// than localImportTimeout, leaves the import to the activity as well; the
// import looks up before it creates, so what the local attempt wrote is
// found, not written twice, and it starts no write with less than two
// seconds of its time left, so that no create cut off by its deadline
// lands after the activity looked.
func (o *order) importInPlace(ctx workflow.Context, req activities.ImportSalesOrderRequest, res *activities.ImportSalesOrderResult) bool {
	if !o.inPlace {
		return false
	}
	req.InPlace = true
	err := workflow.ExecuteLocalActivity(localOnce(ctx, localImportTimeout), orderActivities.ImportSalesOrder, req).Get(ctx, res)
	if err == nil {
		return true
	}
	*res = activities.ImportSalesOrderResult{}
	if !isImportBusy(err) {
		workflow.GetLogger(ctx).Info("Import failed in place; running it as an activity", "OrderID", o.OrderID, "Error", err)
	}
	return false
}

// isImportBusy reports an import InPlace refused because it would have had
// to wait: the ordinary case in a flash sale, not a failure worth a log.
func isImportBusy(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == activities.ErrTypeImportBusy
}
