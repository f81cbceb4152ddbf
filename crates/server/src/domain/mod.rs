//! The product's rules as plain functions over plain types.

pub mod password;
