//! The Partner Workspaces web app (Leptos, client-side rendered, built with Trunk).

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod panic_page;
pub mod params;
pub mod routes;
pub mod session;

pub use app::App;
