//! Collects the component styles written with stylers into target/main.css (a Trunk
//! post-build hook copies it into dist/), and refuses two `style!` blocks that would get
//! the same class: stylers derives the class from the block's length, so a collision
//! would silently mix two components' styles.

use std::collections::HashMap;
use std::fs;

use syn::visit::Visit;

fn main() {
    println!("cargo:rerun-if-changed=src");
    stylers::build(Some("./target/main.css".into()));
    check_unique_classes();
}

#[derive(Default)]
struct StyleBlocks {
    found: Vec<String>,
}

impl<'ast> Visit<'ast> for StyleBlocks {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.segments.last().is_some_and(|s| s.ident == "style") {
            self.found.push(mac.tokens.to_string());
        }
        syn::visit::visit_macro(self, mac);
    }
}

fn check_unique_classes() {
    let mut seen: HashMap<String, String> = HashMap::new();
    for path in glob::glob("src/**/*.rs").expect("a valid glob").flatten() {
        let source = fs::read_to_string(&path).expect("readable source");
        let Ok(file) = syn::parse_file(&source) else {
            continue;
        };
        let mut blocks = StyleBlocks::default();
        blocks.visit_file(&file);
        for tokens in blocks.found {
            let class = stylers_core::Class::rand_class_from_seed(tokens)
                .as_name()
                .to_owned();
            let here = path.display().to_string();
            if let Some(other) = seen.insert(class.clone(), here.clone()) {
                panic!(
                    "style! blocks in {other} and {here} both get class {class} (stylers derives it \
                     from the block's length): change one block's length"
                );
            }
        }
    }
}
