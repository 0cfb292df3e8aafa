package codec

import (
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// DataConverter is the SDK's default converter with ring's encryption
// after it: what leaves the process is ciphertext.
func DataConverter(ring *KeyRing) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), NewCodec(ring))
}

// ClientOptions returns o set up to encrypt with ring: payloads through
// DataConverter, and failures' messages and stack traces too (an API
// error may quote a customer's address), which the default failure
// converter would leave in clear. Every hrbc process dials through it.
func ClientOptions(ring *KeyRing, o client.Options) client.Options {
	dc := DataConverter(ring)
	o.DataConverter = dc
	o.FailureConverter = temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          dc,
		EncodeCommonAttributes: true,
	})
	return o
}
