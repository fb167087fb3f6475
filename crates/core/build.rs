//! refinery's `embed_migrations!` reads `migrations/` at compile time but does not tell cargo
//! about it: without this rule a new migration file would not be embedded until some other
//! change forces a rebuild (rust-db/refinery#309).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
