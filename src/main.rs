use clap::Parser;

fn main() -> std::process::ExitCode {
    palim::app::cli::run(palim::app::cli::Cli::parse())
}
