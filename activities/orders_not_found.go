package activities

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/hrbc/hrbc/activities/bigcommerce"
)

// ErrTypeOrderNotFound marks a BigCommerce order the store says it does not
// have (404): a webhook or a command named an order that was never placed
// or has been deleted. The Order workflow ends on it instead of asking a
// person to retry something that cannot succeed.
const ErrTypeOrderNotFound = "OrderNotFound"

// orderReadError classifies a failed read of the order itself: a 404 gets
// its own type, everything else is classified as usual.
func orderReadError(orderID int, what string, err error) error {
	if errors.Is(err, bigcommerce.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("BigCommerce has no order %d (%s answered 404)", orderID, what), ErrTypeOrderNotFound, err)
	}
	return bigCommerceError(what, err)
}
