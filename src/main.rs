fn main() {
    partner_workspaces::panic_page::install();
    leptos::mount::mount_to_body(partner_workspaces::App);
}
