//! Errors over HTTP: RFC 9457 problem documents (`application/problem+json`).
//!
//! Every failure a client can cause maps to a 4xx with the same code and
//! message the command line prints, and for invalid scenarios the same list of
//! issues (each with its JSON pointer). 5xx is kept for the server's own
//! trouble: busy (503, with `Retry-After`) or a solver failure.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;

use crate::documents::match_set::Infeasibility;
use crate::error::InputIssue;
use crate::PalimError;

pub const CONTENT_TYPE: &str = "application/problem+json";

// Named `Problem` in the OpenAPI document, as the RFC names it.
/// An RFC 9457 problem document, with palim's members.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "Problem")]
pub struct ProblemDetails {
    /// `urn:palim:problem:CODE`: one per kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong with this request, and what to do.
    pub detail: String,
    /// The path of the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The stable code (the last part of `type`), as the CLI's JSON errors use.
    pub code: String,
    /// For invalid input: every issue, with its JSON pointer, line and column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InputIssue>,
    /// For invalid input: issues found beyond those listed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: usize,
    /// Where the problem is, for one-place problems: a JSON pointer into the
    /// body, or `?name` for a query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For questions asked of an infeasible scenario: why no match set exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasibility: Option<Box<Infeasibility>>,
    /// Seconds after which a refused request may be sent again.
    #[serde(skip)]
    pub retry_after: Option<u64>,
    /// Methods the path accepts (405).
    #[serde(skip)]
    pub allow: Option<String>,
    /// Ask for a token (401).
    #[serde(skip)]
    pub authenticate: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ProblemDetails {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        ProblemDetails {
            kind: format!("urn:palim:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: None,
            code: code.to_string(),
            errors: Vec::new(),
            omitted: 0,
            pointer: None,
            infeasibility: None,
            retry_after: None,
            allow: None,
            authenticate: false,
        }
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        ProblemDetails::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn busy(retry_after: u64) -> Self {
        let mut p = ProblemDetails::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "every solver is busy and the queue is full; send the request again after Retry-After seconds",
        );
        p.retry_after = Some(retry_after);
        p
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<PalimError> for ProblemDetails {
    fn from(err: PalimError) -> Self {
        match err {
            PalimError::Invalid(inv) => {
                let syntax = inv.issues.iter().any(|i| i.code == "malformed_json");
                let (status, code) = if syntax {
                    (StatusCode::BAD_REQUEST, "malformed_json")
                } else {
                    (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
                };
                let mut p = ProblemDetails::new(status, code, inv.to_string());
                p.pointer = inv.issues.first().map(|i| i.pointer.clone());
                p.errors = inv.issues;
                p.omitted = inv.omitted;
                p
            }
            // A document the request names but does not hold (a variant's base).
            PalimError::Read { .. } => ProblemDetails::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "missing_document",
                err.to_string(),
            ),
            PalimError::Usage(m) => ProblemDetails::bad_request("bad_parameter", m),
            PalimError::UnknownId { what, .. } => ProblemDetails::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("unknown_{what}"),
                err.to_string(),
            )
            .at(format!("?{what}")),
            PalimError::TooLarge(m) => {
                ProblemDetails::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", m)
            }
            PalimError::NoSolutionInTime => ProblemDetails::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_solution_in_time",
                "no match set satisfying the hard rules was found within the time limit; \
                 allow more time with ?time_limit= (up to the server's maximum)",
            ),
            PalimError::TimeLimit(_) => ProblemDetails::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "time_limit_reached",
                format!("{err}")
                    .replace("--time-limit", "?time_limit= (up to the server's maximum)"),
            ),
            PalimError::Write { .. } | PalimError::Solver(_) => ProblemDetails::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "solver_error",
                err.to_string(),
            ),
        }
    }
}

impl IntoResponse for ProblemDetails {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = crate::app::service::to_json(&self);
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(allow) = self
            .allow
            .as_deref()
            .and_then(|a| HeaderValue::from_str(a).ok())
        {
            headers.insert(header::ALLOW, allow);
        }
        if self.authenticate {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"palim\""),
            );
        }
        response
    }
}
