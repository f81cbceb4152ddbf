use clap::Parser;
use partner_server::config::{Cli, Command};

fn main() -> anyhow::Result<()> {
    limit_retained_memory();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// Keeps the server's memory near what it uses. glibc keeps freed memory for reuse: each
/// 19 MiB Argon2 block of a sign-in would stay in the process after the first two, and
/// every thread that allocates (each SQLite connection has one) may get an arena of its
/// own. Blocks of 1 MiB and more are returned to the system when freed, and arenas are
/// capped at two per core (measured with scripts/bench/api.sh: peak 63 MB before, 40 MB
/// after, same throughput).
fn limit_retained_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let arenas = i32::try_from(2 * cores).unwrap_or(i32::MAX);
        // SAFETY: mallopt only changes allocator parameters; it is called before any other
        // thread exists.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    partner_server::telemetry::init();
    match cli.command {
        Some(Command::Generate(args)) => {
            let started = std::time::Instant::now();
            let db = partner_server::db::Db::open(args.database.clone()).await?;
            let generated = db.generate(args.teams, args.partners_per_team).await?;
            let legacy_grants = db
                .generate_legacy(args.legacy_workspaces, args.partners_per_legacy_workspace)
                .await?;
            let tenants = db.generate_tenants(args.tenants).await?;
            println!(
                "{}: {} partner teams, {} partners, {} grants, {} legacy workspaces ({} grants), \
                 {} other publishers ({} partner teams, {} people, {} workspaces, {} grants, \
                 {} access requests) in {:.1?}",
                args.database,
                generated.teams,
                generated.partners,
                generated.grants,
                args.legacy_workspaces,
                legacy_grants,
                tenants.publishers,
                tenants.partner_teams,
                tenants.users,
                tenants.workspaces,
                tenants.grants,
                tenants.access_requests,
                started.elapsed()
            );
            Ok(())
        }
        Some(Command::Copy(args)) => {
            let started = std::time::Instant::now();
            let source = partner_server::db::Db::open(args.from.clone()).await?;
            let target = partner_server::db::Db::open(args.to.clone()).await?;
            use partner_server::db::copy::{Outcome, copy};
            let (verb, tables) = match copy(&source, &target).await? {
                Outcome::Copied(tables) => ("copied", tables),
                Outcome::AlreadyCopied(tables) => ("already held (row counts match)", tables),
            };
            for (table, rows) in &tables {
                println!("{table}: {rows} rows");
            }
            println!(
                "{}: {verb} {} in {:.1?}",
                args.to,
                args.from,
                started.elapsed()
            );
            target.close().await;
            Ok(())
        }
        Some(Command::Openapi) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&partner_server::routes::openapi())?
            );
            Ok(())
        }
        None => {
            let app = partner_server::Application::build(cli.serve).await?;
            app.run_until(partner_server::shutdown_signal()).await
        }
    }
}
