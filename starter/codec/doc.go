// Package codec encrypts every payload hrbc hands to Temporal (workflow
// inputs and results, signals, updates, query answers, memos, heartbeat
// details and failure messages) with AES-256-GCM, so the server stores
// ciphertext instead of customers' names, e-mails, phones and addresses.
// The worker, the starter CLI and the bench dial Temporal through
// ClientOptions, so all three read what any of them wrote. Keys come from
// a key ring (HRBC_PAYLOAD_KEYS, or the embedded sandbox's key file): the
// first key encrypts, every key decrypts, and payloads written before
// encryption was turned on pass through unchanged. It imports only the
// standard library and the Temporal SDK.
package codec
