//! SSRF guard: a callback goes only to public addresses. The host is resolved here and the
//! connection is pinned to the address that was checked, so DNS cannot swap it afterwards.

use std::net::{IpAddr, SocketAddr};

use url::{Host, Url};

pub struct Target {
    pub url: Url,
    pub host: String,
    pub address: SocketAddr,
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || (a == 198 && (b & 0xFE) == 18)
                || a >= 240
                || (a == 192 && b == 0 && c == 0)
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xC0) == 64
                || v4.octets()[0] == 0)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let segments = v6.segments();
            let first = segments[0];
            // Addresses that carry an IPv4 address inside (IPv4-compatible ::/96, NAT64
            // 64:ff9b::/96, 6to4 2002::/16) are judged by that address; Teredo is refused.
            let embedded = |high: u16, low: u16| {
                IpAddr::V4(std::net::Ipv4Addr::from(
                    (u32::from(high) << 16) | u32::from(low),
                ))
            };
            if segments[..6].iter().all(|s| *s == 0) {
                return is_public(embedded(segments[6], segments[7]));
            }
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_public(embedded(segments[6], segments[7]));
            }
            if first == 0x2002 {
                return is_public(embedded(segments[1], segments[2]));
            }
            if first == 0x2001 && segments[1] == 0 {
                return false;
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Resolves the callback URL and refuses non-public addresses unless `allow_local`.
pub async fn check(url: &str, allow_local: bool) -> Result<Target, String> {
    let url = Url::parse(url).map_err(|error| format!("invalid URL: {error}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_local => {}
        scheme => return Err(format!("scheme {scheme} is not allowed")),
    }
    let host = match url.host() {
        Some(Host::Domain(domain)) => domain.to_owned(),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        None => return Err("no host".to_owned()),
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = tokio::net::lookup_host((host.as_str(), port));
    let addresses: Vec<SocketAddr> =
        tokio::time::timeout(std::time::Duration::from_secs(5), lookup)
            .await
            .map_err(|_| format!("resolving {host} timed out"))?
            .map_err(|error| format!("cannot resolve {host}: {error}"))?
            .collect();
    let address = addresses
        .iter()
        .copied()
        .find(|address| allow_local || is_public(address.ip()))
        .ok_or_else(|| {
            format!("{host} resolves only to private, loopback or link-local addresses")
        })?;
    Ok(Target { url, host, address })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(
                !is_public(ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))),
                "{ip}"
            );
        }
        for ip in ["8.8.8.8", "2606:4700::1111"] {
            assert!(
                is_public(ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))),
                "{ip}"
            );
        }
    }
}
