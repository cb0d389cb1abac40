#![no_main]
//! See `adaccess_core::fuzzing::ingest_csv`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| adaccess_core::fuzzing::ingest_csv(data));
