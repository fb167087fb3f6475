//! What can go wrong talking to Kimai, as kinds the UI and the sync engine branch on. Messages
//! from Kimai are translated into the user's language, so the variants carry status classes and
//! field paths; text is only for people.

use std::time::Duration;

use serde_json::Value;
use timebridge_http::{Response, SendError};

/// One field's validation messages; `path` is dotted (`begin`, `project`, `meta.value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the form field.
    pub path: String,
    /// Its messages (translated by Kimai; show, never match).
    pub messages: Vec<String>,
}

/// A failed Kimai call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KimaiError {
    /// 401: the API token is missing, unknown or expired.
    #[error("Kimai rejected the API token (401)")]
    AuthFailed,
    /// 403 for a reason other than a locked record: the user lacks a permission.
    #[error("Kimai refused the request (403): {message}")]
    Forbidden {
        /// The server's message (usually just "Forbidden").
        message: String,
    },
    /// 403 on changing a timesheet: it is exported or inside a lockdown period.
    #[error("the timesheet is locked (exported or in a locked period)")]
    Locked,
    /// 400 with Kimai's form-error shape.
    #[error("Kimai rejected the data: {}", summary(global, fields))]
    Validation {
        /// Errors not tied to a field (e.g. extra fields, locked period on create).
        global: Vec<String>,
        /// Errors per field.
        fields: Vec<FieldError>,
    },
    /// 404: the record or endpoint does not exist (also: a page past the last one).
    #[error("not found in Kimai (404)")]
    NotFound,
    /// 400 that is not a form error (bad filter format, unknown tags in a filter…).
    #[error("Kimai rejected the request (400): {message}")]
    BadRequest {
        /// The server's message.
        message: String,
    },
    /// 429.
    #[error("Kimai asks to slow down (429)")]
    RateLimited {
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// Another unexpected status (5xx…).
    #[error("Kimai answered with status {status}: {excerpt}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The body's beginning.
        excerpt: String,
    },
    /// No response (timeout, DNS, refused, TLS…).
    #[error(transparent)]
    Transport(#[from] SendError),
    /// The response did not have the expected shape.
    #[error("unexpected data from Kimai at `{path}`: {message}")]
    Decode {
        /// JSON path (or header name) that failed.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The server does not look like a Kimai API at all.
    #[error("this does not look like a Kimai server: {detail}")]
    NotKimai {
        /// What was seen instead.
        detail: String,
    },
}

fn summary(global: &[String], fields: &[FieldError]) -> String {
    let mut parts: Vec<String> = global.to_vec();
    parts.extend(
        fields
            .iter()
            .map(|f| format!("{}: {}", f.path, f.messages.join("; "))),
    );
    parts.join(", ")
}

impl KimaiError {
    /// Whether trying the same call again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } => true,
            Self::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            Self::Transport(e) => matches!(
                e,
                SendError::Timeout(_)
                    | SendError::Refused(_)
                    | SendError::Connect(_)
                    | SendError::Broken(_)
            ),
            _ => false,
        }
    }
}

/// How to read a non-2xx answer for a given call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// Ordinary call.
    Plain,
    /// Changing a timesheet: a 403 means locked.
    Change,
    /// Probing the server (ping/version): a non-JSON or 404 answer means "not Kimai".
    Probe,
}

fn message(body: &Value) -> String {
    body.get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Maps a non-2xx response to an error.
pub(crate) fn from_response(resp: &Response, ctx: Ctx) -> KimaiError {
    let json: Option<Value> = serde_json::from_slice(&resp.body).ok();
    if ctx == Ctx::Probe && (resp.status == 404 || (json.is_none() && resp.status != 401)) {
        return KimaiError::NotKimai {
            detail: format!("status {} with body {:?}", resp.status, resp.excerpt()),
        };
    }
    match resp.status {
        401 => KimaiError::AuthFailed,
        403 if ctx == Ctx::Change => KimaiError::Locked,
        403 => KimaiError::Forbidden {
            message: json.as_ref().map(message).unwrap_or_default(),
        },
        404 => KimaiError::NotFound,
        400 => match json.as_ref().and_then(|j| j.get("errors")) {
            Some(errors) if errors.is_object() => validation(errors),
            _ => KimaiError::BadRequest {
                message: json.as_ref().map(message).unwrap_or_else(|| resp.excerpt()),
            },
        },
        429 => KimaiError::RateLimited {
            retry_after: resp.retry_after(),
        },
        status => KimaiError::Server {
            status,
            excerpt: resp.excerpt(),
        },
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Walks `errors.children` recursively into dotted field paths.
fn validation(errors: &Value) -> KimaiError {
    fn walk(prefix: &str, node: &Value, out: &mut Vec<FieldError>) {
        let Some(children) = node.get("children").and_then(Value::as_object) else {
            return;
        };
        for (name, child) in children {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let messages = strings(child.get("errors"));
            if !messages.is_empty() {
                out.push(FieldError {
                    path: path.clone(),
                    messages,
                });
            }
            walk(&path, child, out);
        }
    }
    let mut fields = Vec::new();
    walk("", errors, &mut fields);
    KimaiError::Validation {
        global: strings(errors.get("errors")),
        fields,
    }
}

/// Parses `body` as `T`, naming the JSON path on failure.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, KimaiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| KimaiError::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}
