// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`); do not edit.

//! Every result's fields as C reads them, from the core's schemas: for each record a struct of
//! all its fields (`cashi_<record>_fields`), filled once when its handle is made by reading
//! the core's record by the fields' names, and one accessor per field.

use std::ffi::c_char;
use std::ptr;

use cashi::model::{Record, Value};

use crate::record::{get_fields, nested, read, HasFields, Texts, TextsBuilder};
use crate::{cashi_event, cashi_order, cashi_status};

/// An order as Cashi created it. Every field as its accessor `cashi_order_<field>` returns
/// it, for callers that pay for each call (PHP's FFI reads them all with one
/// `cashi_order_get_fields`). Texts are NULL where absent; each `has_<field>` says whether
/// the value after it is present. Texts and nested records are owned by the order, valid
/// until `cashi_order_free`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cashi_order_fields {
    /// The order's id: the one given to create_order, or the one Cashi made.
    pub order_id: *const c_char,
    /// The amount to pay, with the unique code. Store it: the webhook carries it.
    pub amount: i64,
    /// The amount that was asked for.
    pub requested_amount: i64,
    /// amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none).
    pub unique_code: i64,
    /// Cashi's hosted payment page. NULL when absent.
    pub checkout_url: *const c_char,
    /// The QR code as a data:image/png;base64 URI (QRIS orders). NULL when absent.
    pub qr_url: *const c_char,
    /// When the order stops being payable, at +07:00; absent if unknown. As RFC 3339 text
    /// (`2025-03-01T10:20:30+07:00`); NULL when absent.
    pub expires_at: *const c_char,
    /// The payment provider Cashi routed the order to. NULL when absent.
    pub provider: *const c_char,
    /// Whether `fee` is present.
    pub has_fee: bool,
    /// Cashi's fee, as a percentage (e.g. 0.7). 0 when absent.
    pub fee: f64,
    /// Whether `expected_net` is present.
    pub has_expected_net: bool,
    /// What the merchant receives after the fee. 0 when absent.
    pub expected_net: i64,
    /// Whether `is_qris_custom` is present.
    pub has_is_qris_custom: bool,
    /// Whether the order uses the merchant's own QRIS. false when absent.
    pub is_qris_custom: bool,
    /// The virtual account to pay into (VA orders). NULL when absent.
    pub virtual_account: *const cashi_virtual_account,
    /// The payment code to pay at a store (retail orders). NULL when absent.
    pub retail: *const cashi_retail_code,
}

/// The fields of a `cashi_order` as C reads them, and what their pointers point into.
pub(crate) struct OrderRecord {
    pub(crate) fields: cashi_order_fields,
    _texts: Texts<5>,
    _virtual_account: Option<Box<cashi_virtual_account>>,
    _retail: Option<Box<cashi_retail_code>>,
}

impl OrderRecord {
    /// Reads the core's `Order` by its fields' names. `Err` names the first field whose
    /// text holds U+0000 (`virtual_account.va_number` for a nested one), which a C string
    /// cannot carry.
    pub(crate) fn read(record: &dyn Record) -> Result<Self, String> {
        let mut texts = TextsBuilder::<5>::new();
        let mut fields = cashi_order_fields {
            order_id: ptr::null(),
            amount: 0,
            requested_amount: 0,
            unique_code: 0,
            checkout_url: ptr::null(),
            qr_url: ptr::null(),
            expires_at: ptr::null(),
            provider: ptr::null(),
            has_fee: false,
            fee: 0.0,
            has_expected_net: false,
            expected_net: 0,
            has_is_qris_custom: false,
            is_qris_custom: false,
            virtual_account: ptr::null(),
            retail: ptr::null(),
        };
        let mut virtual_account = None;
        let mut retail = None;
        record.visit(&mut |field, value| match (field.name, value) {
            ("order_id", value) => texts.set(0, "order_id", value),
            ("amount", Value::Integer(v)) => fields.amount = v.unwrap_or(0),
            ("requested_amount", Value::Integer(v)) => fields.requested_amount = v.unwrap_or(0),
            ("unique_code", Value::Integer(v)) => fields.unique_code = v.unwrap_or(0),
            ("checkout_url", value) => texts.set(1, "checkout_url", value),
            ("qr_url", value) => texts.set(2, "qr_url", value),
            ("expires_at", value) => texts.set(3, "expires_at", value),
            ("provider", value) => texts.set(4, "provider", value),
            ("fee", Value::Decimal(v)) => {
                fields.has_fee = v.is_some();
                fields.fee = v.unwrap_or(0.0);
            }
            ("expected_net", Value::Integer(v)) => {
                fields.has_expected_net = v.is_some();
                fields.expected_net = v.unwrap_or(0);
            }
            ("is_qris_custom", Value::Boolean(v)) => {
                fields.has_is_qris_custom = v.is_some();
                fields.is_qris_custom = v.unwrap_or(false);
            }
            ("virtual_account", Value::Record(Some(v))) => match VirtualAccountRecord::read(v) {
                Ok(record) => virtual_account = Some(Box::new(cashi_virtual_account { record })),
                Err(inner) => texts.fail(format!("virtual_account.{inner}")),
            },
            ("retail", Value::Record(Some(v))) => match RetailCodeRecord::read(v) {
                Ok(record) => retail = Some(Box::new(cashi_retail_code { record })),
                Err(inner) => texts.fail(format!("retail.{inner}")),
            },
            _ => {}
        });
        let texts = texts.finish()?;
        fields.order_id = texts.ptr(0);
        fields.checkout_url = texts.ptr(1);
        fields.qr_url = texts.ptr(2);
        fields.expires_at = texts.ptr(3);
        fields.provider = texts.ptr(4);
        fields.virtual_account = nested(&virtual_account);
        fields.retail = nested(&retail);
        Ok(OrderRecord {
            fields,
            _texts: texts,
            _virtual_account: virtual_account,
            _retail: retail,
        })
    }
}

impl HasFields for cashi_order {
    type Fields = cashi_order_fields;

    fn fields(&self) -> &cashi_order_fields {
        &self.record.fields
    }
}

/// Fills `*out` with every field of `order` (see `cashi_order_fields`). Returns false, and
/// leaves `*out` as it was, when `order` or `out` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_get_fields(
    order: *const cashi_order,
    out: *mut cashi_order_fields,
) -> bool {
    get_fields(order, out)
}

/// The order's id: the one given to create_order, or the one Cashi made. NULL only when
/// `order` is NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_order_order_id(order: *const cashi_order) -> *const c_char {
    read(order, ptr::null(), |f| f.order_id)
}

/// The amount to pay, with the unique code. Store it: the webhook carries it. 0 when
/// `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_amount(order: *const cashi_order) -> i64 {
    read(order, 0, |f| f.amount)
}

/// The amount that was asked for. 0 when `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_requested_amount(order: *const cashi_order) -> i64 {
    read(order, 0, |f| f.requested_amount)
}

/// amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none). 0 when `order` is
/// NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_unique_code(order: *const cashi_order) -> i64 {
    read(order, 0, |f| f.unique_code)
}

/// Cashi's hosted payment page. NULL when absent or when `order` is NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_order_checkout_url(order: *const cashi_order) -> *const c_char {
    read(order, ptr::null(), |f| f.checkout_url)
}

/// The QR code as a data:image/png;base64 URI (QRIS orders). NULL when absent or when
/// `order` is NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_order_qr_url(order: *const cashi_order) -> *const c_char {
    read(order, ptr::null(), |f| f.qr_url)
}

/// When the order stops being payable, at +07:00; absent if unknown. As RFC 3339 text
/// (`2025-03-01T10:20:30+07:00`). NULL when absent or when `order` is NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_order_expires_at(order: *const cashi_order) -> *const c_char {
    read(order, ptr::null(), |f| f.expires_at)
}

/// The payment provider Cashi routed the order to. NULL when absent or when `order` is
/// NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_order_provider(order: *const cashi_order) -> *const c_char {
    read(order, ptr::null(), |f| f.provider)
}

/// Whether `fee` is present (see `cashi_order_fee`); false when `order` is NULL.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_fee(order: *const cashi_order) -> bool {
    read(order, false, |f| f.has_fee)
}

/// Cashi's fee, as a percentage (e.g. 0.7). 0 when absent (see `cashi_order_has_fee`) or
/// when `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_fee(order: *const cashi_order) -> f64 {
    read(order, 0.0, |f| f.fee)
}

/// Whether `expected_net` is present (see `cashi_order_expected_net`); false when `order`
/// is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_expected_net(order: *const cashi_order) -> bool {
    read(order, false, |f| f.has_expected_net)
}

/// What the merchant receives after the fee. 0 when absent (see
/// `cashi_order_has_expected_net`) or when `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_expected_net(order: *const cashi_order) -> i64 {
    read(order, 0, |f| f.expected_net)
}

/// Whether `is_qris_custom` is present (see `cashi_order_is_qris_custom`); false when
/// `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_is_qris_custom(order: *const cashi_order) -> bool {
    read(order, false, |f| f.has_is_qris_custom)
}

/// Whether the order uses the merchant's own QRIS. false when absent (see
/// `cashi_order_has_is_qris_custom`) or when `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_is_qris_custom(order: *const cashi_order) -> bool {
    read(order, false, |f| f.is_qris_custom)
}

/// The virtual account to pay into (VA orders). NULL when absent or when `order` is NULL.
///
/// Ownership: borrowed, part of the order, valid until `cashi_order_free`; read it with the
/// `cashi_virtual_account_*` accessors, never free it. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_virtual_account(
    order: *const cashi_order,
) -> *const cashi_virtual_account {
    read(order, ptr::null(), |f| f.virtual_account)
}

/// The payment code to pay at a store (retail orders). NULL when absent or when `order` is
/// NULL.
///
/// Ownership: borrowed, part of the order, valid until `cashi_order_free`; read it with the
/// `cashi_retail_code_*` accessors, never free it. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_retail(order: *const cashi_order) -> *const cashi_retail_code {
    read(order, ptr::null(), |f| f.retail)
}

/// The virtual-account part of a VA order. Every field as its accessor
/// `cashi_virtual_account_<field>` returns it, for callers that pay for each call (PHP's
/// FFI reads them all with one `cashi_virtual_account_get_fields`). Texts are NULL where
/// absent; each `has_<field>` says whether the value after it is present. Texts and nested
/// records are owned by the order it is part of, valid until `cashi_order_free`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cashi_virtual_account_fields {
    /// The account number the customer transfers to.
    pub va_number: *const c_char,
    /// The bank's code. NULL when absent.
    pub bank: *const c_char,
    /// The bank's name. NULL when absent.
    pub bank_name: *const c_char,
    /// Whether `total_amount` is present.
    pub has_total_amount: bool,
    /// What the customer transfers, the bank's fee included. 0 when absent.
    pub total_amount: i64,
    /// Whether `admin_fee` is present.
    pub has_admin_fee: bool,
    /// The bank's fee. 0 when absent.
    pub admin_fee: i64,
    /// The channel code the order was created with. NULL when absent.
    pub kode_channel: *const c_char,
}

/// The virtual-account part of a VA order. Part of the order it came from: borrowed, valid
/// until `cashi_order_free`, never freed on its own. Immutable; its accessors may be called
/// from any thread.
pub struct cashi_virtual_account {
    pub(crate) record: VirtualAccountRecord,
}

/// The fields of a `cashi_virtual_account` as C reads them, and what their pointers point
/// into.
pub(crate) struct VirtualAccountRecord {
    pub(crate) fields: cashi_virtual_account_fields,
    _texts: Texts<4>,
}

impl VirtualAccountRecord {
    /// Reads the core's `VirtualAccount` by its fields' names. `Err` names the first field
    /// whose text holds U+0000 (`virtual_account.va_number` for a nested one), which a C
    /// string cannot carry.
    pub(crate) fn read(record: &dyn Record) -> Result<Self, String> {
        let mut texts = TextsBuilder::<4>::new();
        let mut fields = cashi_virtual_account_fields {
            va_number: ptr::null(),
            bank: ptr::null(),
            bank_name: ptr::null(),
            has_total_amount: false,
            total_amount: 0,
            has_admin_fee: false,
            admin_fee: 0,
            kode_channel: ptr::null(),
        };
        record.visit(&mut |field, value| match (field.name, value) {
            ("va_number", value) => texts.set(0, "va_number", value),
            ("bank", value) => texts.set(1, "bank", value),
            ("bank_name", value) => texts.set(2, "bank_name", value),
            ("total_amount", Value::Integer(v)) => {
                fields.has_total_amount = v.is_some();
                fields.total_amount = v.unwrap_or(0);
            }
            ("admin_fee", Value::Integer(v)) => {
                fields.has_admin_fee = v.is_some();
                fields.admin_fee = v.unwrap_or(0);
            }
            ("kode_channel", value) => texts.set(3, "kode_channel", value),
            _ => {}
        });
        let texts = texts.finish()?;
        fields.va_number = texts.ptr(0);
        fields.bank = texts.ptr(1);
        fields.bank_name = texts.ptr(2);
        fields.kode_channel = texts.ptr(3);
        Ok(VirtualAccountRecord {
            fields,
            _texts: texts,
        })
    }
}

impl HasFields for cashi_virtual_account {
    type Fields = cashi_virtual_account_fields;

    fn fields(&self) -> &cashi_virtual_account_fields {
        &self.record.fields
    }
}

/// Fills `*out` with every field of `virtual_account` (see `cashi_virtual_account_fields`).
/// Returns false, and leaves `*out` as it was, when `virtual_account` or `out` is NULL.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_get_fields(
    virtual_account: *const cashi_virtual_account,
    out: *mut cashi_virtual_account_fields,
) -> bool {
    get_fields(virtual_account, out)
}

/// The account number the customer transfers to. NULL only when `virtual_account` is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_va_number(
    virtual_account: *const cashi_virtual_account,
) -> *const c_char {
    read(virtual_account, ptr::null(), |f| f.va_number)
}

/// The bank's code. NULL when absent or when `virtual_account` is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_bank(
    virtual_account: *const cashi_virtual_account,
) -> *const c_char {
    read(virtual_account, ptr::null(), |f| f.bank)
}

/// The bank's name. NULL when absent or when `virtual_account` is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_bank_name(
    virtual_account: *const cashi_virtual_account,
) -> *const c_char {
    read(virtual_account, ptr::null(), |f| f.bank_name)
}

/// Whether `total_amount` is present (see `cashi_virtual_account_total_amount`); false when
/// `virtual_account` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_has_total_amount(
    virtual_account: *const cashi_virtual_account,
) -> bool {
    read(virtual_account, false, |f| f.has_total_amount)
}

/// What the customer transfers, the bank's fee included. 0 when absent (see
/// `cashi_virtual_account_has_total_amount`) or when `virtual_account` is NULL.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_total_amount(
    virtual_account: *const cashi_virtual_account,
) -> i64 {
    read(virtual_account, 0, |f| f.total_amount)
}

/// Whether `admin_fee` is present (see `cashi_virtual_account_admin_fee`); false when
/// `virtual_account` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_has_admin_fee(
    virtual_account: *const cashi_virtual_account,
) -> bool {
    read(virtual_account, false, |f| f.has_admin_fee)
}

/// The bank's fee. 0 when absent (see `cashi_virtual_account_has_admin_fee`) or when
/// `virtual_account` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_admin_fee(
    virtual_account: *const cashi_virtual_account,
) -> i64 {
    read(virtual_account, 0, |f| f.admin_fee)
}

/// The channel code the order was created with. NULL when absent or when `virtual_account`
/// is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_virtual_account_kode_channel(
    virtual_account: *const cashi_virtual_account,
) -> *const c_char {
    read(virtual_account, ptr::null(), |f| f.kode_channel)
}

/// The payment code of a retail (Alfamart, Indomaret) order. Every field as its accessor
/// `cashi_retail_code_<field>` returns it, for callers that pay for each call (PHP's FFI
/// reads them all with one `cashi_retail_code_get_fields`). Texts are NULL where absent;
/// each `has_<field>` says whether the value after it is present. Texts and nested records
/// are owned by the order it is part of, valid until `cashi_order_free`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cashi_retail_code_fields {
    /// The code the customer shows at the till.
    pub payment_code: *const c_char,
    /// The store chain's code. NULL when absent.
    pub retail_code: *const c_char,
    /// The store chain's name. NULL when absent.
    pub retail_name: *const c_char,
}

/// The payment code of a retail (Alfamart, Indomaret) order. Part of the order it came
/// from: borrowed, valid until `cashi_order_free`, never freed on its own. Immutable; its
/// accessors may be called from any thread.
pub struct cashi_retail_code {
    pub(crate) record: RetailCodeRecord,
}

/// The fields of a `cashi_retail_code` as C reads them, and what their pointers point into.
pub(crate) struct RetailCodeRecord {
    pub(crate) fields: cashi_retail_code_fields,
    _texts: Texts<3>,
}

impl RetailCodeRecord {
    /// Reads the core's `RetailCode` by its fields' names. `Err` names the first field
    /// whose text holds U+0000 (`virtual_account.va_number` for a nested one), which a C
    /// string cannot carry.
    pub(crate) fn read(record: &dyn Record) -> Result<Self, String> {
        let mut texts = TextsBuilder::<3>::new();
        let mut fields = cashi_retail_code_fields {
            payment_code: ptr::null(),
            retail_code: ptr::null(),
            retail_name: ptr::null(),
        };
        record.visit(&mut |field, value| match (field.name, value) {
            ("payment_code", value) => texts.set(0, "payment_code", value),
            ("retail_code", value) => texts.set(1, "retail_code", value),
            ("retail_name", value) => texts.set(2, "retail_name", value),
            _ => {}
        });
        let texts = texts.finish()?;
        fields.payment_code = texts.ptr(0);
        fields.retail_code = texts.ptr(1);
        fields.retail_name = texts.ptr(2);
        Ok(RetailCodeRecord {
            fields,
            _texts: texts,
        })
    }
}

impl HasFields for cashi_retail_code {
    type Fields = cashi_retail_code_fields;

    fn fields(&self) -> &cashi_retail_code_fields {
        &self.record.fields
    }
}

/// Fills `*out` with every field of `retail_code` (see `cashi_retail_code_fields`). Returns
/// false, and leaves `*out` as it was, when `retail_code` or `out` is NULL. Thread-safety:
/// any thread.
#[no_mangle]
pub extern "C" fn cashi_retail_code_get_fields(
    retail_code: *const cashi_retail_code,
    out: *mut cashi_retail_code_fields,
) -> bool {
    get_fields(retail_code, out)
}

/// The code the customer shows at the till. NULL only when `retail_code` is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_retail_code_payment_code(
    retail_code: *const cashi_retail_code,
) -> *const c_char {
    read(retail_code, ptr::null(), |f| f.payment_code)
}

/// The store chain's code. NULL when absent or when `retail_code` is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_retail_code_retail_code(
    retail_code: *const cashi_retail_code,
) -> *const c_char {
    read(retail_code, ptr::null(), |f| f.retail_code)
}

/// The store chain's name. NULL when absent or when `retail_code` is NULL.
///
/// Ownership: owned by the order it is part of, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_retail_code_retail_name(
    retail_code: *const cashi_retail_code,
) -> *const c_char {
    read(retail_code, ptr::null(), |f| f.retail_name)
}

/// An order's payment status, as check-status reports it. Every field as its accessor
/// `cashi_status_<field>` returns it, for callers that pay for each call (PHP's FFI reads
/// them all with one `cashi_status_get_fields`). Texts are NULL where absent; each
/// `has_<field>` says whether the value after it is present. Texts and nested records are
/// owned by the status, valid until `cashi_status_free`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cashi_status_fields {
    /// The order's id.
    pub order_id: *const c_char,
    /// PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent.
    pub status: *const c_char,
    /// Whether `amount` is present.
    pub has_amount: bool,
    /// The amount Cashi reports for the order (the amount paid, once settled). 0 when
    /// absent.
    pub amount: i64,
    /// Cashi's transaction id, present once settled. NULL when absent.
    pub provider_tx_id: *const c_char,
    /// Set by confirm given a webhook event when check-status carried no amount.
    pub amount_from_webhook: bool,
    /// The status is SETTLED. Still compare the amount (confirm does).
    pub is_settled: bool,
    /// The status is PENDING: the customer has not paid yet.
    pub is_pending: bool,
    /// The status is EXPIRED: the order can no longer be paid.
    pub is_expired: bool,
    /// The status can no longer change on its own (SETTLED or EXPIRED).
    pub is_final: bool,
}

/// The fields of a `cashi_status` as C reads them, and what their pointers point into.
pub(crate) struct PaymentStatusRecord {
    pub(crate) fields: cashi_status_fields,
    _texts: Texts<3>,
}

impl PaymentStatusRecord {
    /// Reads the core's `PaymentStatus` by its fields' names. `Err` names the first field
    /// whose text holds U+0000 (`virtual_account.va_number` for a nested one), which a C
    /// string cannot carry.
    pub(crate) fn read(record: &dyn Record) -> Result<Self, String> {
        let mut texts = TextsBuilder::<3>::new();
        let mut fields = cashi_status_fields {
            order_id: ptr::null(),
            status: ptr::null(),
            has_amount: false,
            amount: 0,
            provider_tx_id: ptr::null(),
            amount_from_webhook: false,
            is_settled: false,
            is_pending: false,
            is_expired: false,
            is_final: false,
        };
        record.visit(&mut |field, value| match (field.name, value) {
            ("order_id", value) => texts.set(0, "order_id", value),
            ("status", value) => texts.set(1, "status", value),
            ("amount", Value::Integer(v)) => {
                fields.has_amount = v.is_some();
                fields.amount = v.unwrap_or(0);
            }
            ("provider_tx_id", value) => texts.set(2, "provider_tx_id", value),
            ("amount_from_webhook", Value::Boolean(v)) => {
                fields.amount_from_webhook = v.unwrap_or(false)
            }
            ("is_settled", Value::Boolean(v)) => fields.is_settled = v.unwrap_or(false),
            ("is_pending", Value::Boolean(v)) => fields.is_pending = v.unwrap_or(false),
            ("is_expired", Value::Boolean(v)) => fields.is_expired = v.unwrap_or(false),
            ("is_final", Value::Boolean(v)) => fields.is_final = v.unwrap_or(false),
            _ => {}
        });
        let texts = texts.finish()?;
        fields.order_id = texts.ptr(0);
        fields.status = texts.ptr(1);
        fields.provider_tx_id = texts.ptr(2);
        Ok(PaymentStatusRecord {
            fields,
            _texts: texts,
        })
    }
}

impl HasFields for cashi_status {
    type Fields = cashi_status_fields;

    fn fields(&self) -> &cashi_status_fields {
        &self.record.fields
    }
}

/// Fills `*out` with every field of `status` (see `cashi_status_fields`). Returns false,
/// and leaves `*out` as it was, when `status` or `out` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_get_fields(
    status: *const cashi_status,
    out: *mut cashi_status_fields,
) -> bool {
    get_fields(status, out)
}

/// The order's id. NULL only when `status` is NULL.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_status_order_id(status: *const cashi_status) -> *const c_char {
    read(status, ptr::null(), |f| f.order_id)
}

/// PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent. NULL only when
/// `status` is NULL.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_status_status(status: *const cashi_status) -> *const c_char {
    read(status, ptr::null(), |f| f.status)
}

/// Whether `amount` is present (see `cashi_status_amount`); false when `status` is NULL.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_has_amount(status: *const cashi_status) -> bool {
    read(status, false, |f| f.has_amount)
}

/// The amount Cashi reports for the order (the amount paid, once settled). 0 when absent
/// (see `cashi_status_has_amount`) or when `status` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_amount(status: *const cashi_status) -> i64 {
    read(status, 0, |f| f.amount)
}

/// Cashi's transaction id, present once settled. NULL when absent or when `status` is NULL.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_status_provider_tx_id(status: *const cashi_status) -> *const c_char {
    read(status, ptr::null(), |f| f.provider_tx_id)
}

/// Set by confirm given a webhook event when check-status carried no amount. false when
/// `status` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_amount_from_webhook(status: *const cashi_status) -> bool {
    read(status, false, |f| f.amount_from_webhook)
}

/// The status is SETTLED. Still compare the amount (confirm does). false when `status` is
/// NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_is_settled(status: *const cashi_status) -> bool {
    read(status, false, |f| f.is_settled)
}

/// The status is PENDING: the customer has not paid yet. false when `status` is NULL.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_is_pending(status: *const cashi_status) -> bool {
    read(status, false, |f| f.is_pending)
}

/// The status is EXPIRED: the order can no longer be paid. false when `status` is NULL.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_is_expired(status: *const cashi_status) -> bool {
    read(status, false, |f| f.is_expired)
}

/// The status can no longer change on its own (SETTLED or EXPIRED). false when `status` is
/// NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_is_final(status: *const cashi_status) -> bool {
    read(status, false, |f| f.is_final)
}

/// A webhook event: verified, unless read with parse_unverified. Every field as its
/// accessor `cashi_event_<field>` returns it, for callers that pay for each call (PHP's FFI
/// reads them all with one `cashi_event_get_fields`). Texts are NULL where absent; each
/// `has_<field>` says whether the value after it is present. Texts and nested records are
/// owned by the event, valid until `cashi_event_free`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cashi_event_fields {
    /// The event's name (PAYMENT_SETTLED).
    pub event: *const c_char,
    /// The order's id.
    pub order_id: *const c_char,
    /// The payment's status (SETTLED).
    pub status: *const c_char,
    /// The amount paid; compare it with the amount stored at create-order time.
    pub amount: i64,
    /// How the customer paid. NULL when absent.
    pub payment_method: *const c_char,
    /// When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time). NULL when
    /// absent.
    pub paid_at: *const c_char,
    /// paid_at as an instant at +07:00, when it is present and readable. As RFC 3339 text
    /// (`2025-03-01T10:20:30+07:00`); NULL when absent.
    pub paid_at_time: *const c_char,
    /// Cashi's transaction id. NULL when absent.
    pub transaction_id: *const c_char,
    /// A dashboard test (order id TEST-...): answer 200 and fulfil nothing.
    pub is_test: bool,
    /// PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling.
    pub is_settled: bool,
    /// Its signature was verified; false when read with parse_unverified (a hint: confirm
    /// by order id).
    pub is_verified: bool,
}

/// The fields of a `cashi_event` as C reads them, and what their pointers point into.
pub(crate) struct WebhookEventRecord {
    pub(crate) fields: cashi_event_fields,
    _texts: Texts<7>,
}

impl WebhookEventRecord {
    /// Reads the core's `WebhookEvent` by its fields' names. `Err` names the first field
    /// whose text holds U+0000 (`virtual_account.va_number` for a nested one), which a C
    /// string cannot carry.
    pub(crate) fn read(record: &dyn Record) -> Result<Self, String> {
        let mut texts = TextsBuilder::<7>::new();
        let mut fields = cashi_event_fields {
            event: ptr::null(),
            order_id: ptr::null(),
            status: ptr::null(),
            amount: 0,
            payment_method: ptr::null(),
            paid_at: ptr::null(),
            paid_at_time: ptr::null(),
            transaction_id: ptr::null(),
            is_test: false,
            is_settled: false,
            is_verified: false,
        };
        record.visit(&mut |field, value| match (field.name, value) {
            ("event", value) => texts.set(0, "event", value),
            ("order_id", value) => texts.set(1, "order_id", value),
            ("status", value) => texts.set(2, "status", value),
            ("amount", Value::Integer(v)) => fields.amount = v.unwrap_or(0),
            ("payment_method", value) => texts.set(3, "payment_method", value),
            ("paid_at", value) => texts.set(4, "paid_at", value),
            ("paid_at_time", value) => texts.set(5, "paid_at_time", value),
            ("transaction_id", value) => texts.set(6, "transaction_id", value),
            ("is_test", Value::Boolean(v)) => fields.is_test = v.unwrap_or(false),
            ("is_settled", Value::Boolean(v)) => fields.is_settled = v.unwrap_or(false),
            ("is_verified", Value::Boolean(v)) => fields.is_verified = v.unwrap_or(false),
            _ => {}
        });
        let texts = texts.finish()?;
        fields.event = texts.ptr(0);
        fields.order_id = texts.ptr(1);
        fields.status = texts.ptr(2);
        fields.payment_method = texts.ptr(3);
        fields.paid_at = texts.ptr(4);
        fields.paid_at_time = texts.ptr(5);
        fields.transaction_id = texts.ptr(6);
        Ok(WebhookEventRecord {
            fields,
            _texts: texts,
        })
    }
}

impl HasFields for cashi_event {
    type Fields = cashi_event_fields;

    fn fields(&self) -> &cashi_event_fields {
        &self.record.fields
    }
}

/// Fills `*out` with every field of `event` (see `cashi_event_fields`). Returns false, and
/// leaves `*out` as it was, when `event` or `out` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_get_fields(
    event: *const cashi_event,
    out: *mut cashi_event_fields,
) -> bool {
    get_fields(event, out)
}

/// The event's name (PAYMENT_SETTLED). NULL only when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_event(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.event)
}

/// The order's id. NULL only when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_order_id(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.order_id)
}

/// The payment's status (SETTLED). NULL only when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_status(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.status)
}

/// The amount paid; compare it with the amount stored at create-order time. 0 when `event`
/// is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_amount(event: *const cashi_event) -> i64 {
    read(event, 0, |f| f.amount)
}

/// How the customer paid. NULL when absent or when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_payment_method(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.payment_method)
}

/// When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time). NULL when absent or
/// when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_paid_at(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.paid_at)
}

/// paid_at as an instant at +07:00, when it is present and readable. As RFC 3339 text
/// (`2025-03-01T10:20:30+07:00`). NULL when absent or when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_paid_at_time(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.paid_at_time)
}

/// Cashi's transaction id. NULL when absent or when `event` is NULL.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any
/// thread.
#[no_mangle]
pub extern "C" fn cashi_event_transaction_id(event: *const cashi_event) -> *const c_char {
    read(event, ptr::null(), |f| f.transaction_id)
}

/// A dashboard test (order id TEST-...): answer 200 and fulfil nothing. false when `event`
/// is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_is_test(event: *const cashi_event) -> bool {
    read(event, false, |f| f.is_test)
}

/// PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling. false
/// when `event` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_is_settled(event: *const cashi_event) -> bool {
    read(event, false, |f| f.is_settled)
}

/// Its signature was verified; false when read with parse_unverified (a hint: confirm by
/// order id). false when `event` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_is_verified(event: *const cashi_event) -> bool {
    read(event, false, |f| f.is_verified)
}
