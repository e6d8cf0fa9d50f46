// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`); do not edit.
//
// The fields of the SDK's results, declared once in the Rust core. index.d.ts merges each
// result's interface into its class (Order, PaymentStatus, WebhookEvent); the nested ones
// (an order's virtualAccount and retail) are plain objects.

/** An order as Cashi created it. */
export interface OrderFields {
  /** The order's id: the one given to create_order, or the one Cashi made. */
  readonly orderId: string
  /** The amount to pay, with the unique code. Store it: the webhook carries it. */
  readonly amount: number
  /** The amount that was asked for. */
  readonly requestedAmount: number
  /** amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none). */
  readonly uniqueCode: number
  /** Cashi's hosted payment page. */
  readonly checkoutUrl: string | null
  /** The QR code as a data:image/png;base64 URI (QRIS orders). */
  readonly qrUrl: string | null
  /** When the order stops being payable, at +07:00; absent if unknown. */
  readonly expiresAt: Date | null
  /** The payment provider Cashi routed the order to. */
  readonly provider: string | null
  /** Cashi's fee, as a percentage (e.g. 0.7). */
  readonly fee: number | null
  /** What the merchant receives after the fee. */
  readonly expectedNet: number | null
  /** Whether the order uses the merchant's own QRIS. */
  readonly isQrisCustom: boolean | null
  /** The virtual account to pay into (VA orders). */
  readonly virtualAccount: VirtualAccountFields | null
  /** The payment code to pay at a store (retail orders). */
  readonly retail: RetailCodeFields | null
}

/** The virtual-account part of a VA order. */
export interface VirtualAccountFields {
  /** The account number the customer transfers to. */
  readonly vaNumber: string
  /** The bank's code. */
  readonly bank: string | null
  /** The bank's name. */
  readonly bankName: string | null
  /** What the customer transfers, the bank's fee included. */
  readonly totalAmount: number | null
  /** The bank's fee. */
  readonly adminFee: number | null
  /** The channel code the order was created with. */
  readonly kodeChannel: string | null
}

/** The payment code of a retail (Alfamart, Indomaret) order. */
export interface RetailCodeFields {
  /** The code the customer shows at the till. */
  readonly paymentCode: string
  /** The store chain's code. */
  readonly retailCode: string | null
  /** The store chain's name. */
  readonly retailName: string | null
}

/** An order's payment status, as check-status reports it. */
export interface PaymentStatusFields {
  /** The order's id. */
  readonly orderId: string
  /** PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent. */
  readonly status: string
  /** The amount Cashi reports for the order (the amount paid, once settled). */
  readonly amount: number | null
  /** Cashi's transaction id, present once settled. */
  readonly providerTxId: string | null
  /** Set by confirm given a webhook event when check-status carried no amount. */
  readonly amountFromWebhook: boolean
  /** The status is SETTLED. Still compare the amount (confirm does). */
  readonly isSettled: boolean
  /** The status is PENDING: the customer has not paid yet. */
  readonly isPending: boolean
  /** The status is EXPIRED: the order can no longer be paid. */
  readonly isExpired: boolean
  /** The status can no longer change on its own (SETTLED or EXPIRED). */
  readonly isFinal: boolean
}

/** A webhook event: verified, unless read with parse_unverified. */
export interface WebhookEventFields {
  /** The event's name (PAYMENT_SETTLED). */
  readonly event: string
  /** The order's id. */
  readonly orderId: string
  /** The payment's status (SETTLED). */
  readonly status: string
  /** The amount paid; compare it with the amount stored at create-order time. */
  readonly amount: number
  /** How the customer paid. */
  readonly paymentMethod: string | null
  /** When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time). */
  readonly paidAt: string | null
  /** paid_at as an instant at +07:00, when it is present and readable. */
  readonly paidAtTime: Date | null
  /** Cashi's transaction id. */
  readonly transactionId: string | null
  /** A dashboard test (order id TEST-...): answer 200 and fulfil nothing. */
  readonly isTest: boolean
  /** PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling. */
  readonly isSettled: boolean
  /** Its signature was verified; false when read with parse_unverified (a hint: confirm by order id). */
  readonly isVerified: boolean
}
