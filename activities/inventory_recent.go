package activities

import "time"

// asyncApplyWindow is how long a level this worker wrote is trusted over
// what BigCommerce reads back: the store applies inventory adjustments
// asynchronously (its docs say so), and a read within this window may
// still show the old level. Without it, a reconciliation right after an
// incremental write would write the same level again.
const asyncApplyWindow = 30 * time.Second

// recentWrite is one level written at a time.
type recentWrite struct {
	qty int
	at  time.Time
}

// rememberWrites keeps the levels just written. Caller holds m.mu.
func (m *inventoryMemory) rememberWrites(w *pendingWrite) {
	if m.recent == nil {
		m.recent = map[bcKey]recentWrite{}
	}
	now := time.Now()
	for i, k := range w.keys {
		m.recent[k] = recentWrite{qty: w.rows[i].Quantity, at: now}
	}
}

// overlayRecent puts the levels written within asyncApplyWindow over a
// freshly read snapshot, and forgets older ones. A level that changed in
// the store meanwhile (a web sale) is seen at the next read after the
// window. Caller holds m.mu.
func (m *inventoryMemory) overlayRecent(s *bcSnapshot) {
	for k, r := range m.recent {
		if time.Since(r.at) >= asyncApplyWindow {
			delete(m.recent, k)
			continue
		}
		if _, ok := s.levels[k]; ok {
			s.levels[k] = r.qty
		}
	}
}
