#![no_main]
//! See `adaccess_core::fuzzing::validate`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| adaccess_core::fuzzing::validate(data));
