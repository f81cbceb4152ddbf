use clap::Parser;
use partner_server::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    partner_server::telemetry::init();
    match cli.command {
        Some(Command::Generate(args)) => {
            let started = std::time::Instant::now();
            let db = partner_server::db::Db::open(&args.database).await?;
            let generated = db.generate(args.teams, args.partners_per_team).await?;
            let legacy_grants = db
                .generate_legacy(args.legacy_workspaces, args.partners_per_legacy_workspace)
                .await?;
            println!(
                "{}: {} partner teams, {} partners, {} grants, {} legacy workspaces ({} grants) in {:.1?}",
                args.database.display(),
                generated.teams,
                generated.partners,
                generated.grants,
                args.legacy_workspaces,
                legacy_grants,
                started.elapsed()
            );
            Ok(())
        }
        Some(Command::Openapi) => {
            println!("{}", partner_server::routes::openapi().to_pretty_json()?);
            Ok(())
        }
        None => {
            let app = partner_server::Application::build(cli.serve).await?;
            app.run_until(partner_server::shutdown_signal()).await
        }
    }
}
