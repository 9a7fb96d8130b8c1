fn main() -> std::process::ExitCode {
    gcdoctor::commands::main()
}
