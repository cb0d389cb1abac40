#![no_main]
//! See `adaccess_core::fuzzing::profile`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| adaccess_core::fuzzing::profile(data));
