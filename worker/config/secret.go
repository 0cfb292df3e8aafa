package config

import "github.com/hrbc/hrbc/activities/secret"

// Secret is a credential read from configuration: the clients' own type,
// so a token goes from the environment to a client without being revealed
// on the way. It prints, logs and marshals as a fixed mask.
type Secret = secret.Secret

// mask is what a Secret shows instead of itself.
const mask = secret.Mask
