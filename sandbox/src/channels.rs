//! Payment channels (`kode_channel`) and their amount limits, per the contract.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serialized as its `kode_channel` code (`QRIS`, `BCA`, ...), in the order record and
/// the database alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Standard QRIS (no `kode_channel`).
    Qris,
    /// QRIS on the merchant's own QRIS (`kode_channel: QRIS_CUSTOM` or `QRIS_CUSTOM: true`).
    QrisCustom,
    /// Virtual account at the named bank.
    Va(Bank),
    /// Retail payment code at the named store chain.
    Retail(Retailer),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bank {
    Bca,
    Mandiri,
    Bni,
    Bri,
    Bsi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retailer {
    Alfamart,
    Indomaret,
}

/// Every code `kode_channel` accepts, for error messages.
pub const KNOWN_CODES: &str = "QRIS, QRIS_CUSTOM, BCA, MANDIRI, BNI, BRI, BSI, ALFAMART, INDOMARET";

/// Flat VA fee charged to the merchant (so `expected_net = amount - admin_fee`).
pub const VA_ADMIN_FEE: i64 = 4_000;

impl Channel {
    /// Parses a `kode_channel` value, case-insensitively; `QRIS` is the standard channel.
    pub fn from_code(code: &str) -> Option<Channel> {
        Some(match code.trim().to_ascii_uppercase().as_str() {
            "QRIS" => Channel::Qris,
            "QRIS_CUSTOM" => Channel::QrisCustom,
            "BCA" => Channel::Va(Bank::Bca),
            "MANDIRI" => Channel::Va(Bank::Mandiri),
            "BNI" => Channel::Va(Bank::Bni),
            "BRI" => Channel::Va(Bank::Bri),
            "BSI" => Channel::Va(Bank::Bsi),
            "ALFAMART" => Channel::Retail(Retailer::Alfamart),
            "INDOMARET" => Channel::Retail(Retailer::Indomaret),
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::Qris => "QRIS",
            Channel::QrisCustom => "QRIS_CUSTOM",
            Channel::Va(b) => b.code(),
            Channel::Retail(Retailer::Alfamart) => "ALFAMART",
            Channel::Retail(Retailer::Indomaret) => "INDOMARET",
        }
    }

    /// Inclusive (min, max) amount in rupiah.
    pub fn limits(self) -> (i64, i64) {
        match self {
            Channel::Qris | Channel::QrisCustom => (2_000, 10_000_000),
            Channel::Va(_) => (10_000, 50_000_000),
            Channel::Retail(_) => (15_000, 2_500_000),
        }
    }

    pub fn is_qris(self) -> bool {
        matches!(self, Channel::Qris | Channel::QrisCustom)
    }

    /// The `provider` field of create-order.
    pub fn provider(self) -> &'static str {
        match self {
            Channel::Qris | Channel::QrisCustom => "CASHI",
            Channel::Va(_) => "VA",
            Channel::Retail(_) => "RETAIL",
        }
    }

    /// The `payment_method` of the webhook: `QRIS` for both QRIS channels, else the code.
    pub fn payment_method(self) -> &'static str {
        if self.is_qris() {
            "QRIS"
        } else {
            self.code()
        }
    }

    /// Human name for the checkout page and `bank_name` / `retail_name`.
    pub fn display_name(self) -> &'static str {
        match self {
            Channel::Qris => "QRIS",
            Channel::QrisCustom => "QRIS (custom)",
            Channel::Va(b) => b.name(),
            Channel::Retail(Retailer::Alfamart) => "Alfamart",
            Channel::Retail(Retailer::Indomaret) => "Indomaret",
        }
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Channel::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown channel {code}")))
    }
}

impl Bank {
    pub fn code(self) -> &'static str {
        match self {
            Bank::Bca => "BCA",
            Bank::Mandiri => "MANDIRI",
            Bank::Bni => "BNI",
            Bank::Bri => "BRI",
            Bank::Bsi => "BSI",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Bank::Bca => "Bank Central Asia",
            Bank::Mandiri => "Bank Mandiri",
            Bank::Bni => "Bank Negara Indonesia",
            Bank::Bri => "Bank Rakyat Indonesia",
            Bank::Bsi => "Bank Syariah Indonesia",
        }
    }

    /// A company-code prefix so VA numbers look like the bank's.
    pub fn va_prefix(self) -> &'static str {
        match self {
            Bank::Bca => "39358",
            Bank::Mandiri => "88908",
            Bank::Bni => "8808",
            Bank::Bri => "26215",
            Bank::Bsi => "9347",
        }
    }
}

/// QRIS fee in percent, the `fee` field.
pub const QRIS_FEE_PERCENT: f64 = 0.7;

/// Net after the 0.7% QRIS fee, the fee rounded down to whole rupiah (50042 → 49692).
pub fn qris_expected_net(amount: i64) -> i64 {
    amount - amount * 7 / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_net_matches_the_contract_example() {
        assert_eq!(qris_expected_net(50042), 49692);
    }

    #[test]
    fn codes_round_trip() {
        for code in KNOWN_CODES.split(", ") {
            let c = Channel::from_code(code).unwrap();
            assert_eq!(c.code(), code);
        }
        assert_eq!(Channel::from_code("bca"), Some(Channel::Va(Bank::Bca)));
        assert_eq!(Channel::from_code("OVO"), None);
    }
}
