/* libcashi against a real sandbox: client options, every API call, every accessor, and
 * every error kind the API can produce (faults armed through the sandbox's controls). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static void pay(const char *order_id, const char *body) {
    char path[256], resp[4096];
    snprintf(path, sizeof path, "orders/%s/pay", order_id);
    int status = sandbox_call("POST", path, body, resp, sizeof resp);
    CHECK(status == 200, "paying %s answered %d: %s", order_id, status, resp);
}

static cashi_order *create(cashi_client *client, int64_t amount, const char *id,
                           const char *channel) {
    cashi_order *order = NULL;
    cashi_error *err = NULL;
    cashi_result rc = cashi_client_create_order(client, amount, id, channel, &order, &err);
    CHECK_RESULT(rc, err, CASHI_RESULT_OK);
    return order;
}

static void test_options_and_client_errors(void) {
    cashi_error *err = NULL;
    cashi_client *client = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    CHECK(opts != NULL, "options");

    /* An empty key, a key with a space, invalid UTF-8. */
    CHECK_RESULT(cashi_client_options_set_api_key(opts, "", &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, &client, &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(client == NULL, "no client on failure");
    cashi_client_options_set_api_key(opts, "CASHI ABC", NULL);
    err = NULL;
    cashi_result rc = cashi_client_new(opts, &client, &err);
    CHECK(err != NULL && strstr(cashi_error_message(err), "ABC") == NULL,
          "the key is never quoted: %s", err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_api_key(opts, "\xff\xfe", &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_api_key(opts, NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_api_key(NULL, "k", &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    cashi_client_options_set_api_key(opts, test_api_key(), NULL);

    /* http:// to a non-loopback host would send the key in clear text. */
    cashi_client_options_set_base_url(opts, "http://cashi.example/api", NULL);
    err = NULL;
    rc = cashi_client_new(opts, &client, &err);
    CHECK(err && strstr(cashi_error_message(err), "base_url") != NULL, "names base_url");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    cashi_client_options_set_base_url(opts, test_base_url(), NULL);

    /* Every duration follows the core's one rule (more than 0, at most a day), checked when
       it is set. */
    err = NULL;
    rc = cashi_client_options_set_timeout_ms(opts, 0, &err);
    CHECK(err && strncmp(cashi_error_message(err), "timeout_ms: ", 12) == 0, "names timeout_ms: %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    rc = cashi_client_options_set_timeout_ms(opts, 86400001, &err);
    CHECK(err && strstr(cashi_error_message(err), "more than a day") != NULL, "a day at most: %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_timeout_ms(opts, 86400000, &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_connect_timeout_ms(opts, 0, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_retry_backoff_ms(opts, 10, 0, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    cashi_client_options_set_timeout_ms(opts, 5000, NULL);
    cashi_client_options_set_connect_timeout_ms(opts, 2000, NULL);
    cashi_client_options_set_max_retries(opts, 11, NULL);
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, &client, &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    cashi_client_options_set_max_retries(opts, 1, NULL);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_binding(opts, "bad name", "1", &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_binding(opts, "cashi-ctest", "9.9", &err), err,
                 CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, NULL, &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, &client, &err), err, CASHI_RESULT_OK);
    CHECK(strncmp(cashi_client_user_agent(client), "cashi-ctest/9.9 cashi-rust/", 27) == 0,
          "user agent %s", cashi_client_user_agent(client));
    CHECK(strcmp(cashi_client_base_url(client), test_base_url()) == 0, "base url %s",
          cashi_client_base_url(client));
    cashi_client_free(client);
    cashi_client_options_free(opts);

    /* No options: the key and base URL come from CASHI_API_KEY / CASHI_BASE_URL. */
    client = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_new(NULL, &client, &err), err, CASHI_RESULT_OK);
    CHECK(client && strncmp(cashi_client_user_agent(client), "cashi-c/", 8) == 0,
          "default binding is cashi-c");
    cashi_client_free(client);

    /* Freeing NULL is harmless; accessors on NULL give NULL/0/false. */
    cashi_client_free(NULL);
    cashi_client_options_free(NULL);
    cashi_order_free(NULL);
    cashi_status_free(NULL);
    cashi_error_free(NULL);
    cashi_string_free(NULL);
    CHECK(cashi_client_base_url(NULL) == NULL, "NULL client");
    CHECK(cashi_order_order_id(NULL) == NULL && cashi_order_amount(NULL) == 0, "NULL order");
    CHECK(cashi_status_status(NULL) == NULL && !cashi_status_is_settled(NULL) &&
              !cashi_status_is_pending(NULL),
          "NULL status");
    CHECK(cashi_order_virtual_account(NULL) == NULL && cashi_virtual_account_va_number(NULL) == NULL &&
              !cashi_virtual_account_has_total_amount(NULL) && cashi_retail_code_payment_code(NULL) == NULL,
          "NULL nested records");
    CHECK(cashi_error_code(NULL) == NULL && cashi_error_http_status(NULL) == 0, "NULL error");
    CHECK(cashi_error_result(NULL) == CASHI_RESULT_OK, "NULL error result");
    CHECK(strcmp(cashi_result_code(CASHI_RESULT_PAYMENT_MISMATCH), "payment_mismatch") == 0,
          "result code text");
    /* test.sh passes the workspace's version (scripts/lib/version.sh). */
    const char *expected = getenv("CASHI_EXPECTED_VERSION");
    CHECK(expected != NULL, "CASHI_EXPECTED_VERSION is not set");
    CHECK(expected != NULL && strcmp(cashi_version(), expected) == 0, "cashi_version() %s, expected %s",
          cashi_version(), expected ? expected : "(unset)");
}

/* cashi_virtual_account_get_fields and cashi_retail_code_get_fields give exactly what each
   accessor gives. */
static void check_nested_fields_match_accessors(const cashi_virtual_account *va,
                                                const cashi_retail_code *r) {
    cashi_virtual_account_fields vf;
    if (va) {
        CHECK(cashi_virtual_account_get_fields(va, &vf), "VA fields");
        CHECK(vf.va_number == cashi_virtual_account_va_number(va) && vf.va_number != NULL &&
                  vf.bank == cashi_virtual_account_bank(va) &&
                  vf.bank_name == cashi_virtual_account_bank_name(va) &&
                  vf.kode_channel == cashi_virtual_account_kode_channel(va) &&
                  vf.has_total_amount == cashi_virtual_account_has_total_amount(va) &&
                  vf.total_amount == cashi_virtual_account_total_amount(va) &&
                  vf.has_admin_fee == cashi_virtual_account_has_admin_fee(va) &&
                  vf.admin_fee == cashi_virtual_account_admin_fee(va),
              "VA fields match the accessors");
    }
    CHECK(!cashi_virtual_account_get_fields(NULL, &vf), "NULL VA refused");
    cashi_retail_code_fields rf;
    if (r) {
        CHECK(cashi_retail_code_get_fields(r, &rf), "retail fields");
        CHECK(rf.payment_code == cashi_retail_code_payment_code(r) && rf.payment_code != NULL &&
                  rf.retail_code == cashi_retail_code_retail_code(r) &&
                  rf.retail_name == cashi_retail_code_retail_name(r),
              "retail fields match the accessors");
    }
    CHECK(!cashi_retail_code_get_fields(NULL, &rf), "NULL retail refused");
}

/* cashi_order_get_fields gives exactly what each accessor gives. */
static void check_fields_match_accessors(const cashi_order *o) {
    cashi_order_fields f;
    CHECK(cashi_order_get_fields(o, &f), "order fields");
    CHECK(f.order_id == cashi_order_order_id(o) && f.amount == cashi_order_amount(o) &&
              f.requested_amount == cashi_order_requested_amount(o) &&
              f.unique_code == cashi_order_unique_code(o) &&
              f.checkout_url == cashi_order_checkout_url(o) && f.qr_url == cashi_order_qr_url(o) &&
              f.expires_at == cashi_order_expires_at(o) && f.provider == cashi_order_provider(o),
          "order fields: ids, amounts, texts");
    CHECK(f.has_fee == cashi_order_has_fee(o) && f.fee == cashi_order_fee(o) &&
              f.has_expected_net == cashi_order_has_expected_net(o) &&
              f.expected_net == cashi_order_expected_net(o) &&
              f.has_is_qris_custom == cashi_order_has_is_qris_custom(o) &&
              f.is_qris_custom == cashi_order_is_qris_custom(o),
          "order fields: optional numbers");
    CHECK(f.virtual_account == cashi_order_virtual_account(o) && f.retail == cashi_order_retail(o),
          "order fields: VA and retail");
    check_nested_fields_match_accessors(f.virtual_account, f.retail);
    CHECK(!cashi_order_get_fields(NULL, &f) && !cashi_order_get_fields(o, NULL), "NULL refused");
}

static void test_create_order_and_accessors(cashi_client *client) {
    char id[128];
    unique_id(id, sizeof id, "C-QRIS");
    cashi_order *order = create(client, 15000, id, NULL);
    if (!order)
        return;
    CHECK(strcmp(cashi_order_order_id(order), id) == 0, "order id %s", cashi_order_order_id(order));
    int64_t amount = cashi_order_amount(order);
    CHECK(amount > 15000 && amount < 15100, "amount %lld", (long long)amount);
    CHECK(cashi_order_requested_amount(order) == 15000, "requested");
    CHECK(cashi_order_unique_code(order) == amount - 15000, "unique code");
    CHECK(cashi_order_checkout_url(order) && strstr(cashi_order_checkout_url(order), id),
          "checkout url");
    CHECK(cashi_order_qr_url(order) &&
              strncmp(cashi_order_qr_url(order), "data:image/png;base64,", 22) == 0,
          "qr url");
    const char *expires = cashi_order_expires_at(order);
    CHECK(expires && strlen(expires) == 25 && strcmp(expires + 19, "+07:00") == 0,
          "expires_at %s", expires ? expires : "(null)");
    CHECK(cashi_order_provider(order) && strcmp(cashi_order_provider(order), "CASHI") == 0,
          "provider");
    CHECK(cashi_order_has_fee(order) && cashi_order_fee(order) > 0.0, "fee");
    CHECK(cashi_order_virtual_account(order) == NULL && cashi_order_retail(order) == NULL,
          "no VA/retail part on QRIS");
    CHECK(!cashi_order_is_qris_custom(order) && !cashi_order_has_is_qris_custom(order),
          "not custom, and Cashi did not say");
    check_fields_match_accessors(order);
    const char *json = cashi_order_to_json(order);
    CHECK(json != NULL, "to_json");
    if (!json)
        json = "";
    CHECK(strstr(json, "\"requested_amount\":15000") && strstr(json, "\"qr_url\":\"data:"),
          "to_json %s", json);
    /* Cashi's answer is not repeated in to_json (its QR data URI would cross twice). */
    CHECK(strstr(json, "\"raw\"") == NULL && strstr(json, "\"success\"") == NULL,
          "to_json without raw %s", json);
    CHECK(cashi_order_to_json(order) == json, "to_json is cached on the handle");
    const char *raw = cashi_order_raw_json(order);
    CHECK(raw && raw[0] == '{' && strstr(raw, "\"success\":true") && strstr(raw, "\"qrUrl\":\"data:"),
          "raw %s", raw);
    CHECK(cashi_order_raw_json(order) == raw, "raw_json is cached on the handle");

    const uint8_t *png = NULL;
    size_t len = 0;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_order_qr_png(order, &png, &len, &err), err, CASHI_RESULT_OK);
    CHECK(png && len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0, "png bytes");
    err = NULL;
    CHECK_RESULT(cashi_order_qr_png(order, NULL, &len, &err), err, CASHI_RESULT_INVALID_ARGUMENT);

    /* The same id again is a conflict (HTTP 409). */
    cashi_order *again = NULL;
    err = NULL;
    cashi_result rc = cashi_client_create_order(client, 15000, id, NULL, &again, &err);
    CHECK(cashi_error_http_status(err) == 409, "409, got %u", cashi_error_http_status(err));
    CHECK_RESULT(rc, err, CASHI_RESULT_CONFLICT);
    CHECK(again == NULL, "no order on failure");
    cashi_order_free(order);

    /* No order id: Cashi picks one. */
    order = create(client, 2000, NULL, NULL);
    CHECK(order && strlen(cashi_order_order_id(order)) > 0, "generated id");
    cashi_order_free(order);

    /* A virtual account and a retail code carry their own fields and no QR. */
    unique_id(id, sizeof id, "C-VA");
    order = create(client, 50000, id, "BCA");
    if (order) {
        const cashi_virtual_account *va = cashi_order_virtual_account(order);
        CHECK(va != NULL && cashi_order_retail(order) == NULL, "a VA part, no retail part");
        CHECK(cashi_virtual_account_va_number(va) != NULL, "va number");
        CHECK(cashi_virtual_account_bank(va) && strcmp(cashi_virtual_account_bank(va), "BCA") == 0,
              "bank");
        CHECK(cashi_virtual_account_bank_name(va) != NULL, "bank name");
        CHECK(cashi_virtual_account_kode_channel(va) != NULL, "kode_channel");
        CHECK(cashi_virtual_account_has_total_amount(va) &&
                  cashi_virtual_account_total_amount(va) >= 50000,
              "total");
        CHECK(cashi_virtual_account_has_admin_fee(va) && cashi_virtual_account_admin_fee(va) > 0,
              "admin fee");
        CHECK(cashi_order_virtual_account(order) == va, "the same part every time");
        CHECK(cashi_order_has_expected_net(order), "expected net");
        CHECK(strstr(cashi_order_to_json(order), "\"virtual_account\":{") != NULL, "json va");
        check_fields_match_accessors(order);
        if (cashi_order_qr_url(order) == NULL) {
            err = NULL;
            CHECK_RESULT(cashi_order_qr_png(order, &png, &len, &err), err, CASHI_RESULT_DECODE);
            CHECK(png == NULL && len == 0, "cleared on failure");
        }
        cashi_order_free(order);
    }
    unique_id(id, sizeof id, "C-RETAIL");
    order = create(client, 20000, id, "ALFAMART");
    if (order) {
        const cashi_retail_code *r = cashi_order_retail(order);
        CHECK(r != NULL && cashi_order_virtual_account(order) == NULL, "a retail part, no VA part");
        CHECK(cashi_retail_code_payment_code(r) != NULL, "payment code");
        CHECK(cashi_retail_code_retail_name(r) != NULL, "retail name");
        CHECK(cashi_retail_code_retail_code(r) != NULL, "retail code");
        check_fields_match_accessors(order);
        cashi_order_free(order);
    }
    unique_id(id, sizeof id, "C-CUSTOM");
    order = create(client, 50000, id, "QRIS_CUSTOM");
    if (order) {
        CHECK(cashi_order_has_is_qris_custom(order) && cashi_order_is_qris_custom(order), "custom");
        CHECK(cashi_order_has_expected_net(order) && cashi_order_expected_net(order) < 50100,
              "expected net");
        cashi_order_free(order);
    }
}

static void test_invalid_arguments(cashi_client *client) {
    cashi_order *order = NULL;
    cashi_status *status = NULL;
    cashi_error *err = NULL;
    cashi_result rc = cashi_client_create_order(client, 1999, NULL, NULL, &order, &err);
    CHECK(err && strncmp(cashi_error_message(err), "amount:", 7) == 0, "names the amount");
    CHECK(cashi_error_http_status(err) == 0, "no HTTP status before sending");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 5000, NULL, "BCA", &order, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, "A\nB", NULL, &order, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, "\xc3\x28", NULL, &order, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, "X", "\xff", &order, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(NULL, 15000, NULL, NULL, &order, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, NULL, NULL, NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    /* err may be NULL: the result code alone still says what happened. */
    CHECK(cashi_client_create_order(client, 0, NULL, NULL, &order, NULL) ==
              CASHI_RESULT_INVALID_ARGUMENT,
          "err may be NULL");
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, NULL, &status, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, "", &status, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, NULL, 10, &status, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_confirm(client, "X", 0, NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_confirm_event(client, NULL, 100, NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(order == NULL && status == NULL, "outputs stay NULL");
}

static void test_status_confirm_wait(cashi_client *client) {
    char id[128];
    unique_id(id, sizeof id, "C-PAY");
    cashi_order *order = create(client, 25000, id, NULL);
    if (!order)
        return;
    int64_t amount = cashi_order_amount(order);
    cashi_status *status = NULL;
    cashi_error *err = NULL;

    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_OK);
    CHECK(strcmp(cashi_status_status(status), "PENDING") == 0, "pending: %s",
          cashi_status_status(status));
    CHECK(!cashi_status_is_settled(status) && !cashi_status_is_final(status) &&
              cashi_status_is_pending(status) && !cashi_status_is_expired(status),
          "pending, not settled");
    CHECK(cashi_status_has_amount(status) && cashi_status_amount(status) == amount, "amount");
    CHECK(strcmp(cashi_status_order_id(status), id) == 0, "status order id");
    CHECK(cashi_status_provider_tx_id(status) == NULL, "no tx id yet");
    cashi_status_fields sf;
    CHECK(cashi_status_get_fields(status, &sf) && sf.status == cashi_status_status(status) &&
              sf.has_amount && sf.amount == amount && sf.order_id == cashi_status_order_id(status) &&
              sf.provider_tx_id == NULL && !sf.is_settled && !sf.is_final && sf.is_pending &&
              !sf.is_expired,
          "status fields");
    CHECK(!cashi_status_get_fields(NULL, &sf) && !cashi_status_get_fields(status, NULL),
          "NULL status refused");
    cashi_status_free(status);
    status = NULL;

    /* Not paid yet: confirm refuses, with the details. */
    err = NULL;
    cashi_result rc = cashi_client_confirm(client, id, amount, &status, &err);
    const char *json = cashi_error_to_json(err);
    CHECK(json && strstr(json, "\"mismatch\":{") && strstr(json, "\"status\":\"PENDING\""),
          "mismatch json %s", json ? json : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_PAYMENT_MISMATCH);
    CHECK(status == NULL, "no status on mismatch");

    /* Waiting for an unpaid order runs into its deadline. */
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, id, 1200, &status, &err), err,
                 CASHI_RESULT_TIMEOUT);

    pay(id, NULL);
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_OK);
    CHECK(cashi_status_is_settled(status) && cashi_status_is_final(status), "settled");
    CHECK(strcmp(cashi_status_status(status), "SETTLED") == 0 && !cashi_status_is_pending(status),
          "SETTLED");
    CHECK(cashi_status_provider_tx_id(status) != NULL, "tx id once settled");
    CHECK(strstr(cashi_status_to_json(status), "\"is_settled\":true") != NULL, "json");
    CHECK(strstr(cashi_status_to_json(status), "\"raw\"") == NULL, "json without raw");
    CHECK(strstr(cashi_status_raw_json(status), "\"success\":true") != NULL, "raw");
    cashi_status_free(status);
    status = NULL;

    err = NULL;
    CHECK_RESULT(cashi_client_confirm(client, id, amount, &status, &err), err, CASHI_RESULT_OK);
    CHECK(status && cashi_status_amount(status) == amount, "confirmed status");
    cashi_status_free(status);
    status = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_confirm(client, id, amount, NULL, &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_confirm(client, id, amount + 1, NULL, &err), err,
                 CASHI_RESULT_PAYMENT_MISMATCH);
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, id, 10000, &status, &err), err,
                 CASHI_RESULT_OK);
    CHECK(status && cashi_status_is_settled(status), "wait returns the settled status");
    cashi_status_free(status);
    status = NULL;
    /* 0 waits the SDK's default (10 minutes): a settled order ends it at once. */
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, id, 0, &status, &err), err,
                 CASHI_RESULT_OK);
    CHECK(status && cashi_status_is_settled(status), "the default wait");
    cashi_status_free(status);
    status = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, id, 86400001, &status, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);

    /* Confirm by a verified webhook event. */
    cashi_webhook *wh = NULL;
    char *body = NULL, *sig = NULL;
    cashi_event *event = NULL;
    err = NULL;
    CHECK_RESULT(cashi_webhook_new("sk_ctest", &wh, &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_testing_webhook_body(id, amount, &body, &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_testing_sign("sk_ctest", body, strlen(body), &sig, &err), err,
                 CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_webhook_verify(wh, body, strlen(body), sig, &event, &err), err,
                 CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_confirm_event(client, event, cashi_event_amount(event), &status,
                                            &err),
                 err, CASHI_RESULT_OK);
    cashi_status_free(status);
    status = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_confirm_event(client, event, 2000, NULL, &err), err,
                 CASHI_RESULT_PAYMENT_MISMATCH);

    /* A SETTLED answer without an amount: the order id alone proves nothing, and says so;
     * the verified event's signed amount vouches for it, and the status says that. */
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\",\"remove\":[\"amount\"]}");
    err = NULL;
    rc = cashi_client_confirm(client, id, amount, NULL, &err);
    CHECK(err && strstr(cashi_error_message(err), "carried no amount"), "no-amount message %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_PAYMENT_MISMATCH);
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\",\"remove\":[\"amount\"]}");
    err = NULL;
    CHECK_RESULT(cashi_client_confirm_event(client, event, amount, &status, &err), err,
                 CASHI_RESULT_OK);
    CHECK(status && cashi_status_amount_from_webhook(status) && cashi_status_amount(status) == amount,
          "confirmed on the event's signed amount");
    CHECK(status && cashi_status_get_fields(status, &sf) && sf.amount_from_webhook && sf.has_amount,
          "fields say where the amount came from");
    CHECK(status && strstr(cashi_status_to_json(status), "\"amount_from_webhook\":true"), "json %s",
          status ? cashi_status_to_json(status) : "");
    cashi_status_free(status);
    status = NULL;
    CHECK(!cashi_status_amount_from_webhook(NULL), "NULL is false");
    /* An unverified event (no signature) lends only its order id: its amount vouches for
     * nothing, so the same answer is a mismatch; with Cashi's amount it confirms. */
    cashi_event *hint = NULL;
    err = NULL;
    CHECK_RESULT(cashi_webhook_parse_unverified(body, strlen(body), &hint, &err), err,
                 CASHI_RESULT_OK);
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\",\"remove\":[\"amount\"]}");
    err = NULL;
    rc = cashi_client_confirm_event(client, hint, amount, NULL, &err);
    CHECK(err && strstr(cashi_error_message(err), "without a signature"), "unverified message %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_PAYMENT_MISMATCH);
    err = NULL;
    CHECK_RESULT(cashi_client_confirm_event(client, hint, amount, NULL, &err), err,
                 CASHI_RESULT_OK);
    cashi_event_free(hint);

    /* An answer about another order, or a status word in another case, proves nothing. */
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\",\"set\":{\"order_id\":\"OTHER\"}}");
    err = NULL;
    CHECK_RESULT(cashi_client_confirm_event(client, event, amount, NULL, &err), err,
                 CASHI_RESULT_PAYMENT_MISMATCH);
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\",\"set\":{\"order_id\":\"OTHER\"}}");
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, id, 10000, &status, &err), err,
                 CASHI_RESULT_PAYMENT_MISMATCH);
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\",\"set\":{\"status\":\"settled\"}}");
    err = NULL;
    CHECK_RESULT(cashi_client_confirm(client, id, amount, NULL, &err), err,
                 CASHI_RESULT_PAYMENT_MISMATCH);
    clear_faults();
    cashi_event_free(event);
    cashi_string_free(body);
    cashi_string_free(sig);
    cashi_webhook_free(wh);
    cashi_order_free(order);

    /* Paid with another amount: confirm with the stored amount refuses. */
    unique_id(id, sizeof id, "C-WRONG");
    order = create(client, 30000, id, NULL);
    if (order) {
        pay(id, "{\"amount\":2500}");
        err = NULL;
        CHECK_RESULT(cashi_client_confirm(client, id, cashi_order_amount(order), NULL, &err),
                     err, CASHI_RESULT_PAYMENT_MISMATCH);
        cashi_order_free(order);
    }

    /* An expired order ends the wait with EXPIRED. */
    unique_id(id, sizeof id, "C-EXP");
    order = create(client, 15000, id, NULL);
    if (order) {
        char path[256];
        snprintf(path, sizeof path, "orders/%s/expire", id);
        CHECK(sandbox_call("POST", path, "", NULL, 0) == 200, "expire");
        err = NULL;
        CHECK_RESULT(cashi_client_wait_for_payment(client, id, 10000, &status, &err), err,
                     CASHI_RESULT_OK);
        CHECK(status && strcmp(cashi_status_status(status), "EXPIRED") == 0 &&
                  cashi_status_is_expired(status) &&
                  cashi_status_is_final(status) && !cashi_status_is_settled(status),
              "expired");
        cashi_status_free(status);
        status = NULL;
        cashi_order_free(order);
    }

    /* Unknown order: not_found, HTTP 404. */
    err = NULL;
    rc = cashi_client_check_status(client, "NO-SUCH-ORDER-C", &status, &err);
    CHECK(cashi_error_http_status(err) == 404, "404");
    CHECK_RESULT(rc, err, CASHI_RESULT_NOT_FOUND);
    err = NULL;
    CHECK_RESULT(cashi_client_wait_for_payment(client, "NO-SUCH-ORDER-C", 5000, &status, &err),
                 err, CASHI_RESULT_NOT_FOUND);
}

static void test_error_kinds(void) {
    cashi_error *err = NULL;
    cashi_status *status = NULL;
    cashi_order *order = NULL;
    cashi_result rc;

    /* A wrong key. */
    cashi_client_options *opts = cashi_client_options_new();
    cashi_client *bad = NULL;
    cashi_client_options_set_api_key(opts, "CASHI-WRONGKEY00", NULL);
    cashi_client_options_set_base_url(opts, test_base_url(), NULL);
    CHECK(cashi_client_new(opts, &bad, NULL) == CASHI_RESULT_OK, "client");
    rc = cashi_client_create_order(bad, 15000, NULL, NULL, &order, &err);
    CHECK(cashi_error_http_status(err) == 401, "401");
    CHECK(err && strstr(cashi_error_message(err), "WRONGKEY") == NULL, "key not echoed");
    CHECK_RESULT(rc, err, CASHI_RESULT_AUTHENTICATION);
    cashi_client_free(bad);

    /* Nothing listens on port 1. */
    bad = NULL;
    cashi_client_options_set_base_url(opts, "http://127.0.0.1:1/api", NULL);
    cashi_client_options_set_max_retries(opts, 0, NULL);
    CHECK(cashi_client_new(opts, &bad, NULL) == CASHI_RESULT_OK, "client");
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(bad, "X", &status, &err), err,
                 CASHI_RESULT_CONNECTION);
    cashi_client_free(bad);
    cashi_client_options_free(opts);

    cashi_client *client = test_client(1, 1500);
    clear_faults();
    arm_fault("{\"kind\":\"rate_limit\",\"count\":2,\"path\":\"check-status\",\"retry_after\":0}");
    err = NULL;
    rc = cashi_client_check_status(client, "X", &status, &err);
    CHECK(cashi_error_http_status(err) == 429, "429");
    CHECK_RESULT(rc, err, CASHI_RESULT_RATE_LIMITED);
    clear_faults();

    arm_fault("{\"kind\":\"error\",\"count\":2,\"path\":\"check-status\",\"status\":503}");
    err = NULL;
    rc = cashi_client_check_status(client, "X", &status, &err);
    CHECK(cashi_error_http_status(err) == 503, "503");
    CHECK_RESULT(rc, err, CASHI_RESULT_SERVER);
    clear_faults();

    /* One 502, then the retry succeeds (and reaches the real answer: not_found). */
    arm_fault("{\"kind\":\"error\",\"count\":1,\"path\":\"check-status\",\"status\":502}");
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, "X", &status, &err), err,
                 CASHI_RESULT_NOT_FOUND);
    clear_faults();

    char id[128];
    unique_id(id, sizeof id, "C-FAULT");
    order = create(client, 15000, id, NULL);
    cashi_order_free(order);

    arm_fault("{\"kind\":\"truncate\",\"count\":2,\"path\":\"check-status\"}");
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_DECODE);
    clear_faults();

    arm_fault("{\"kind\":\"patch\",\"count\":2,\"path\":\"check-status\","
        "\"set\":{\"success\":false,\"message\":\"x\"}}");
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_API);
    clear_faults();

    /* A text of an answer holding U+0000 is refused as decode, naming the field. */
    arm_fault("{\"kind\":\"patch\",\"path\":\"check-status\","
              "\"set\":{\"provider_tx_id\":\"1\\u00002\"}}");
    err = NULL;
    rc = cashi_client_check_status(client, id, &status, &err);
    CHECK(err && strstr(cashi_error_message(err), "provider_tx_id") != NULL, "names the field: %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_DECODE);
    arm_fault("{\"kind\":\"patch\",\"path\":\"create-order\","
              "\"set\":{\"orderId\":\"A\\u0000B\"}}");
    cashi_order *refused = NULL;
    err = NULL;
    rc = cashi_client_create_order(client, 15000, NULL, "BCA", &refused, &err);
    CHECK(err && strstr(cashi_error_message(err), "order_id") != NULL, "names the field: %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_DECODE);
    CHECK(refused == NULL && status == NULL, "no result");
    clear_faults();

    arm_fault("{\"kind\":\"drop\",\"count\":2,\"path\":\"check-status\"}");
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err,
                 CASHI_RESULT_CONNECTION);
    clear_faults();

    arm_fault("{\"kind\":\"latency\",\"count\":2,\"path\":\"check-status\",\"latency_ms\":4000}");
    err = NULL;
    rc = cashi_client_check_status(client, id, &status, &err);
    CHECK(err && strstr(cashi_error_message(err), "did not answer") != NULL, "timeout message");
    CHECK_RESULT(rc, err, CASHI_RESULT_TIMEOUT);
    clear_faults();
    CHECK(status == NULL, "no status from failures");

    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_OK);
    cashi_status_free(status);
    cashi_client_free(client);
}

/* Fields the SDK does not model reach Cashi as given; a key the SDK sets, a non-object or
 * text that is not JSON is refused before sending. */
static void test_extra_fields(cashi_client *client) {
    const char *extra =
        "{\"callback_url\":\"https://shop.example/cashi\",\"customer\":{\"name\":\"Ani\",\"tags\":[1,null]}}";
    char id[64], path[128], resp[8192];
    unique_id(id, sizeof id, "C-EXTRA");
    cashi_order *order = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_create_order_extra(client, 15000, id, NULL, extra, &order, &err),
                 err, CASHI_RESULT_OK);
    CHECK(order && cashi_order_requested_amount(order) == 15000, "the order");
    cashi_order_free(order);
    snprintf(path, sizeof path, "orders/%s", id);
    int status = sandbox_call("GET", path, NULL, resp, sizeof resp);
    CHECK(status == 200, "GET %s answered %d", path, status);
    char want[512];
    snprintf(want, sizeof want, "\"request_extra\":%s", extra);
    CHECK(strstr(resp, want) != NULL, "the sandbox received %s: %s", extra, resp);
    /* NULL extra: nothing more is sent. */
    unique_id(id, sizeof id, "C-PLAIN");
    order = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_create_order_extra(client, 15000, id, NULL, NULL, &order, &err),
                 err, CASHI_RESULT_OK);
    cashi_order_free(order);
    snprintf(path, sizeof path, "orders/%s", id);
    sandbox_call("GET", path, NULL, resp, sizeof resp);
    CHECK(strstr(resp, "request_extra") == NULL, "no extra: %s", resp);
    const char *refused[][2] = {
        {"{\"note\":\"x\",\"amount\":1}", "\"amount\""},
        {"{\"order_id\":\"Y\"}", "\"order_id\""},
        {"{\"kode_channel\":\"BCA\"}", "\"kode_channel\""},
        {"{\"QRIS_CUSTOM\":true}", "\"QRIS_CUSTOM\""},
        {"[1,2]", "must be an object"},
        {"{\"a\":", "is not valid JSON"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        order = NULL;
        err = NULL;
        cashi_result rc =
            cashi_client_create_order_extra(client, 15000, NULL, NULL, refused[i][0], &order, &err);
        CHECK(err && strncmp(cashi_error_message(err), "extra: ", 7) == 0 &&
                  strstr(cashi_error_message(err), refused[i][1]) != NULL,
              "%s: %s", refused[i][0], err ? cashi_error_message(err) : "(no error)");
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
        CHECK(order == NULL, "no order for %s", refused[i][0]);
    }
}

/* The core's rules exported for bindings that take numbers in their own units (PHP). */
static void test_rules(void) {
    int64_t amount = 7;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_amount_from_double(15000.0, NULL, &amount, &err), err, CASHI_RESULT_OK);
    CHECK(amount == 15000, "15000.0 is 15000 rupiah");
    const double bad_amounts[] = {15000.5, NAN, INFINITY, 1e300};
    for (size_t i = 0; i < sizeof bad_amounts / sizeof *bad_amounts; i++) {
        amount = 7;
        err = NULL;
        cashi_result rc = cashi_amount_from_double(bad_amounts[i], "requests[1].amount", &amount, &err);
        CHECK(err && strncmp(cashi_error_message(err), "requests[1].amount: ", 20) == 0,
              "names the field: %s", err ? cashi_error_message(err) : "");
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
        CHECK(amount == 7, "untouched on failure");
    }
    err = NULL;
    CHECK_RESULT(cashi_amount_from_double(1.0, NULL, NULL, &err), err, CASHI_RESULT_INVALID_ARGUMENT);

    uint64_t ms = 0;
    err = NULL;
    CHECK_RESULT(cashi_milliseconds_from_seconds(2.5, "timeout", &ms, &err), err, CASHI_RESULT_OK);
    CHECK(ms == 2500, "2.5 s is 2500 ms, got %llu", (unsigned long long)ms);
    err = NULL;
    CHECK_RESULT(cashi_milliseconds_from_seconds(0.0001, NULL, &ms, &err), err, CASHI_RESULT_OK);
    CHECK(ms == 1, "a part of a millisecond counts as one, got %llu", (unsigned long long)ms);
    const double bad_seconds[] = {0.0, -1.0, 86400.5, NAN};
    for (size_t i = 0; i < sizeof bad_seconds / sizeof *bad_seconds; i++) {
        err = NULL;
        cashi_result rc = cashi_milliseconds_from_seconds(bad_seconds[i], "connect_timeout", &ms, &err);
        CHECK(err && strncmp(cashi_error_message(err), "connect_timeout: ", 17) == 0,
              "names the field: %s", err ? cashi_error_message(err) : "");
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    }
}

int main(void) {
    test_rules();
    test_options_and_client_errors();
    cashi_client *client = test_client(2, 10000);
    test_create_order_and_accessors(client);
    test_invalid_arguments(client);
    test_extra_fields(client);
    test_status_confirm_wait(client);
    cashi_client_free(client);
    test_error_kinds();
    return test_finish("test_api");
}
