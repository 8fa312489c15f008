//! Which FHIR server addresses Vitalog sends to: HTTPS anywhere, plain HTTP only to this
//! computer (127.0.0.0/8, `[::1]`, `localhost`), where nothing crosses a network: a gateway on
//! the same machine, or a test server.

use std::net::IpAddr;

/// Why an address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Not a web address at all.
    #[error(
        "“{0}” is not a web address: give the FHIR server's base address, such as https://fhir.example.org/r4"
    )]
    NotAnAddress(String),
    /// Plain HTTP to another computer would send health data unencrypted.
    #[error(
        "the address must start with https:// — plain http:// would send health data unencrypted (it is allowed only to this computer)"
    )]
    NotEncrypted,
    /// Another scheme (ftp:, file:…).
    #[error("the address must start with https://")]
    WrongScheme,
    /// Not a patient reference.
    #[error("“{0}” is not a patient reference like Patient/123: use the one the clinic gave you")]
    NotAPatient(String),
    /// User names or passwords in the address would end up in logs and history.
    #[error(
        "the address must not contain a user name or password: use the clinic's token or sign-in instead"
    )]
    HasCredentials,
}

/// A FHIR server's base address that passed the rules above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(url::Url);

impl Address {
    /// Checks `text` against the rules.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let url = url::Url::parse(text.trim())
            .map_err(|_| AddressError::NotAnAddress(text.trim().to_owned()))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(AddressError::HasCredentials);
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(AddressError::NotEncrypted),
            _ => return Err(AddressError::WrongScheme),
        }
        if url.host().is_none() {
            return Err(AddressError::NotAnAddress(text.trim().to_owned()));
        }
        Ok(Self(url))
    }

    /// The address of `path` under the base (`Observation`, `` for the base itself).
    pub fn join(&self, path: &str) -> url::Url {
        let mut url = self.0.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&if path.is_empty() {
            format!("{base}/")
        } else {
            format!("{base}/{path}")
        });
        url.set_query(None);
        url
    }

    /// The base address as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Checks a patient reference on a FHIR server: `Patient/<id>`, the id being letters, digits,
/// `-` and `.`, at most 64 (FHIR's rule for ids).
pub fn patient_reference(text: &str) -> Result<String, AddressError> {
    let text = text.trim();
    let valid = text.strip_prefix("Patient/").is_some_and(|id| {
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    });
    if valid {
        Ok(text.to_owned())
    } else {
        Err(AddressError::NotAPatient(text.to_owned()))
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_to_this_computer() {
        for ok in [
            "https://fhir.example.org/r4",
            "http://127.0.0.1:8080/fhir",
            "http://127.3.2.1/fhir",
            "http://[::1]:9000/fhir",
            "http://localhost:9000/fhir",
            "http://LOCALHOST/fhir",
        ] {
            assert!(Address::parse(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("http://fhir.example.org/r4", AddressError::NotEncrypted),
            ("http://10.0.0.1/fhir", AddressError::NotEncrypted),
            (
                "http://localhost.example.org/fhir",
                AddressError::NotEncrypted,
            ),
            ("http://127.0.0.1.nip.io/fhir", AddressError::NotEncrypted),
            ("ftp://fhir.example.org", AddressError::WrongScheme),
            (
                "https://me:pw@fhir.example.org",
                AddressError::HasCredentials,
            ),
        ] {
            assert_eq!(Address::parse(bad), Err(why), "{bad}");
        }
        assert!(matches!(
            Address::parse("fhir.example.org"),
            Err(AddressError::NotAnAddress(_))
        ));
    }

    #[test]
    fn patient_references_are_fhir_ids() {
        assert_eq!(
            patient_reference(" Patient/p-1.2 "),
            Ok("Patient/p-1.2".into())
        );
        for bad in [
            "p1",
            "Patient/",
            "Patient/a b",
            "Patient/../x/y",
            "Observation/1",
        ] {
            assert!(patient_reference(bad).is_err(), "{bad}");
        }
        assert!(patient_reference(&format!("Patient/{}", "a".repeat(65))).is_err());
    }

    #[test]
    fn paths_join_under_the_base() {
        let base = Address::parse("https://fhir.example.org/r4/").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            base.join("Observation").as_str(),
            "https://fhir.example.org/r4/Observation"
        );
        assert_eq!(base.join("").as_str(), "https://fhir.example.org/r4/");
    }
}
