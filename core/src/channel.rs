//! Payment channels and their amount limits, as in the wire contract.

#![deny(clippy::arithmetic_side_effects)]

use std::fmt;

/// A payment channel (`kode_channel`). Open: a code the SDK does not know is passed
/// through unchanged, so a channel Cashi adds tomorrow works without an SDK release.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Channel {
    /// Standard dynamic QRIS (no `kode_channel` is sent).
    #[default]
    Qris,
    /// QRIS on the merchant's own QRIS (must be activated in the dashboard).
    QrisCustom,
    /// Virtual account at a bank: `BCA`, `MANDIRI`, `BNI`, `BRI`, `BSI`.
    VirtualAccount(Bank),
    /// Retail payment code: `ALFAMART`, `INDOMARET`.
    Retail(Retailer),
    /// A code this SDK does not know, sent as given.
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bank {
    Bca,
    Mandiri,
    Bni,
    Bri,
    Bsi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retailer {
    Alfamart,
    Indomaret,
}

/// The smallest and largest amount (whole rupiah) a channel accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountLimits {
    pub min: i64,
    pub max: i64,
}

impl Channel {
    /// Parses a channel code, case-insensitively. Empty or `QRIS` means standard QRIS.
    pub fn parse(code: &str) -> Channel {
        let code = code.trim();
        match code.to_ascii_uppercase().as_str() {
            "" | "QRIS" => Channel::Qris,
            "QRIS_CUSTOM" => Channel::QrisCustom,
            "BCA" => Channel::VirtualAccount(Bank::Bca),
            "MANDIRI" => Channel::VirtualAccount(Bank::Mandiri),
            "BNI" => Channel::VirtualAccount(Bank::Bni),
            "BRI" => Channel::VirtualAccount(Bank::Bri),
            "BSI" => Channel::VirtualAccount(Bank::Bsi),
            "ALFAMART" => Channel::Retail(Retailer::Alfamart),
            "INDOMARET" => Channel::Retail(Retailer::Indomaret),
            _ => Channel::Other(code.to_string()),
        }
    }

    /// The `kode_channel` to send, or `None` for standard QRIS.
    pub fn code(&self) -> Option<&str> {
        Some(match self {
            Channel::Qris => return None,
            Channel::QrisCustom => "QRIS_CUSTOM",
            Channel::VirtualAccount(Bank::Bca) => "BCA",
            Channel::VirtualAccount(Bank::Mandiri) => "MANDIRI",
            Channel::VirtualAccount(Bank::Bni) => "BNI",
            Channel::VirtualAccount(Bank::Bri) => "BRI",
            Channel::VirtualAccount(Bank::Bsi) => "BSI",
            Channel::Retail(Retailer::Alfamart) => "ALFAMART",
            Channel::Retail(Retailer::Indomaret) => "INDOMARET",
            Channel::Other(code) => code,
        })
    }

    /// The amount limits from the contract; `None` for a channel the SDK does not know
    /// (Cashi decides).
    pub fn limits(&self) -> Option<AmountLimits> {
        match self {
            Channel::Qris | Channel::QrisCustom => Some(AmountLimits {
                min: 2_000,
                max: 10_000_000,
            }),
            Channel::VirtualAccount(_) => Some(AmountLimits {
                min: 10_000,
                max: 50_000_000,
            }),
            Channel::Retail(_) => Some(AmountLimits {
                min: 15_000,
                max: 2_500_000,
            }),
            Channel::Other(_) => None,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("QRIS"))
    }
}

impl From<&str> for Channel {
    fn from(code: &str) -> Self {
        Channel::parse(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_round_trip() {
        for code in [
            "QRIS_CUSTOM",
            "BCA",
            "MANDIRI",
            "BNI",
            "BRI",
            "BSI",
            "ALFAMART",
            "INDOMARET",
        ] {
            assert_eq!(Channel::parse(code).code(), Some(code));
            assert_eq!(Channel::parse(&code.to_lowercase()).code(), Some(code));
        }
        assert_eq!(Channel::parse("").code(), None);
        assert_eq!(Channel::parse("QRIS"), Channel::Qris);
    }

    #[test]
    fn unknown_code_passes_through() {
        let c = Channel::parse("OVO");
        assert_eq!(c, Channel::Other("OVO".into()));
        assert_eq!(c.code(), Some("OVO"));
        assert_eq!(c.limits(), None);
    }

    #[test]
    fn limits_follow_contract() {
        assert_eq!(Channel::Qris.limits().unwrap().min, 2_000);
        assert_eq!(Channel::parse("BSI").limits().unwrap().max, 50_000_000);
        assert_eq!(Channel::parse("INDOMARET").limits().unwrap().min, 15_000);
        assert_eq!(Channel::parse("ALFAMART").limits().unwrap().max, 2_500_000);
    }
}
