//! Addresses a page refers to, made absolute against the page's own.

/// `href` as an absolute URL, read against `base` (an absolute http(s) URL): absolute
/// addresses are kept, `//host/x` takes the base's scheme, `/x` its origin, and `x` or `../x`
/// its directory.
pub fn resolve(base: &str, href: &str) -> String {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return href.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return href.to_string();
    };
    if let Some(net) = href.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if href.starts_with('/') {
        return format!("{origin}{href}");
    }
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    let mut dirs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if !path.ends_with('/') {
        dirs.pop();
    }
    let mut parts = href.split('/').peekable();
    while let Some(part) = parts.next_if(|p| *p == ".." || *p == ".") {
        if part == ".." {
            dirs.pop();
        }
    }
    let tail: Vec<&str> = parts.collect();
    let mut out = origin;
    for d in dirs {
        out.push('/');
        out.push_str(d);
    }
    out.push('/');
    out.push_str(&tail.join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn relative_addresses_resolve_against_the_page() {
        let base = "https://wire.example/news/world/story.html?x=1";
        assert_eq!(
            resolve(base, "https://other.example/f"),
            "https://other.example/f"
        );
        assert_eq!(
            resolve(base, "//cdn.example/f.xml"),
            "https://cdn.example/f.xml"
        );
        assert_eq!(resolve(base, "/feed.xml"), "https://wire.example/feed.xml");
        assert_eq!(
            resolve(base, "rss.xml"),
            "https://wire.example/news/world/rss.xml"
        );
        assert_eq!(
            resolve(base, "../rss.xml"),
            "https://wire.example/news/rss.xml"
        );
        assert_eq!(
            resolve("http://127.0.0.1:8080", "feed"),
            "http://127.0.0.1:8080/feed"
        );
    }
}
