#![no_main]
//! See `adaccess_core::fuzzing::ingest_t1`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| adaccess_core::fuzzing::ingest_t1(data));
