use clap::Parser;
use partner_server::config::Cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    partner_server::telemetry::init();
    let app = partner_server::Application::build(cli.serve).await?;
    app.run_until(partner_server::shutdown_signal()).await
}
