//! `gws-conformance`: a conformance suite for the Genesys Web Services REST API v2 multimedia agent
//! API. It plays the agent against a target server, drives the documented operations, and judges
//! every HTTP response and CometD notification against the documented contract.
//!
//! Modules: [`cli`] (the command line), [`run`] (the conformance runner), [`serve`] (the standalone
//! reference server), [`validate`] (judging captured payloads).

pub mod cli;
pub mod run;
pub mod serve;
pub mod validate;
