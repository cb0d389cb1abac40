//! Prints the JSON Schemas of every input and output type (used to generate the npm
//! package's TypeScript declarations): `cargo run -p adaccess-core --example schemas`.

fn main() {
    println!("{:#}", adaccess_core::all_schemas());
}
