/* Neither the API key nor a webhook secret appears in any error libcashi gives (its
 * message and its JSON), whatever fails: refused input, every error answer the sandbox can
 * give, answers that echo the key (as sent, in another case, in hex or base64), broken
 * connections, timeouts, and every webhook failure.
 *
 * The key, the secret, the echoes and the texts that must never show come from
 * tests/vectors/secrets.json, which test.sh flattens into CASHI_SECRETS_VECTORS (one
 * `kind<TAB>text` line each). The sandbox accepts the key (test.sh passes it). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MAX_TEXTS 64

static char api_key[128], webhook_secret[128];
static char *echoes[MAX_TEXTS], *any_case[MAX_TEXTS], *exact[MAX_TEXTS];
static size_t n_echoes, n_any_case, n_exact;
static int errors_checked;

static void load_vectors(void) {
    const char *path = getenv("CASHI_SECRETS_VECTORS");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (f == NULL) {
        fprintf(stderr, "CASHI_SECRETS_VECTORS is not a readable file (run through test.sh)\n");
        exit(2);
    }
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (tab == NULL) continue;
        *tab = '\0';
        const char *text = tab + 1;
        if (strcmp(line, "api_key") == 0) snprintf(api_key, sizeof api_key, "%s", text);
        else if (strcmp(line, "webhook_secret") == 0)
            snprintf(webhook_secret, sizeof webhook_secret, "%s", text);
        else if (strcmp(line, "echo") == 0 && n_echoes < MAX_TEXTS)
            echoes[n_echoes++] = strdup(text);
        else if (strcmp(line, "any_case") == 0 && n_any_case < MAX_TEXTS)
            any_case[n_any_case++] = strdup(text);
        else if (strcmp(line, "exact") == 0 && n_exact < MAX_TEXTS)
            exact[n_exact++] = strdup(text);
    }
    fclose(f);
    if (!api_key[0] || !webhook_secret[0] || !n_echoes || !n_any_case || !n_exact) {
        fprintf(stderr, "%s lacks the key, the secret, echoes or leaks\n", path);
        exit(2);
    }
}

static void free_vectors(void) {
    for (size_t i = 0; i < n_echoes; i++) free(echoes[i]);
    for (size_t i = 0; i < n_any_case; i++) free(any_case[i]);
    for (size_t i = 0; i < n_exact; i++) free(exact[i]);
}

static void check_text(const char *what, const char *text) {
    CHECK(text != NULL, "%s: no text", what);
    if (text == NULL) return;
    for (size_t i = 0; i < n_any_case; i++)
        CHECK(strcasestr(text, any_case[i]) == NULL, "%s shows %s: %s", what, any_case[i], text);
    for (size_t i = 0; i < n_exact; i++)
        CHECK(strstr(text, exact[i]) == NULL, "%s shows %s: %s", what, exact[i], text);
}

/* Checks that the call failed with `want`, and that nothing of its error shows a secret;
 * frees the error. */
static void check_error(const char *what, cashi_result rc, cashi_error *err, cashi_result want) {
    CHECK(rc == want, "%s: expected %s, got %s (%s)", what, cashi_result_code(want),
          cashi_result_code(rc), err ? cashi_error_message(err) : "no error");
    CHECK(err != NULL, "%s: no error object", what);
    if (err != NULL) {
        check_text(what, cashi_error_message(err));
        check_text(what, cashi_error_to_json(err));
        errors_checked++;
    }
    cashi_error_free(err);
}

/* Makes the call (which stores its error in `err`), then check_error; `err` is NULL after. */
#define EXPECT(what, want, call)                        \
    do {                                                \
        cashi_result expect_rc_ = (call);               \
        check_error((what), expect_rc_, err, (want));   \
        err = NULL;                                     \
    } while (0)

static cashi_client *client_for(const char *base_url, unsigned max_retries,
                                unsigned long long timeout_ms) {
    cashi_error *err = NULL;
    cashi_client *client = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    cashi_client_options_set_api_key(opts, api_key, NULL);
    cashi_client_options_set_base_url(opts, base_url, NULL);
    cashi_client_options_set_max_retries(opts, max_retries, NULL);
    cashi_client_options_set_timeout_ms(opts, timeout_ms, NULL);
    cashi_client_options_set_retry_backoff_ms(opts, 10, 20, NULL);
    CHECK_RESULT(cashi_client_new(opts, &client, &err), err, CASHI_RESULT_OK);
    cashi_client_options_free(opts);
    return client;
}

/* A JSON string literal of `text` (which holds no quote, backslash or control character). */
static void json_string(char *out, size_t cap, const char *text) {
    snprintf(out, cap, "\"%s\"", text);
}

static void test_refused_settings(void) {
    cashi_error *err = NULL;
    cashi_client *client = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    char bad[256];
    const char *spoilers[] = {" ", "\n", "\t", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof spoilers / sizeof *spoilers; i++) {
        snprintf(bad, sizeof bad, "%s%s", api_key, spoilers[i]);
        cashi_client_options_set_api_key(opts, bad, NULL);
        EXPECT("a malformed key", CASHI_RESULT_INVALID_ARGUMENT,
               cashi_client_new(opts, &client, &err));
    }
    cashi_client_options_set_api_key(opts, api_key, NULL);
    cashi_client_options_set_base_url(opts, "http://cashi.example/api", NULL);
    EXPECT("a cleartext base URL", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_client_new(opts, &client, &err));
    cashi_client_options_set_base_url(opts, test_base_url(), NULL);
    cashi_client_options_set_max_retries(opts, 11, NULL);
    EXPECT("too many retries", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_client_new(opts, &client, &err));
    cashi_client_options_free(opts);
}

static void test_answers(void) {
    cashi_client *client = client_for(test_base_url(), 0, 3000);
    cashi_error *err = NULL;
    cashi_order *order = NULL;
    cashi_status *status = NULL;
    char fault[2048], message[1024], id[128];

    EXPECT("amount too small", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_client_create_order(client, 1, NULL, NULL, &order, &err));
    EXPECT("order id with a line break", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_client_check_status(client, "a\nb", &status, &err));

    /* Every echo, as the message of an error answer of each status the API maps. Orders are
     * made on a virtual-account channel: no unique code, so no limit on how many pending
     * orders share an amount. */
    const struct { int status; cashi_result want; } statuses[] = {
        {401, CASHI_RESULT_AUTHENTICATION}, {403, CASHI_RESULT_AUTHENTICATION},
        {400, CASHI_RESULT_API},            {404, CASHI_RESULT_NOT_FOUND},
        {409, CASHI_RESULT_CONFLICT},       {429, CASHI_RESULT_RATE_LIMITED},
        {500, CASHI_RESULT_SERVER},         {503, CASHI_RESULT_SERVER},
    };
    for (size_t e = 0; e < n_echoes; e++) {
        json_string(message, sizeof message, echoes[e]);
        for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
            snprintf(fault, sizeof fault, "{\"kind\":\"error\",\"status\":%d,\"message\":%s}",
                     statuses[s].status, message);
            arm_fault(fault);
            EXPECT(fault, statuses[s].want,
                   cashi_client_check_status(client, "A", &status, &err));
        }
        /* success:false with HTTP 200, and an amount the SDK cannot read. */
        snprintf(fault, sizeof fault,
                 "{\"kind\":\"patch\",\"path\":\"create-order\","
                 "\"set\":{\"success\":false,\"message\":%s}}",
                 message);
        arm_fault(fault);
        EXPECT(fault, CASHI_RESULT_API,
               cashi_client_create_order(client, 15000, NULL, "BCA", &order, &err));
        snprintf(fault, sizeof fault,
                 "{\"kind\":\"patch\",\"path\":\"create-order\",\"set\":{\"amount\":%s}}", message);
        arm_fault(fault);
        EXPECT(fault, CASHI_RESULT_DECODE,
               cashi_client_create_order(client, 15000, NULL, "BCA", &order, &err));
        /* A status text echoing the key: confirm's mismatch. */
        unique_id(id, sizeof id, "SECRETS");
        err = NULL;
        CHECK_RESULT(cashi_client_create_order(client, 15000, id, "BCA", &order, &err), err,
                     CASHI_RESULT_OK);
        snprintf(fault, sizeof fault,
                 "{\"kind\":\"patch\",\"path\":\"check-status\",\"set\":{\"status\":%s}}", message);
        arm_fault(fault);
        EXPECT(fault, CASHI_RESULT_PAYMENT_MISMATCH,
               cashi_client_confirm(client, id, cashi_order_amount(order), NULL, &err));
        cashi_order_free(order);
        order = NULL;
    }

    /* The plain faults: a CDN page, a truncated body, a dropped connection, a late answer. */
    const struct { const char *fault; cashi_result want; } plain[] = {
        {"{\"kind\":\"error\",\"status\":502}", CASHI_RESULT_SERVER},
        {"{\"kind\":\"rate_limit\",\"retry_after\":0}", CASHI_RESULT_RATE_LIMITED},
        {"{\"kind\":\"truncate\"}", CASHI_RESULT_DECODE},
        {"{\"kind\":\"drop\"}", CASHI_RESULT_CONNECTION},
        {"{\"kind\":\"latency\",\"latency_ms\":4000}", CASHI_RESULT_TIMEOUT},
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        arm_fault(plain[i].fault);
        EXPECT(plain[i].fault, plain[i].want,
               cashi_client_check_status(client, "A", &status, &err));
    }
    clear_faults();

    /* The API's own errors: an unknown order, an order id used twice, a wrong amount, a
     * wait that ends before the payment. */
    EXPECT("unknown order", CASHI_RESULT_NOT_FOUND,
           cashi_client_check_status(client, "NO-SUCH-ORDER", &status, &err));
    unique_id(id, sizeof id, "SECRETS");
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, id, "BCA", &order, &err), err,
                 CASHI_RESULT_OK);
    cashi_order *again = NULL;
    EXPECT("order id used twice", CASHI_RESULT_CONFLICT,
           cashi_client_create_order(client, 15000, id, "BCA", &again, &err));
    EXPECT("wrong amount", CASHI_RESULT_PAYMENT_MISMATCH,
           cashi_client_confirm(client, id, 1, NULL, &err));
    EXPECT("wait", CASHI_RESULT_TIMEOUT,
           cashi_client_wait_for_payment(client, id, 300, &status, &err));
    cashi_order_free(order);
    cashi_client_free(client);

    /* Nobody listening: port 9 (discard) on loopback. */
    client = client_for("http://127.0.0.1:9/api", 0, 800);
    EXPECT("no listener", CASHI_RESULT_CONNECTION,
           cashi_client_check_status(client, "A", &status, &err));
    cashi_client_free(client);
}

static void test_webhook_failures(void) {
    cashi_error *err = NULL;
    cashi_webhook *webhook = NULL;
    cashi_event *event = NULL;
    EXPECT("an empty secret", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_webhook_new("", &webhook, &err));
    CHECK_RESULT(cashi_webhook_new(webhook_secret, &webhook, &err), err, CASHI_RESULT_OK);
    EXPECT("adding an empty secret", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_webhook_add_secret(webhook, "", &err));

    char *body = NULL, *signature = NULL;
    err = NULL;
    CHECK_RESULT(cashi_testing_webhook_body("INV-1", 15023, &body, &err), err, CASHI_RESULT_OK);
    char prefixed[256], header[512];
    snprintf(prefixed, sizeof prefixed, "sha256=%s", webhook_secret);
    const char *signatures[] = {"", webhook_secret, prefixed,
                                "0000000000000000000000000000000000000000000000000000000000000000"};
    for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++) {
        EXPECT("a wrong signature", CASHI_RESULT_SIGNATURE_INVALID,
               cashi_webhook_verify(webhook, body, strlen(body), signatures[i], &event, &err));
        snprintf(header, sizeof header, "X-Gateway-Signature: %s\r\n", signatures[i]);
        EXPECT("a wrong signature header", CASHI_RESULT_SIGNATURE_INVALID,
               cashi_webhook_verify_headers(webhook, body, strlen(body), header, strlen(header),
                                        &event, &err));
    }
    snprintf(header, sizeof header, "x-other: %s\r\n", webhook_secret);
    EXPECT("no signature header", CASHI_RESULT_SIGNATURE_INVALID,
           cashi_webhook_verify_headers(webhook, body, strlen(body), header, strlen(header),
                                        &event, &err));
    /* Signed correctly, but not an event. */
    const char *payloads[] = {"not json", "{\"event\":\"PAYMENT_SETTLED\"}"};
    for (size_t i = 0; i < sizeof payloads / sizeof *payloads; i++) {
        err = NULL;
        cashi_result rc = cashi_testing_sign(webhook_secret, payloads[i], strlen(payloads[i]),
                                             &signature, &err);
        CHECK_RESULT(rc, err, CASHI_RESULT_OK);
        EXPECT("a signed non-event", CASHI_RESULT_WEBHOOK_PAYLOAD,
               cashi_webhook_verify(webhook, payloads[i], strlen(payloads[i]), signature, &event,
                                    &err));
        cashi_string_free(signature);
        signature = NULL;
    }
    EXPECT("signing with an empty secret", CASHI_RESULT_INVALID_ARGUMENT,
           cashi_testing_sign("", body, strlen(body), &signature, &err));
    cashi_string_free(body);
    cashi_webhook_free(webhook);
}

int main(void) {
    load_vectors();
    test_refused_settings();
    test_answers();
    test_webhook_failures();
    CHECK(errors_checked >= 150, "only %d errors were checked", errors_checked);
    free_vectors();
    return test_finish("test_secrets");
}
