fn main() {
    println!("{}", foxtail_engine::USER_AGENT);
}
