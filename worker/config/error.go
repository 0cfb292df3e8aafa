package config

// ConfigError names the environment variable whose value is unusable.
type ConfigError struct {
	// Variable is the environment variable's name.
	Variable string
	// Problem says what is wrong with its value (never the value of a secret).
	Problem string
}

// Error names the variable first, so an operator sees what to fix.
func (e *ConfigError) Error() string { return e.Variable + ": " + e.Problem }
