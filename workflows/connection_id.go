package workflows

import (
	"fmt"
	"regexp"
)

// connectionIDPattern is what a connection ID may be: it is part of
// workflow IDs ("order/<connection>/<order>"), webhook URLs and the
// worker's HRBC_CONNECTION_<n>_ID, so a slash or dot would make one
// connection's IDs collide with another's or walk a URL path.
var connectionIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)

// ValidateConnectionID refuses a connection ID that is not 1-63 letters,
// digits, '-' or '_' starting with a letter or digit, as a SettingsError
// on the field connection_id.
func ValidateConnectionID(id string) error {
	if !connectionIDPattern.MatchString(id) {
		return &SettingsError{"connection_id", fmt.Sprintf("%q is not a connection ID: want 1-63 letters, digits, '-' or '_', starting with a letter or digit", id)}
	}
	return nil
}
