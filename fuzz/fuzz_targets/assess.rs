#![no_main]
//! See `adaccess_core::fuzzing::assess`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| adaccess_core::fuzzing::assess(data));
