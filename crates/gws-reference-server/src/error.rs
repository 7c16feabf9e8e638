//! Errors as types that render to the documented JSON body
//! `{"statusCode": N, "statusMessage": "..."}` (Return Values page,
//! <https://enu.docs.genesys.com/Documentation:HTCC:API:ReturnValues:8.5.2>), and the
//! JSON body extractor that replaces axum's plain-text rejections.
//!
//! HTTP status choices (\[INF\]: the documentation tabulates no HTTP statuses except 403 for CSRF):
//! 401 for statusCode 20, 403 for CSRF (statusCode 3), 404 for an unknown interaction or collection
//! (statusCode 6), 400 for a body that is not a JSON object (statusCode 1), 413 for a body over the
//! size limit (statusCode 10), 405 for a method the resource does not serve (statusCode 2), and 200
//! for every other operation error (missing parameter 1, not valid in this state 2).

use axum::{
    Json,
    body::Bytes,
    extract::{FromRequest, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

/// An error answer: HTTP status, documented `statusCode` and a one-line `statusMessage`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status of the response.
    pub http: StatusCode,
    /// Return Values `statusCode` (never 0).
    pub code: u16,
    /// Human-readable detail; never a Rust error dump or a secret.
    pub message: String,
}

impl ApiError {
    fn new(http: StatusCode, code: u16, message: impl Into<String>) -> Self {
        Self {
            http,
            code,
            message: message.into(),
        }
    }
    /// statusCode 1, HTTP 200: a required parameter is missing.
    pub fn missing(message: impl Into<String>) -> Self {
        Self::new(StatusCode::OK, 1, message)
    }
    /// statusCode 1, HTTP 400: the body is not a usable JSON object.
    pub fn bad_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 1, message)
    }
    /// statusCode 2, HTTP 200: not valid in the current state (or an unknown operationName).
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(StatusCode::OK, 2, message)
    }
    /// statusCode 10, HTTP 200: a value outside the documented range (Return Values code 10).
    pub fn invalid_value(message: impl Into<String>) -> Self {
        Self::new(StatusCode::OK, 10, message)
    }
    /// statusCode 3, HTTP 403: missing or invalid CSRF token (text from the CSRFProtection page).
    pub fn csrf() -> Self {
        Self::new(StatusCode::FORBIDDEN, 3, "Missing or invalid Csrf token")
    }
    /// statusCode 6, HTTP 404: the resource does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, 6, message)
    }
    /// statusCode 2, HTTP 405: the resource does not serve this HTTP method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            2,
            "HTTP method not allowed on this resource",
        )
    }
    /// statusCode 10, HTTP 413: the body is larger than the server accepts.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            10,
            format!("request body larger than {limit} bytes"),
        )
    }
    /// statusCode 20, HTTP 401: no or wrong credentials.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            20,
            "Access denied: user is not authenticated",
        )
    }
    /// statusCode 4, HTTP 500: an internal error (should not happen).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, 4, message)
    }
    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({ "statusCode": self.code, "statusMessage": self.message })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.http, Json(self.body())).into_response();
        if self.http == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                "www-authenticate",
                axum::http::HeaderValue::from_static("Basic realm=\"gws\""),
            );
        }
        response
    }
}

/// A request body parsed as JSON, with our JSON errors instead of axum's rejections:
/// over the size limit → 413 statusCode 10; unreadable or malformed → 400 statusCode 1.
#[derive(Debug)]
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req
            .extensions()
            .get::<BodyLimit>()
            .map(|l| l.0)
            .unwrap_or(usize::MAX);
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::too_large(limit));
            }
            Err(_) => return Err(ApiError::bad_body("request body could not be read")),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_body(
                "request body is empty; a JSON object is required",
            ));
        }
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            ApiError::bad_body(format!(
                "request body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })
    }
}

impl JsonBody {
    /// The body as a JSON object, or 400 statusCode 1.
    pub fn object(self) -> Result<Map<String, Value>, ApiError> {
        match self.0 {
            Value::Object(map) => Ok(map),
            other => Err(ApiError::bad_body(format!(
                "request body must be a JSON object, not {}",
                kind(&other)
            ))),
        }
    }
}

/// The configured body limit, put in request extensions so rejections can name it.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// A JSON type name for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The documented success body `{"statusCode": 0}` plus extra fields.
pub fn ok_body(extra: &[(&str, Value)]) -> Value {
    let mut map = Map::new();
    map.insert("statusCode".into(), json!(0));
    for (k, v) in extra {
        map.insert((*k).to_string(), v.clone());
    }
    Value::Object(map)
}

/// Path parameters with a JSON rejection (HTTP 404, statusCode 6) instead of axum's text.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(t)) => Ok(ApiPath(t)),
            Err(_) => Err(ApiError::not_found(format!(
                "no resource at {}",
                parts.uri.path()
            ))),
        }
    }
}

/// Query parameters with a JSON rejection (HTTP 400, statusCode 1) instead of axum's text.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(t)) => Ok(ApiQuery(t)),
            Err(_) => Err(ApiError::bad_body(
                "the query string is not valid (fields may be given once)",
            )),
        }
    }
}
