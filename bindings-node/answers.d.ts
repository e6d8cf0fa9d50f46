// Generated from core/src/webhook_answer.rs by tools/codegen (`cargo run -p cashi-codegen -- write`); do not edit.

/** An outcome's stable name: a handler's answer's `outcome`. */
export type WebhookOutcome =
  | 'invalid_signature'
  | 'invalid_payload'
  | 'no_secret'
  | 'test_webhook'
  | 'not_settlement'
  | 'already_fulfilled'
  | 'unknown_order'
  | 'not_confirmed'
  | 'confirm_unavailable'
  | 'confirm_failed'
  | 'handler_error'
  | 'fulfilled'
