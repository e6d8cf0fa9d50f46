//! Reading the fields the SDK needs from a JSON object in one pass, without building a map
//! of the whole object (building and hashing that map was one of the largest parts of a
//! create-order's time in libcashi; bench/FINDINGS.md §5). The text is kept: `raw` parses
//! it only when asked for.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Declares a struct of the fields the SDK reads from a JSON object, each an `Option<T>`
/// under its JSON name, read in one pass by [`ReadObject`]: a repeated name counts once, the
/// last one, as in every JSON parser the bindings use for `raw` (the value it replaces must
/// still be one `raw` reads: [`replaced`]); every other field is checked as strictly as
/// `raw` will parse it ([`Skipped`]) and dropped.
macro_rules! json_fields {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($field:ident: $ty:ty = $json:literal,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        $vis struct $name {
            $($field: Option<$ty>,)+
        }

        impl $crate::decode::fields::ReadObject for $name {
            fn read<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> std::result::Result<Self, A::Error> {
                let mut fields = Self::default();
                while let Some(key) = map.next_key::<$crate::decode::fields::Key<'de>>()? {
                    match key.as_str() {
                        $($json => {
                            if let Some(earlier) = &fields.$field {
                                $crate::decode::fields::replaced(earlier, $json)?;
                            }
                            fields.$field = Some(map.next_value()?);
                        })+
                        _ => {
                            map.next_value::<$crate::decode::fields::Skipped>()?;
                        }
                    }
                }
                Ok(fields)
            }
        }
    };
}
pub(crate) use json_fields;

/// A field's reader, as a repeated name sees the value it replaces.
pub(crate) trait Replaceable {
    /// Whether `raw`'s parse of the whole text reads this value too. Every reader but the
    /// amount's parses as strictly as `raw`.
    fn parses_as_raw(&self) -> bool {
        true
    }
}

impl Replaceable for Scalar {}
impl Replaceable for Value {}
impl<T> Replaceable for ObjectOr<T> {}

/// Refuses an object in which a repeated name replaced a value `raw` could not read: the
/// SDK would accept a text whose `raw` then fails.
#[inline]
pub(crate) fn replaced<E: serde::de::Error>(
    earlier: &impl Replaceable,
    name: &str,
) -> std::result::Result<(), E> {
    if earlier.parses_as_raw() {
        Ok(())
    } else {
        Err(given_twice(name))
    }
}

#[cold]
#[inline(never)]
fn given_twice<E: serde::de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "{name}: given twice, the first time as a value no JSON parser reads"
    ))
}

/// How the fields the SDK needs are taken out of a JSON object (see [`json_fields`]).
pub(crate) trait ReadObject: Sized {
    fn read<'de, A: MapAccess<'de>>(map: A) -> std::result::Result<Self, A::Error>;
}

/// Reads `text` as a JSON object of `T`; `Ok(None)` for JSON that is not an object.
pub(crate) fn read_object<T: ReadObject>(text: &str) -> serde_json::Result<Option<T>> {
    Ok(match serde_json::from_str::<ObjectOr<T>>(text)? {
        ObjectOr::Object(fields) => Some(fields),
        ObjectOr::Other => None,
    })
}

/// The whole object, from a text that [`read_object`] already read as one.
pub(crate) fn whole_object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        _ => unreachable!("a text read as a JSON object reads as one again"),
    }
}

/// An object's key, borrowed from the text unless it had escapes to decode.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E>(self, key: &str) -> std::result::Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A field the SDK reads as a single value: a text, a number, a boolean or null. An object
/// or an array there is checked like [`Skipped`] and kept only as `Compound`. At 24 bytes
/// against a `Value`'s 72, the structs of fields, moved whole while serde returns them, are
/// a third of the size, and so is the copying, a visible part of a webhook's verify
/// (bench/FINDINGS.md §5).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Text(String),
    Number(serde_json::Number),
    Bool(bool),
    Null,
    Compound,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, text: &str) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Text(text.to_owned()))
            }
            fn visit_string<E>(self, text: String) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Text(text))
            }
            fn visit_i64<E>(self, n: i64) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Number(n.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> std::result::Result<Scalar, E> {
                serde_json::Number::from_f64(n)
                    .map(Scalar::Number)
                    .ok_or_else(|| E::custom("a number that is not finite"))
            }
            fn visit_bool<E>(self, b: bool) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Bool(b))
            }
            fn visit_unit<E>(self) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Scalar, A::Error> {
                SkipVisitor.visit_map(map).map(|_| Scalar::Compound)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Scalar, A::Error> {
                SkipVisitor.visit_seq(seq).map(|_| Scalar::Compound)
            }
        }
        d.deserialize_any(ScalarVisitor)
    }
}

/// A JSON value read as an object by `T`, or anything else (consumed unread).
#[derive(Debug)]
pub(crate) enum ObjectOr<T> {
    Object(T),
    Other,
}

/// A value the SDK does not read, parsed as strictly as `raw` will parse it (numbers in range,
/// strings decoded) but not kept: serde's `IgnoredAny` skims numbers, which would let a body
/// verify whose `raw` then cannot be read (found by fuzzing).
pub(crate) struct Skipped;

impl<'de> Deserialize<'de> for Skipped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skipped;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Skipped, A::Error> {
        while map.next_entry::<Skipped, Skipped>()?.is_some() {}
        Ok(Skipped)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Skipped, A::Error> {
        while seq.next_element::<Skipped>()?.is_some() {}
        Ok(Skipped)
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Skipped, E> {
        Ok(Skipped)
    }
    fn visit_unit<E>(self) -> std::result::Result<Skipped, E> {
        Ok(Skipped)
    }
}

impl<'de, T: ReadObject> Deserialize<'de> for ObjectOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ShapeVisitor<T>(PhantomData<T>);
        impl<'de, T: ReadObject> Visitor<'de> for ShapeVisitor<T> {
            type Value = ObjectOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                T::read(map).map(ObjectOr::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                while seq.next_element::<Skipped>()?.is_some() {}
                Ok(ObjectOr::Other)
            }
            fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Ok(ObjectOr::Other)
            }
            fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
                Ok(ObjectOr::Other)
            }
            fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
                Ok(ObjectOr::Other)
            }
            fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Ok(ObjectOr::Other)
            }
            fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
                Ok(ObjectOr::Other)
            }
            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(ObjectOr::Other)
            }
        }
        d.deserialize_any(ShapeVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    json_fields! {
        struct Probe {
            order_id: Scalar = "order_id",
            amount: Scalar = "amount",
        }
    }

    #[test]
    fn reads_its_fields_and_skips_the_rest() {
        let text = r#"{"x":{"deep":[1,{"y":null}]},"order_id":"A","amount":5,"z":"\u00e9"}"#;
        let probe = read_object::<Probe>(text).unwrap().unwrap();
        assert_eq!(probe.order_id, Some(Scalar::Text("A".into())));
        assert_eq!(probe.amount, Some(Scalar::Number(5.into())));
    }

    #[test]
    fn a_field_is_read_as_one_value() {
        let read = |text: &str| serde_json::from_str::<Scalar>(text).map_err(|e| e.to_string());
        assert_eq!(read(r#""\u00e9""#), Ok(Scalar::Text("é".into())));
        assert_eq!(read("-7"), Ok(Scalar::Number((-7).into())));
        assert_eq!(
            read("1.5"),
            Ok(Scalar::Number(serde_json::Number::from_f64(1.5).unwrap()))
        );
        assert_eq!(read("false"), Ok(Scalar::Bool(false)));
        assert_eq!(read("null"), Ok(Scalar::Null));
        assert_eq!(read(r#"{"a":[1,{"b":"c"}]}"#), Ok(Scalar::Compound));
        assert_eq!(read("[true]"), Ok(Scalar::Compound));
        assert!(read("1e999").is_err(), "as strict as raw");
        assert!(read(r#"{"a":1e999}"#).is_err(), "inside an object too");
    }

    json_fields! {
        struct AmountProbe {
            amount: crate::decode::lenient::AmountField = "amount",
        }
    }

    #[test]
    fn a_repeated_name_counts_once_unless_it_replaces_what_raw_cannot_read() {
        use crate::decode::lenient::AmountField;
        let probe = read_object::<AmountProbe>(r#"{"amount":-1,"amount":15023}"#);
        assert_eq!(
            probe.unwrap().unwrap().amount,
            Some(AmountField::Whole(15023))
        );
        let refused = read_object::<AmountProbe>(r#"{"amount":1e999,"amount":15023}"#);
        let message = refused.unwrap_err().to_string();
        assert!(message.starts_with("amount: given twice"), "{message}");
        // The last one may be anything the amount rule then judges.
        let last = read_object::<AmountProbe>(r#"{"amount":15023,"amount":1e999}"#);
        assert!(matches!(
            last.unwrap().unwrap().amount,
            Some(AmountField::Unreadable(_))
        ));
    }

    #[test]
    fn a_key_written_with_escapes_is_the_same_key() {
        let probe = read_object::<Probe>(r#"{"order\u005fid":"A"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(probe.order_id, Some(Scalar::Text("A".into())));
    }

    #[test]
    fn other_json_is_not_an_object_and_bad_json_an_error() {
        assert!(read_object::<Probe>("[1]").unwrap().is_none());
        assert!(read_object::<Probe>("\"A\"").unwrap().is_none());
        assert!(read_object::<Probe>(r#"{"order_id":"A""#).is_err());
        assert!(
            read_object::<Probe>(r#"{"n":1e999}"#).is_err(),
            "as strict as raw"
        );
    }
}
