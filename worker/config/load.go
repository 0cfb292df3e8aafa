package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// LoadConfig reads Config from environ (KEY=value pairs, as os.Environ
// returns) and validates it.
func LoadConfig(environ []string) (Config, error) {
	var cfg Config
	if err := checkConnectionNumbering(environ); err != nil {
		return Config{}, err
	}
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: env.ToMap(environ)}); err != nil {
		return Config{}, explainParseError(reflect.TypeOf(cfg), environ, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// explainParseError turns env's field-named parse errors into ones that name
// the variable a person has to fix.
func explainParseError(t reflect.Type, environ []string, err error) error {
	var pe env.ParseError
	if errors.As(err, &pe) {
		problem := fmt.Sprintf("not a valid %s", describeKind(pe.Type))
		if f, ok := t.FieldByName(pe.Name); ok {
			return &ConfigError{Variable: f.Tag.Get("env"), Problem: problem}
		}
		// env names only the field of a connection, not which connection:
		// the variable is the one whose value does not parse.
		if f, ok := reflect.TypeOf(ConnectionConfig{}).FieldByName(pe.Name); ok {
			suffix := "_" + f.Tag.Get("env")
			for _, kv := range environ {
				name, value, _ := strings.Cut(kv, "=")
				if strings.HasPrefix(name, "HRBC_CONNECTION_") && strings.HasSuffix(name, suffix) && !parses(value, pe.Type) {
					return &ConfigError{Variable: name, Problem: problem}
				}
			}
		}
	}
	return fmt.Errorf("configuration: %w", err)
}

// parses reports whether value is a valid number or boolean of kind t
// (other kinds always parse).
func parses(value string, t reflect.Type) bool {
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		_, err = strconv.ParseInt(value, 10, 64)
	case reflect.Float64:
		_, err = strconv.ParseFloat(value, 64)
	case reflect.Bool:
		_, err = strconv.ParseBool(value)
	}
	return err == nil
}

func describeKind(t reflect.Type) string {
	if t == reflect.TypeOf(time.Duration(0)) {
		return "duration (for example 10s)"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "whole number"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	}
	return t.String()
}
