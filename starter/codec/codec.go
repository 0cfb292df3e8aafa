package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// Metadata of an encrypted payload. The encoding marks it as ours; the key
// id says which key of the ring opens it, so rotated-out keys that stay in
// the ring still decrypt old histories.
const (
	// Encoding is the "encoding" metadata value of an encrypted payload.
	Encoding = "binary/encrypted"
	// MetadataKeyID is the metadata entry naming the key.
	MetadataKeyID = "encryption-key-id"
)

// Codec is a converter.PayloadCodec encrypting with the ring's first key
// and decrypting with whichever key a payload names.
type Codec struct {
	ring *KeyRing
}

var _ converter.PayloadCodec = (*Codec)(nil)

// NewCodec returns the codec of ring.
func NewCodec(ring *KeyRing) *Codec { return &Codec{ring: ring} }

// Encode encrypts each whole payload (metadata and data), so not even the
// inner encoding or message type is left readable.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id := c.ring.EncryptingID()
	key, _ := c.ring.key(id)
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := p.Marshal()
		if err != nil {
			return payloads, fmt.Errorf("marshal payload: %w", err)
		}
		sealed, err := seal(key, plain, []byte(id))
		if err != nil {
			return payloads, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(Encoding),
				MetadataKeyID:              []byte(id),
			},
			Data: sealed,
		}
	}
	return out, nil
}

// Decode decrypts payloads this codec encrypted and passes any other
// through: histories written before encryption was on still read.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		key, ok := c.ring.key(id)
		if !ok {
			return payloads, fmt.Errorf("payload encrypted with key %q, which %s does not hold", id, KeyEnv)
		}
		plain, err := open(key, p.GetData(), []byte(id))
		if err != nil {
			return payloads, fmt.Errorf("payload encrypted with key %q: %w", id, err)
		}
		out[i] = &commonpb.Payload{}
		if err := out[i].Unmarshal(plain); err != nil {
			return payloads, fmt.Errorf("unmarshal decrypted payload: %w", err)
		}
	}
	return out, nil
}

// seal encrypts with AES-256-GCM under a random nonce, which it prepends;
// the key id is authenticated data, so a payload cannot be relabelled.
func seal(key, plain, keyID []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(plain)+gcm.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plain, keyID), nil
}

// open reverses seal.
func open(key, sealed, keyID []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("ciphertext too short")
	}
	nonce, body := sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():]
	plain, err := gcm.Open(nil, nonce, body, keyID)
	if err != nil {
		return nil, errors.New("cannot decrypt: wrong key or damaged payload")
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
