package activities

import "time"

// asyncApplyWindow is how long a level this worker wrote is trusted over a
// read-back that still shows the level from before the write: the store
// applies inventory adjustments asynchronously (its docs say so). Without
// it, a reconciliation right after an incremental write would write the
// same level again.
const asyncApplyWindow = 10 * time.Second

// recentWrite is one level written at a time, with the level it replaced.
type recentWrite struct {
	qty, before int
	at          time.Time
}

// rememberWrites keeps the levels just written over the levels known
// before (a level not known before is not kept: a stale read of it could
// not be told from a change). Caller holds m.mu.
func (m *inventoryMemory) rememberWrites(w *pendingWrite, before map[bcKey]int) {
	if m.recent == nil {
		m.recent = map[bcKey]recentWrite{}
	}
	now := time.Now()
	for i, k := range w.keys {
		if old, ok := before[k]; ok && old != w.rows[i].Quantity {
			m.recent[k] = recentWrite{qty: w.rows[i].Quantity, before: old, at: now}
		}
	}
}

// overlayRecent corrects a freshly read snapshot for writes the store has
// not applied yet: within asyncApplyWindow, a level that still reads as
// it was before this worker's write is taken as written. Any other level
// is the store's own news (a web sale, an edit) and stands. Caller holds
// m.mu.
func (m *inventoryMemory) overlayRecent(s *bcSnapshot) {
	for k, r := range m.recent {
		if time.Since(r.at) >= asyncApplyWindow {
			delete(m.recent, k)
			continue
		}
		if got, ok := s.levels[k]; ok && got == r.before {
			s.levels[k] = r.qty
		} else {
			delete(m.recent, k)
		}
	}
}
