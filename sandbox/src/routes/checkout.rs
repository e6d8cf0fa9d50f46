//! The checkout page a customer sees at `checkout_url`: QR, amount in rupiah, countdown,
//! live status, a "Simulate payment" button (sandbox only) and the redirect once paid.
//! Self-contained HTML (inline CSS and JS) so it works offline and in headless browsers.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::{encode_segment, settle, store_error};
use crate::order::Order;
use crate::qr_png;
use crate::state::Sandbox;
use crate::store::StoreError;

/// `Rp 15.023`: Indonesian thousands separator is a dot.
pub fn rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp {}{out}", if amount < 0 { "-" } else { "" })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page's JSON view of an order, polled by its script; unauthenticated like the page.
fn page_status(sandbox: &Sandbox, o: &Order) -> serde_json::Value {
    let now = sandbox.clock.now();
    let redirect_url = sandbox.store.lock().settings.redirect_url.clone();
    json!({
        "success": true,
        "order_id": o.order_id,
        "status": o.status.as_str(),
        "amount": o.paid_amount.unwrap_or(o.amount),
        "amount_text": rupiah(o.paid_amount.unwrap_or(o.amount)),
        "remaining_ms": (o.expires_at - now).max(0),
        "redirect_url": redirect_url,
    })
}

fn find(sandbox: &Sandbox, id: &str) -> Result<Order, StoreError> {
    sandbox
        .store
        .lock()
        .get(id, sandbox.clock.now())
        .ok_or_else(|| StoreError::NotFound(format!("order '{id}' not found")))
}

pub async fn status(State(sandbox): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    match find(&sandbox, &id) {
        Ok(o) => Json(page_status(&sandbox, &o)).into_response(),
        Err(e) => store_error(e),
    }
}

/// The "Simulate payment" button: pays the exact amount, as a customer would.
pub async fn simulate(State(sandbox): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    match settle(&sandbox, &id, None) {
        Ok(o) => Json(page_status(&sandbox, &o)).into_response(),
        Err(e) => store_error(e),
    }
}

pub async fn index() -> Html<&'static str> {
    Html(
        "<!DOCTYPE html><title>Cashi sandbox</title><p>Cashi sandbox. The API is under /api, \
          checkout pages under /pay/{orderId}.</p>",
    )
}

pub async fn page(State(sandbox): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    let o = match find(&sandbox, &id) {
        Ok(o) => o,
        Err(_) => {
            return (
                StatusCode::NOT_FOUND,
                Html(format!(
                    "<!DOCTYPE html><title>Order not found</title><p>Order {} not found.</p>",
                    escape(&id)
                )),
            )
                .into_response()
        }
    };
    let base = format!("/pay/{}", encode_segment(&o.order_id));
    let cfg = json!({
        "status_url": format!("{base}/status"),
        "simulate_url": format!("{base}/simulate"),
        "initial": page_status(&sandbox, &o),
    });
    // `<` escaped so no value can close the script element.
    let cfg = cfg.to_string().replace('<', "\\u003c");
    let pay_with = match &o.qris_payload {
        Some(p) => format!(
            "<img id=\"qr\" alt=\"QRIS code\" src=\"{}\">\
             <p class=\"hint\">Scan with any QRIS-enabled banking or e-wallet app.</p>",
            qr_png::data_uri(p)
        ),
        None => format!(
            "<p class=\"hint\">{}</p><p class=\"code\" id=\"payment-code\">{}</p>",
            escape(o.channel.display_name()),
            escape(o.payment_code.as_deref().unwrap_or_default())
        ),
    };
    let html = PAGE
        .replace("{{MERCHANT}}", &escape(&sandbox.config.merchant_name))
        .replace("{{ORDER_ID}}", &escape(&o.order_id))
        .replace("{{AMOUNT}}", &rupiah(o.paid_amount.unwrap_or(o.amount)))
        .replace("{{STATUS}}", o.status.as_str())
        .replace("{{PAY_WITH}}", &pay_with)
        .replace("{{CONFIG}}", &cfg);
    Html(html).into_response()
}

const PAGE: &str = r##"<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pay {{AMOUNT}} · {{MERCHANT}}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #0f172a; color: #e2e8f0; margin: 0;
         display: flex; justify-content: center; }
  main { background: #1e293b; margin: 2rem 1rem; padding: 2rem; border-radius: 1.5rem;
         max-width: 26rem; width: 100%; text-align: center; }
  .merchant { font-size: .8rem; letter-spacing: .15em; text-transform: uppercase; color: #94a3b8; }
  #amount { font-size: 2.2rem; font-weight: 800; margin: .5rem 0; }
  #qr { width: 100%; max-width: 18rem; background: #fff; border-radius: .75rem; }
  .hint { color: #94a3b8; font-size: .85rem; }
  .code { font-family: monospace; font-size: 1.4rem; letter-spacing: .1em; }
  .row { display: flex; justify-content: space-between; margin: 1rem 0; font-size: .9rem; }
  #status { font-weight: 700; }
  #status.SETTLED { color: #34d399; } #status.EXPIRED { color: #f87171; }
  #simulate { background: #059669; color: #fff; border: 0; border-radius: .75rem;
              padding: .8rem 1.5rem; font-weight: 700; cursor: pointer; width: 100%; }
  #simulate:disabled { opacity: .4; cursor: default; }
  #paid { display: none; color: #34d399; font-weight: 700; }
  .sandbox { margin-top: 1rem; font-size: .7rem; color: #f59e0b; }
</style>
</head>
<body>
<main>
  <div class="merchant">{{MERCHANT}}</div>
  <div id="amount">{{AMOUNT}}</div>
  <div class="hint">Order <span id="order-id">{{ORDER_ID}}</span></div>
  {{PAY_WITH}}
  <div class="row"><span>Status: <span id="status" class="{{STATUS}}">{{STATUS}}</span></span>
    <span>Expires in <span id="countdown">--:--</span></span></div>
  <p id="paid">Payment received. Thank you!</p>
  <button id="simulate" type="button">Simulate payment</button>
  <div class="sandbox">SANDBOX · no real money moves</div>
</main>
<script id="cfg" type="application/json">{{CONFIG}}</script>
<script>
(function () {
  var cfg = JSON.parse(document.getElementById('cfg').textContent);
  var el = function (id) { return document.getElementById(id); };
  var remaining = 0, since = Date.now(), done = false;
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function tick() {
    var ms = Math.max(0, remaining - (Date.now() - since));
    var s = Math.ceil(ms / 1000);
    el('countdown').textContent = pad(Math.floor(s / 60)) + ':' + pad(s % 60);
  }
  function apply(st) {
    if (!st || !st.status) return;
    remaining = st.remaining_ms; since = Date.now();
    el('status').textContent = st.status;
    el('status').className = st.status;
    el('amount').textContent = st.amount_text;
    if (st.status !== 'PENDING') { el('simulate').disabled = true; }
    if (st.status === 'SETTLED' && !done) {
      done = true;
      remaining = 0;
      if (st.redirect_url) { window.location.href = st.redirect_url; }
      else { el('paid').style.display = 'block'; }
    }
    if (st.status === 'EXPIRED') { remaining = 0; }
    tick();
  }
  function poll() {
    fetch(cfg.status_url, { cache: 'no-store' })
      .then(function (r) { return r.json(); }).then(apply).catch(function () {});
  }
  el('simulate').addEventListener('click', function () {
    el('simulate').disabled = true;
    fetch(cfg.simulate_url, { method: 'POST' })
      .then(function (r) { return r.json(); })
      .then(function (st) { if (st.status) { apply(st); } else { poll(); } })
      .catch(poll);
  });
  apply(cfg.initial);
  setInterval(tick, 250);
  setInterval(poll, 1000);
})();
</script>
</body>
</html>
"##;

#[cfg(test)]
mod tests {
    #[test]
    fn rupiah_uses_dots() {
        assert_eq!(super::rupiah(15023), "Rp 15.023");
        assert_eq!(super::rupiah(2000), "Rp 2.000");
        assert_eq!(super::rupiah(999), "Rp 999");
        assert_eq!(super::rupiah(10_000_099), "Rp 10.000.099");
    }
}
