package workflows

// orderReadCoversChangesChange versions the Order workflow forgetting the
// BigCommerce changes it was told while its import read was on its way,
// when that read saw them already. Before it, a change the sweep handed
// over to an order that had not read yet cost the order a second read
// right after its import; on a cluster that is behind, that is most of
// the orders the sweep hands over.
const orderReadCoversChangesChange = "order-read-covers-changes"

// noteBigCommerceChange counts a change this run has not read yet, and in
// runs under orderReadCoversChangesChange keeps what it names, for a read
// to come to cover it (forgetChangesRead).
func (o *order) noteBigCommerceChange(c OrderChange) {
	o.bcChanged++
	if o.readCovers {
		o.unreadBC = append(o.unreadBC, c)
	}
}

// forgetChangesRead marks as seen the changes told since the last look
// when the read just made saw every one of them (the same status, modified
// no later). A bare change (a webhook's, which names no state) is never
// covered: the order then looks again, as it always did.
func (o *order) forgetChangesRead() {
	if !o.readCovers || o.bcChanged == o.seenBC {
		return
	}
	for _, c := range o.unreadBC {
		if !o.alreadyRead(c) {
			return
		}
	}
	o.seenBC = o.bcChanged
	o.unreadBC = o.unreadBC[:0]
}
