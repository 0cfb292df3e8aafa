package main

import (
	"encoding/json"
	"errors"
	"io"
)

// checkedResult is a run whose consistency checks pass or fail.
type checkedResult interface{ OK() bool }

// reportChecked prints a checked run as JSON (--json) or as its summary,
// then fails when the run did or when its consistency checks failed, so
// the figures are printed whatever the outcome.
func reportChecked[R checkedResult](w io.Writer, asJSON bool, name string, res R, summary func(io.Writer, R), runErr error) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		summary(w, res)
	}
	if runErr != nil {
		return runErr
	}
	if !res.OK() {
		return errors.New(name + ": consistency checks failed")
	}
	return nil
}
