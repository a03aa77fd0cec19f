use clap::Parser;

fn main() -> std::process::ExitCode {
    palim::cli::run(palim::cli::Cli::parse())
}
