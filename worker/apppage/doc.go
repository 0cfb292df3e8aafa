// Package apppage serves hrbc's app page: what a merchant sees when opening
// hrbc from BigCommerce's control panel. It has four tabs (Items
// Information, Inventory, Order Fulfillment, Errors) with the connection
// check's result on top and an alert for orders waiting to be distributed.
//
// Every action on the page is a call to the same starter functions the CLI
// uses, so it gets the same validation. The page is rendered on the server
// from html/template; it works inside BigCommerce's control-panel iframe,
// where third-party cookies are unreliable, by carrying a signed session
// token in links and forms instead of a cookie.
//
// It imports starter and workflows (types) only; the intake's load callback
// verifies the store user and calls Page.Open.
package apppage
