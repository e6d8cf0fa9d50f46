/* Webhook verification through libcashi: one and several secrets, signature forms,
 * header lookup, the event accessors, payload errors, and test signing. No network. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define SECRET "sk_0123456789abcdef0123456789abcdef"
#define BODY                                                                       \
    "{\"event\":\"PAYMENT_SETTLED\",\"data\":{\"order_id\":\"INV-9921\",\"status\":" \
    "\"SETTLED\",\"amount\":15023}}"
#define SIG "ad50de7daeda7c4c7e915d914d1ccaf7353ad09b411c7c81a8431303fed245da"

static cashi_result verify(const cashi_webhook *wh, const char *body, size_t len,
                           const char *sig, cashi_event **event, cashi_result want) {
    cashi_error *err = NULL;
    cashi_result rc = cashi_webhook_verify(wh, body, len, sig, event, &err);
    CHECK_RESULT(rc, err, want);
    return rc;
}

static void test_verify(void) {
    cashi_webhook *wh = NULL;
    cashi_error *err = NULL;
    cashi_event *event = NULL;
    CHECK_RESULT(cashi_webhook_new(SECRET, &wh, &err), err, CASHI_RESULT_OK);

    verify(wh, BODY, strlen(BODY), SIG, &event, CASHI_RESULT_OK);
    if (event) {
        CHECK(strcmp(cashi_event_event(event), "PAYMENT_SETTLED") == 0, "name");
        CHECK(strcmp(cashi_event_order_id(event), "INV-9921") == 0, "order id");
        CHECK(strcmp(cashi_event_status(event), "SETTLED") == 0, "status");
        CHECK(cashi_event_amount(event) == 15023, "amount");
        CHECK(cashi_event_is_settled(event) && !cashi_event_is_test(event), "settled, not test");
        cashi_event_fields f;
        CHECK(cashi_event_get_fields(event, &f), "fields");
        CHECK(f.event == cashi_event_event(event) && f.order_id == cashi_event_order_id(event) &&
                  f.status == cashi_event_status(event) && f.amount == 15023 &&
                  f.payment_method == NULL && f.paid_at == NULL && f.paid_at_time == NULL &&
                  f.transaction_id == NULL &&
                  f.is_settled && !f.is_test && f.is_verified,
              "fields are the accessors' values");
        CHECK(cashi_event_is_verified(event), "verified");
        CHECK(!cashi_event_get_fields(NULL, &f) && !cashi_event_get_fields(event, NULL), "NULL refused");
        CHECK(cashi_event_payment_method(event) == NULL && cashi_event_paid_at(event) == NULL &&
                  cashi_event_paid_at_time(event) == NULL &&
                  cashi_event_transaction_id(event) == NULL,
              "optional fields absent");
        /* The body re-encoded compactly, in Cashi's key order: for fields newer than this library. */
        CHECK(strcmp(cashi_event_raw_json(event),
                     "{\"event\":\"PAYMENT_SETTLED\",\"data\":{\"order_id\":\"INV-9921\","
                     "\"status\":\"SETTLED\",\"amount\":15023}}") == 0,
              "raw %s", cashi_event_raw_json(event));
        const char *json = cashi_event_to_json(event);
        CHECK(strstr(json, "\"is_test\":false") && strstr(json, "\"amount\":15023"), "json %s",
              json);
        CHECK(strstr(json, "\"raw\"") == NULL, "the JSON view leaves raw out: %s", json);
        cashi_event_free(event);
        event = NULL;
    }
    /* paid_at as sent (Jakarta wall time), and as an instant in RFC 3339. */
    const char *paid = "{\"event\":\"PAYMENT_SETTLED\",\"data\":{\"order_id\":\"INV-9921\","
                       "\"status\":\"SETTLED\",\"amount\":15023,\"payment_method\":\"QRIS\","
                       "\"paid_at\":\"2025-03-01 10:20:30\",\"transaction_id\":\"TX-1\"}}";
    char *paid_sig = NULL;
    CHECK_RESULT(cashi_testing_sign(SECRET, paid, strlen(paid), &paid_sig, &err), err,
                 CASHI_RESULT_OK);
    verify(wh, paid, strlen(paid), paid_sig, &event, CASHI_RESULT_OK);
    if (event) {
        CHECK(strcmp(cashi_event_paid_at(event), "2025-03-01 10:20:30") == 0, "paid_at as sent");
        CHECK(strcmp(cashi_event_paid_at_time(event), "2025-03-01T10:20:30+07:00") == 0,
              "paid_at_time %s", cashi_event_paid_at_time(event));
        CHECK(strcmp(cashi_event_payment_method(event), "QRIS") == 0 &&
                  strcmp(cashi_event_transaction_id(event), "TX-1") == 0,
              "payment method, transaction id");
        cashi_event_free(event);
        event = NULL;
    }
    cashi_string_free(paid_sig);
    err = NULL;

    /* Signature forms Cashi (or a proxy) may produce. */
    verify(wh, BODY, strlen(BODY), "sha256=" SIG, &event, CASHI_RESULT_OK);
    cashi_event_free(event);
    event = NULL;
    verify(wh, BODY, strlen(BODY), "  " SIG "\n", &event, CASHI_RESULT_OK);
    cashi_event_free(event);
    event = NULL;

    /* Tampered, re-encoded, truncated, empty. */
    char tampered[] = BODY;
    tampered[strlen(tampered) - 4] = '4';
    verify(wh, tampered, strlen(tampered), SIG, &event, CASHI_RESULT_SIGNATURE_INVALID);
    verify(wh, BODY, strlen(BODY) - 1, SIG, &event, CASHI_RESULT_SIGNATURE_INVALID);
    verify(wh, BODY, strlen(BODY), "", &event, CASHI_RESULT_SIGNATURE_INVALID);
    verify(wh, BODY, strlen(BODY), "abc", &event, CASHI_RESULT_SIGNATURE_INVALID);
    CHECK(event == NULL, "no event on failure");

    /* NULL and invalid UTF-8 arguments are invalid_argument, never a crash. */
    verify(wh, NULL, 5, SIG, &event, CASHI_RESULT_INVALID_ARGUMENT);
    verify(wh, BODY, strlen(BODY), NULL, &event, CASHI_RESULT_INVALID_ARGUMENT);
    verify(wh, BODY, strlen(BODY), "\xff" SIG, &event, CASHI_RESULT_INVALID_ARGUMENT);
    verify(NULL, BODY, strlen(BODY), SIG, &event, CASHI_RESULT_INVALID_ARGUMENT);
    verify(wh, BODY, strlen(BODY), SIG, NULL, CASHI_RESULT_INVALID_ARGUMENT);
    /* An empty body with NULL is allowed, and is signed but not an event. */
    char *sig = NULL;
    err = NULL;
    CHECK_RESULT(cashi_testing_sign(SECRET, NULL, 0, &sig, &err), err, CASHI_RESULT_OK);
    verify(wh, NULL, 0, sig, &event, CASHI_RESULT_WEBHOOK_PAYLOAD);
    cashi_string_free(sig);

    /* Signed bodies that are not Cashi events; embedded NUL bytes reach the parser. */
    const char nul_body[] = "{\"event\":\"X\"}\0trailing";
    size_t nul_len = sizeof nul_body - 1;
    sig = NULL;
    cashi_testing_sign(SECRET, nul_body, nul_len, &sig, NULL);
    verify(wh, nul_body, strlen(nul_body), sig, &event, CASHI_RESULT_SIGNATURE_INVALID);
    err = NULL;
    cashi_result rc = cashi_webhook_verify(wh, nul_body, nul_len, sig, &event, &err);
    CHECK(err && strstr(cashi_error_message(err), "body") != NULL, "names the body");
    CHECK_RESULT(rc, err, CASHI_RESULT_WEBHOOK_PAYLOAD);
    cashi_string_free(sig);

    const char *missing_amount =
        "{\"event\":\"PAYMENT_SETTLED\",\"data\":{\"order_id\":\"A\",\"status\":\"SETTLED\"}}";
    sig = NULL;
    cashi_testing_sign(SECRET, missing_amount, strlen(missing_amount), &sig, NULL);
    err = NULL;
    rc = cashi_webhook_verify(wh, missing_amount, strlen(missing_amount), sig, &event, &err);
    CHECK(err && strstr(cashi_error_message(err), "data.amount") != NULL, "names data.amount");
    CHECK_RESULT(rc, err, CASHI_RESULT_WEBHOOK_PAYLOAD);
    cashi_string_free(sig);

    /* Headers: found in any letter case; missing means unsigned. */
    const char *headers = "Content-Type: application/json\r\nX-Gateway-Signature: " SIG "\r\n";
    err = NULL;
    CHECK_RESULT(cashi_webhook_verify_headers(wh, BODY, strlen(BODY), headers, strlen(headers),
                                              &event, &err),
                 err, CASHI_RESULT_OK);
    cashi_event_free(event);
    event = NULL;
    const char *no_sig = "Content-Type: application/json\n";
    err = NULL;
    rc = cashi_webhook_verify_headers(wh, BODY, strlen(BODY), no_sig, strlen(no_sig), &event,
                                      &err);
    CHECK(err && strstr(cashi_error_message(err), "x-gateway-signature") != NULL, "says which");
    CHECK_RESULT(rc, err, CASHI_RESULT_SIGNATURE_INVALID);
    err = NULL;
    CHECK_RESULT(cashi_webhook_verify_headers(wh, BODY, strlen(BODY), NULL, 0, &event, &err), err,
                 CASHI_RESULT_SIGNATURE_INVALID);
    cashi_webhook_free(wh);

    /* Whether a request is signed, by the same rule (for handlers allowing unsigned ones). */
    bool signed_ = false;
    const char *cgi = "REQUEST_METHOD: POST\nHTTP_X_GATEWAY_SIGNATURE: " SIG "\n";
    CHECK_RESULT(cashi_headers_signed(headers, strlen(headers), &signed_, NULL), NULL,
                 CASHI_RESULT_OK);
    CHECK(signed_, "the header in another case is found");
    CHECK_RESULT(cashi_headers_signed(cgi, strlen(cgi), &signed_, NULL), NULL, CASHI_RESULT_OK);
    CHECK(signed_, "CGI's spelling is found");
    CHECK_RESULT(cashi_headers_signed(no_sig, strlen(no_sig), &signed_, NULL), NULL,
                 CASHI_RESULT_OK);
    CHECK(!signed_, "no signature header: unsigned");
    err = NULL;
    CHECK_RESULT(cashi_headers_signed("a\0b", 3, &signed_, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
}

static void test_secrets(void) {
    cashi_webhook *wh = NULL;
    cashi_error *err = NULL;
    cashi_event *event = NULL;
    CHECK_RESULT(cashi_webhook_new("", &wh, &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_new(NULL, &wh, &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_new(SECRET, NULL, &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_new_with_secrets(NULL, 0, &wh, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_new_with_secrets(NULL, 2, &wh, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    const char *with_null[] = {"sk_new", NULL};
    err = NULL;
    CHECK_RESULT(cashi_webhook_new_with_secrets(with_null, 2, &wh, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(wh == NULL, "no verifier on failure");

    const char *rotation[] = {"sk_new", SECRET};
    err = NULL;
    CHECK_RESULT(cashi_webhook_new_with_secrets(rotation, 2, &wh, &err), err, CASHI_RESULT_OK);
    verify(wh, BODY, strlen(BODY), SIG, &event, CASHI_RESULT_OK);
    cashi_event_free(event);
    event = NULL;
    cashi_webhook_free(wh);
    wh = NULL;

    /* add_secret: how PHP builds a rotation without an array of C strings. */
    cashi_webhook_new("sk_new", &wh, NULL);
    verify(wh, BODY, strlen(BODY), SIG, &event, CASHI_RESULT_SIGNATURE_INVALID);
    err = NULL;
    CHECK_RESULT(cashi_webhook_add_secret(wh, "", &err), err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_add_secret(wh, SECRET, &err), err, CASHI_RESULT_OK);
    verify(wh, BODY, strlen(BODY), SIG, &event, CASHI_RESULT_OK);
    cashi_event_free(event);
    cashi_webhook_free(wh);
    cashi_webhook_free(NULL);
    cashi_event_free(NULL);
    CHECK(cashi_event_order_id(NULL) == NULL && cashi_event_amount(NULL) == 0, "NULL event");
}

static void test_signing(void) {
    char *sig = NULL;
    char *body = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_testing_sign(SECRET, BODY, strlen(BODY), &sig, &err), err,
                 CASHI_RESULT_OK);
    CHECK(sig && strcmp(sig, SIG) == 0, "known answer: %s", sig ? sig : "(null)");
    cashi_string_free(sig);
    err = NULL;
    CHECK_RESULT(cashi_testing_sign("", BODY, strlen(BODY), &sig, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_testing_sign(SECRET, BODY, strlen(BODY), NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_testing_webhook_body("TEST-abc", 15023, &body, &err), err,
                 CASHI_RESULT_OK);
    CHECK(body && strstr(body, "\"order_id\":\"TEST-abc\"") && !strchr(body, ' '),
          "compact body %s", body ? body : "");
    cashi_webhook *wh = NULL;
    cashi_event *event = NULL;
    cashi_webhook_new(SECRET, &wh, NULL);
    sig = NULL;
    cashi_testing_sign(SECRET, body, strlen(body), &sig, NULL);
    verify(wh, body, strlen(body), sig, &event, CASHI_RESULT_OK);
    CHECK(event && cashi_event_is_test(event), "TEST- order is a test webhook");
    cashi_event_free(event);
    cashi_webhook_free(wh);
    cashi_string_free(sig);
    cashi_string_free(body);
}

/* A text of the event holding U+0000 would end early as a C string: the id shown would not
 * be the id confirmed. It is refused, naming the field, not cut short. */
static void test_nul_in_texts_is_refused(void) {
    cashi_webhook *wh = NULL;
    cashi_webhook_new(SECRET, &wh, NULL);
    const char *bodies[][2] = {
        {"{\"event\":\"PAYMENT_SETTLED\",\"data\":{\"order_id\":\"INV-1\\u0000X\","
         "\"status\":\"SETTLED\",\"amount\":15023}}",
         "body: order_id"},
        {"{\"event\":\"PAYMENT_SETTLED\\u0000\",\"data\":{\"order_id\":\"INV-1\","
         "\"status\":\"SETTLED\",\"amount\":15023}}",
         "body: event"},
        {"{\"event\":\"PAYMENT_SETTLED\",\"data\":{\"order_id\":\"INV-1\","
         "\"status\":\"SETTLED\",\"amount\":15023,\"transaction_id\":\"\\u00001\"}}",
         "body: transaction_id"},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        const char *body = bodies[i][0];
        char *sig = NULL;
        cashi_testing_sign(SECRET, body, strlen(body), &sig, NULL);
        cashi_event *event = NULL;
        cashi_error *err = NULL;
        cashi_result rc = cashi_webhook_verify(wh, body, strlen(body), sig, &event, &err);
        CHECK(err && strstr(cashi_error_message(err), bodies[i][1]) != NULL &&
                  strstr(cashi_error_message(err), "NUL") != NULL,
              "names %s: %s", bodies[i][1], err ? cashi_error_message(err) : "");
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
        CHECK(event == NULL, "no event");
        char headers[256];
        snprintf(headers, sizeof headers, "x-gateway-signature: %s\r\n", sig);
        err = NULL;
        rc = cashi_webhook_verify_headers(wh, body, strlen(body), headers, strlen(headers), &event,
                                          &err);
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
        cashi_string_free(sig);
    }
    /* A NUL byte inside the headers text (a buf, len pair) is refused, naming headers. */
    const char *body = BODY;
    const char headers[] = "x-gateway-signature: " SIG "\r\nx-other: a\0b\r\n";
    cashi_event *event = NULL;
    cashi_error *err = NULL;
    cashi_result rc = cashi_webhook_verify_headers(wh, body, strlen(body), headers,
                                                   sizeof headers - 1, &event, &err);
    CHECK(err && strncmp(cashi_error_message(err), "headers: ", 9) == 0, "names headers: %s",
          err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    cashi_webhook_free(wh);
}

/* A body without a signature, read as a hint: the same fields, marked unverified. */
static void test_parse_unverified(void) {
    cashi_error *err = NULL;
    cashi_event *event = NULL;
    CHECK_RESULT(cashi_webhook_parse_unverified(BODY, strlen(BODY), &event, &err), err,
                 CASHI_RESULT_OK);
    if (event) {
        CHECK(!cashi_event_is_verified(event), "unverified");
        CHECK(strcmp(cashi_event_order_id(event), "INV-9921") == 0 &&
                  cashi_event_amount(event) == 15023 && cashi_event_is_settled(event),
              "read like a verified one");
        cashi_event_fields f;
        CHECK(cashi_event_get_fields(event, &f) && !f.is_verified && f.is_settled, "fields");
        CHECK(strstr(cashi_event_to_json(event), "\"is_verified\":false"), "json %s",
              cashi_event_to_json(event));
        cashi_event_free(event);
        event = NULL;
    }
    CHECK(!cashi_event_is_verified(NULL), "NULL is false");
    err = NULL;
    const char *not_cashi = "{\"event\":\"PAYMENT_SETTLED\"}";
    CHECK_RESULT(cashi_webhook_parse_unverified(not_cashi, strlen(not_cashi), &event, &err), err,
                 CASHI_RESULT_WEBHOOK_PAYLOAD);
    err = NULL;
    CHECK_RESULT(cashi_webhook_parse_unverified(NULL, 3, &event, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_parse_unverified(BODY, strlen(BODY), NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(event == NULL, "no event on failure");
}

int main(void) {
    test_verify();
    test_parse_unverified();
    test_secrets();
    test_signing();
    test_nul_in_texts_is_refused();
    return test_finish("test_webhook");
}
