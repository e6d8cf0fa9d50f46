// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`); do not edit.
//
// Each copy function copies one result's fields by name, in the core's order, from the object
// the native module made (src/models.rs sets them under these names) onto the instance of the
// class index.js exports; each init function gives a new instance every field (null), in the
// core's order, for the native module to set. Nested records (an order's virtualAccount) are
// the native module's objects themselves.

'use strict'

/** Order. An order as Cashi created it. */
function copyOrder(to, from) {
  to.orderId = from.orderId
  to.amount = from.amount
  to.requestedAmount = from.requestedAmount
  to.uniqueCode = from.uniqueCode
  to.checkoutUrl = from.checkoutUrl
  to.qrUrl = from.qrUrl
  to.expiresAt = from.expiresAt
  to.provider = from.provider
  to.fee = from.fee
  to.expectedNet = from.expectedNet
  to.isQrisCustom = from.isQrisCustom
  to.virtualAccount = from.virtualAccount
  to.retail = from.retail
}

/** PaymentStatus. An order's payment status, as check-status reports it. */
function copyPaymentStatus(to, from) {
  to.orderId = from.orderId
  to.status = from.status
  to.amount = from.amount
  to.providerTxId = from.providerTxId
  to.amountFromWebhook = from.amountFromWebhook
  to.isSettled = from.isSettled
  to.isPending = from.isPending
  to.isExpired = from.isExpired
  to.isFinal = from.isFinal
}

/** WebhookEvent. A webhook event: verified, unless read with parse_unverified. */
function initWebhookEvent(to) {
  to.event = null
  to.orderId = null
  to.status = null
  to.amount = null
  to.paymentMethod = null
  to.paidAt = null
  to.paidAtTime = null
  to.transactionId = null
  to.isTest = null
  to.isSettled = null
  to.isVerified = null
}

module.exports = { copyOrder, copyPaymentStatus, initWebhookEvent }
