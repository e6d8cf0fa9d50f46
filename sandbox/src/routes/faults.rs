//! The middleware that applies the armed faults (`crate::faults`) to the public API routes.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::{DropConnection, FaultKind};
use crate::limits::MAX_FAULT_BODY;
use crate::state::Sandbox;

/// Middleware over the public API routes.
pub async fn apply(State(sandbox): State<Arc<Sandbox>>, req: Request, next: Next) -> Response {
    // Inside `nest("/api", ..)` the URI has lost its prefix; match on the original path.
    let path = match req.extensions().get::<OriginalUri>() {
        Some(original) => original.path().to_string(),
        None => req.uri().path().to_string(),
    };
    let rest = path.strip_prefix("/api/").unwrap_or(&path).to_string();
    let Some(fault) = sandbox.faults.take(&rest) else {
        return next.run(req).await;
    };
    match fault.kind {
        FaultKind::Latency => {
            // Work first, answer late: a client that times out has still created the order.
            let resp = next.run(req).await;
            tokio::time::sleep(Duration::from_millis(fault.latency_ms.unwrap_or(0))).await;
            resp
        }
        FaultKind::Error => {
            let status = fault.status.unwrap_or(502);
            match &fault.message {
                Some(message) => {
                    let key = req.headers().get("x-api-key").map(|v| v.as_bytes());
                    let key = String::from_utf8_lossy(key.unwrap_or_default());
                    error_message(status, &message.replace("{api_key}", &key))
                }
                None => error_page(status),
            }
        }
        FaultKind::Respond => {
            let status =
                StatusCode::from_u16(fault.status.unwrap_or(200)).unwrap_or(StatusCode::OK);
            let mut resp = (status, fault.body.unwrap_or_default()).into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp
        }
        FaultKind::RateLimit => {
            let mut resp = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(serde_json::json!({
                    "success": false,
                    "message": "Too many requests, slow down"
                })),
            )
                .into_response();
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(fault.retry_after.unwrap_or(1)),
            );
            resp
        }
        FaultKind::Drop => {
            drop(next.run(req).await);
            let mut resp = Response::new(Body::empty());
            resp.extensions_mut().insert(DropConnection);
            resp
        }
        FaultKind::Truncate => {
            let (parts, bytes) = match buffered(next.run(req).await).await {
                Ok(b) => b,
                Err(resp) => return resp,
            };
            let cut = bytes.slice(..bytes.len() / 2);
            let mut resp = Response::from_parts(parts, Body::from(cut));
            *resp.status_mut() = StatusCode::OK;
            resp.headers_mut().remove(header::CONTENT_LENGTH);
            resp
        }
        FaultKind::Patch => {
            let (mut parts, bytes) = match buffered(next.run(req).await).await {
                Ok(b) => b,
                Err(resp) => return resp,
            };
            let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(serde_json::Value::Object(mut map)) => {
                    for key in fault.remove.iter().flatten() {
                        map.remove(key);
                    }
                    for (k, v) in fault.set.iter().flatten() {
                        map.insert(k.clone(), v.clone());
                    }
                    serde_json::to_vec(&map).expect("serializable").into()
                }
                _ => bytes,
            };
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body))
        }
    }
}

/// The answer read whole to be rewritten, at most [`MAX_FAULT_BODY`] bytes; else a 500
/// saying why, never a silently empty body.
async fn buffered(
    resp: Response,
) -> Result<(axum::http::response::Parts, axum::body::Bytes), Response> {
    let (parts, body) = resp.into_parts();
    to_bytes(body, MAX_FAULT_BODY)
        .await
        .map(|b| (parts, b))
        .map_err(|e| {
            super::json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "the answer could not be read to apply the fault (at most {MAX_FAULT_BODY} \
                 bytes): {e}"
                ),
            )
        })
}

/// A JSON error answer with `message`, as the API's own errors are.
fn error_message(status: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let body = serde_json::json!({"success": false, "message": message});
    (status, axum::Json(body)).into_response()
}

/// An HTML error page like a CDN in front of the API sends.
fn error_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!(
        "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\
         <body><center><h1>{code} {reason}</h1></center><hr><center>cloudflare</center>\
         </body></html>\n",
        code = status.as_u16()
    );
    let mut resp = (status, html).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_too_big_to_rewrite_is_a_500_not_read_whole() {
        let small = Response::new(Body::from("{\"a\":1}"));
        let (_, bytes) = buffered(small).await.unwrap();
        assert_eq!(&bytes[..], b"{\"a\":1}");
        let huge = Response::new(Body::from(vec![b'x'; MAX_FAULT_BODY + 1]));
        let resp = buffered(huge).await.expect_err("refused");
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let text = to_bytes(resp.into_body(), 4096).await.unwrap();
        let text = String::from_utf8_lossy(&text);
        assert!(text.contains(&MAX_FAULT_BODY.to_string()), "{text}");
    }
}
