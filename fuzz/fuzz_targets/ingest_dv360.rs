#![no_main]
//! See `adaccess_core::fuzzing::ingest_dv360`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| adaccess_core::fuzzing::ingest_dv360(data));
