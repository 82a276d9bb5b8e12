//! The child side of the PDF sandbox as a program of its own, for the server crate's tests
//! (whose own executable is a test harness). In an installation `verifyd inspect-pdf` is used.

fn main() -> std::process::ExitCode {
    verifyd_analysers::sandbox::child_main()
}
