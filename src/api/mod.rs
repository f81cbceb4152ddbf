//! The typed HTTP client: the only place in the web app that knows URLs and HTTP.
//! One file per resource; every call returns `Result<T, ApiError>`.

mod client;
mod error;
pub mod health;
pub mod session;

pub use error::ApiError;
