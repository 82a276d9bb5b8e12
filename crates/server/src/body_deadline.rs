//! A request body must arrive whole within a deadline.
//!
//! hyper's timeouts stop at the headers; a client may then send its body a byte at a time and
//! hold a connection, a task and an upload buffer for as long as it likes. tower-http's body
//! timeout only bounds the pause between two chunks, which a trickling client resets at will.
//! So the body is wrapped here with one deadline for the whole of it, counted from the
//! request's arrival; when it passes, reading fails and the answer is 408 with the connection
//! closed, whatever the handler made of the failed read.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tokio::time::{Instant, Sleep};
use verifyd_types::ErrorCode;

use crate::error::ApiError;

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
struct TooSlow(Duration);

/// The middleware; `deadline` comes from the settings.
pub async fn enforce(State(deadline): State<Duration>, request: Request, next: Next) -> Response {
    let expired = Arc::new(AtomicBool::new(false));
    let request = request.map(|body| {
        Body::new(DeadlineBody {
            inner: body,
            sleep: Box::pin(tokio::time::sleep_until(Instant::now() + deadline)),
            deadline,
            expired: expired.clone(),
        })
    });
    let response = next.run(request).await;
    if !expired.load(Ordering::Acquire) {
        return response;
    }
    let mut response = ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        ErrorCode::RequestTimeout,
        format!(
            "the request body did not arrive within {} seconds",
            deadline.as_secs()
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

struct DeadlineBody {
    inner: Body,
    sleep: Pin<Box<Sleep>>,
    deadline: Duration,
    expired: Arc<AtomicBool>,
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.expired.store(true, Ordering::Release);
            return Poll::Ready(Some(Err(axum::Error::new(TooSlow(self.deadline)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
