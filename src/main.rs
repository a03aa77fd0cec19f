use clap::Parser;

/// mimalloc for the whole process: with its `override` feature it also
/// serves the C++ of HiGHS, which builds and frees a model for every LP
/// and branch-and-bound program of every what-if. glibc's malloc and free
/// were about an eighth of the generator's 1,000 × 400 `solve --explain`
/// (BENCHMARKS.md, sixteenth round of issue 17).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    palim::app::cli::run(palim::app::cli::Cli::parse())
}
