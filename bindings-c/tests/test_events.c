/* libcashi's events against a real sandbox: the callback's level, JSON and line for a
 * success, a retried 503, a timeout and webhook verifications; the kept events of
 * cashi_client_take_events; never the API key or the webhook secret. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MAX_SEEN 32

/* What the callback saw: copies, since the strings live only during the call. */
typedef struct {
    int count;
    cashi_log_level level[MAX_SEEN];
    char *json[MAX_SEEN];
    char *line[MAX_SEEN];
} seen_events;

static void record(cashi_log_level level, const char *event_json, const char *line,
                   void *user_data) {
    seen_events *seen = user_data;
    if (seen->count < MAX_SEEN) {
        seen->level[seen->count] = level;
        seen->json[seen->count] = strdup(event_json);
        seen->line[seen->count] = strdup(line);
    }
    seen->count++;
}

static void forget(seen_events *seen) {
    for (int i = 0; i < seen->count && i < MAX_SEEN; i++) {
        free(seen->json[i]);
        free(seen->line[i]);
    }
    memset(seen, 0, sizeof *seen);
}

/* Neither the key nor the secret in any event. */
static void check_no_secret(const seen_events *seen, const char *secret) {
    for (int i = 0; i < seen->count && i < MAX_SEEN; i++) {
        CHECK(strstr(seen->json[i], secret) == NULL, "event %d shows a secret: %s", i,
              seen->json[i]);
        CHECK(strstr(seen->line[i], secret) == NULL, "line %d shows a secret: %s", i,
              seen->line[i]);
    }
}

static int has(const char *text, const char *part) { return strstr(text, part) != NULL; }

static cashi_client *listened_client(seen_events *seen, unsigned max_retries,
                                     unsigned long long timeout_ms) {
    cashi_error *err = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    cashi_client *client = NULL;
    cashi_client_options_set_api_key(opts, test_api_key(), NULL);
    cashi_client_options_set_base_url(opts, test_base_url(), NULL);
    cashi_client_options_set_max_retries(opts, max_retries, NULL);
    cashi_client_options_set_timeout_ms(opts, timeout_ms, NULL);
    cashi_client_options_set_retry_backoff_ms(opts, 20, 100, NULL);
    CHECK_RESULT(cashi_client_options_set_event_callback(opts, record, seen, &err), err,
                 CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, &client, &err), err, CASHI_RESULT_OK);
    cashi_client_options_free(opts);
    return client;
}

static void create(cashi_client *client, const char *id) {
    cashi_order *order = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, id, NULL, &order, &err), err,
                 CASHI_RESULT_OK);
    cashi_order_free(order);
}

static void test_success(void) {
    seen_events seen = {0};
    cashi_client *client = listened_client(&seen, 2, 5000);
    char id[96], part[256];
    unique_id(id, sizeof id, "EV-OK");
    create(client, id);
    CHECK(seen.count == 2, "create_order: an attempt and a call, saw %d", seen.count);
    forget(&seen);

    cashi_status *status = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_OK);
    cashi_status_free(status);
    CHECK(seen.count == 2, "check_status: an attempt and a call, saw %d", seen.count);
    if (seen.count == 2) {
        CHECK(seen.level[0] == CASHI_LOG_LEVEL_DEBUG, "an answered attempt is debug");
        CHECK(has(seen.json[0], "\"type\":\"attempt\""), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"method\":\"GET\""), "%s", seen.json[0]);
        snprintf(part, sizeof part, "\"path\":\"/check-status/%s\"", id);
        CHECK(has(seen.json[0], part), "%s", seen.json[0]);
        snprintf(part, sizeof part, "\"order_id\":\"%s\"", id);
        CHECK(has(seen.json[0], part), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"attempt\":1"), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"http_status\":200"), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"error\":null"), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"retry_in_ms\":null"), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"elapsed_ms\":"), "%s", seen.json[0]);
        CHECK(seen.level[1] == CASHI_LOG_LEVEL_INFO, "a finished call is info");
        CHECK(has(seen.json[1], "\"type\":\"call\""), "%s", seen.json[1]);
        CHECK(has(seen.json[1], "\"attempts\":1"), "%s", seen.json[1]);
        snprintf(part, sizeof part, "GET /check-status/%s order=%s: 200 in ", id, id);
        CHECK(strncmp(seen.line[1], part, strlen(part)) == 0, "%s", seen.line[1]);
        CHECK(has(seen.line[1], " after 1 attempt"), "%s", seen.line[1]);
    }
    check_no_secret(&seen, test_api_key());
    forget(&seen);
    cashi_client_free(client);
}

static void test_retried_503(void) {
    seen_events seen = {0};
    cashi_client *client = listened_client(&seen, 2, 5000);
    char id[96];
    unique_id(id, sizeof id, "EV-503");
    create(client, id);
    forget(&seen);
    /* The server echoes the key in its message: the events must not. */
    arm_fault("{\"kind\":\"error\",\"status\":503,\"count\":1,\"path\":\"check-status\","
              "\"message\":\"busy, key {api_key}\"}");
    cashi_status *status = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_OK);
    cashi_status_free(status);
    CHECK(seen.count == 3, "a failed attempt, an answered one and the call, saw %d", seen.count);
    if (seen.count == 3) {
        CHECK(seen.level[0] == CASHI_LOG_LEVEL_WARNING, "a failed attempt is a warning");
        CHECK(has(seen.json[0], "\"http_status\":503"), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"code\":\"server\""), "%s", seen.json[0]);
        CHECK(!has(seen.json[0], "\"retry_in_ms\":null"), "a retry follows: %s", seen.json[0]);
        CHECK(has(seen.line[0], ", retrying in "), "%s", seen.line[0]);
        CHECK(seen.level[1] == CASHI_LOG_LEVEL_DEBUG, "the second attempt is answered");
        CHECK(has(seen.json[1], "\"attempt\":2"), "%s", seen.json[1]);
        CHECK(has(seen.json[1], "\"http_status\":200"), "%s", seen.json[1]);
        CHECK(seen.level[2] == CASHI_LOG_LEVEL_INFO, "the call succeeded");
        CHECK(has(seen.json[2], "\"attempts\":2"), "%s", seen.json[2]);
    }
    check_no_secret(&seen, test_api_key());
    forget(&seen);
    clear_faults();
    cashi_client_free(client);
}

static void test_timeout(void) {
    seen_events seen = {0};
    cashi_client *client = listened_client(&seen, 0, 300);
    char id[96];
    unique_id(id, sizeof id, "EV-TIME");
    create(client, id);
    forget(&seen);
    arm_fault("{\"kind\":\"latency\",\"latency_ms\":1500,\"count\":1,\"path\":\"check-status\"}");
    cashi_status *status = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err,
                 CASHI_RESULT_TIMEOUT);
    CHECK(seen.count == 2, "a failed attempt and a failed call, saw %d", seen.count);
    if (seen.count == 2) {
        CHECK(seen.level[0] == CASHI_LOG_LEVEL_WARNING, "a timed-out attempt is a warning");
        CHECK(has(seen.json[0], "\"http_status\":null"), "no answer: %s", seen.json[0]);
        CHECK(has(seen.json[0], "\"code\":\"timeout\""), "%s", seen.json[0]);
        CHECK(has(seen.json[0], "\"retry_in_ms\":null"), "no retry: %s", seen.json[0]);
        CHECK(seen.level[1] == CASHI_LOG_LEVEL_WARNING, "a failed call is a warning");
        CHECK(has(seen.json[1], "\"code\":\"timeout\""), "%s", seen.json[1]);
        CHECK(has(seen.line[1], ": no answer in "), "%s", seen.line[1]);
    }
    check_no_secret(&seen, test_api_key());
    forget(&seen);
    clear_faults();
    cashi_client_free(client);
}

static void test_kept_events(void) {
    cashi_error *err = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    cashi_client *client = NULL;
    cashi_client_options_set_api_key(opts, test_api_key(), NULL);
    cashi_client_options_set_base_url(opts, test_base_url(), NULL);
    CHECK_RESULT(cashi_client_options_keep_events(opts, true, &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_options_keep_events(NULL, true, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, &client, &err), err, CASHI_RESULT_OK);
    cashi_client *other = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_new(opts, &other, &err), err, CASHI_RESULT_OK);
    cashi_client_options_free(opts);
    CHECK(cashi_client_take_events(client) == NULL, "nothing before a call");
    char id[96];
    unique_id(id, sizeof id, "EV-KEPT");
    create(client, id);
    CHECK(cashi_client_take_events(other) == NULL,
          "another client of the same options keeps its own events");
    char *kept = cashi_client_take_events(client);
    CHECK(kept != NULL, "the call's events were kept");
    if (kept != NULL) {
        char *newline = strchr(kept, '\n');
        CHECK(newline != NULL && strchr(newline + 1, '\n') != NULL &&
                  strchr(newline + 1, '\n')[1] == '\0',
              "two lines: %s", kept);
        CHECK(has(kept, "\"level\":\"debug\"") && has(kept, "\"line\":\"POST /create-order order="),
              "%s", kept);
        CHECK(has(kept, "\"event\":{") && has(kept, "\"type\":\"call\""), "%s", kept);
        CHECK(!has(kept, test_api_key()), "no key: %s", kept);
    }
    cashi_string_free(kept);
    CHECK(cashi_client_take_events(client) == NULL, "taken once");
    CHECK(cashi_client_take_events(NULL) == NULL, "NULL client");
    cashi_client_free(client);
    cashi_client_free(other);

    /* A client without it keeps nothing. */
    cashi_client *quiet = test_client(0, 5000);
    unique_id(id, sizeof id, "EV-QUIET");
    create(quiet, id);
    CHECK(cashi_client_take_events(quiet) == NULL, "nothing kept unless asked");
    cashi_client_free(quiet);
}

static void test_webhook(void) {
    const char *secret = "sk_events_c_secret_0001";
    seen_events seen = {0};
    cashi_webhook *webhook = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_webhook_new(secret, &webhook, &err), err, CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_webhook_set_event_callback(webhook, record, &seen, &err), err,
                 CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_webhook_set_event_callback(NULL, record, &seen, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_webhook_keep_events(webhook, true, &err), err, CASHI_RESULT_OK);

    char *body = NULL, *signature = NULL;
    cashi_testing_webhook_body("INV-EV-1", 15023, &body, NULL);
    cashi_testing_sign(secret, body, strlen(body), &signature, NULL);
    cashi_event *event = NULL;
    err = NULL;
    CHECK_RESULT(cashi_webhook_verify(webhook, body, strlen(body), signature, &event, &err), err,
                 CASHI_RESULT_OK);
    cashi_event_free(event);
    err = NULL;
    CHECK_RESULT(cashi_webhook_verify(webhook, body, strlen(body), "00", &event, &err), err,
                 CASHI_RESULT_SIGNATURE_INVALID);
    CHECK(seen.count == 2, "one event per verification, saw %d", seen.count);
    if (seen.count == 2) {
        CHECK(seen.level[0] == CASHI_LOG_LEVEL_INFO, "accepted is info");
        CHECK(strcmp(seen.json[0],
                     "{\"type\":\"webhook\",\"order_id\":\"INV-EV-1\",\"is_test\":false,"
                     "\"error\":null}") == 0,
              "%s", seen.json[0]);
        CHECK(strcmp(seen.line[0], "webhook order=INV-EV-1 verified") == 0, "%s", seen.line[0]);
        CHECK(seen.level[1] == CASHI_LOG_LEVEL_WARNING, "refused is a warning");
        CHECK(has(seen.json[1], "\"code\":\"signature_invalid\""), "%s", seen.json[1]);
        CHECK(has(seen.line[1], "webhook refused (signature_invalid: "), "%s", seen.line[1]);
    }
    check_no_secret(&seen, secret);
    char *kept = cashi_webhook_take_events(webhook);
    CHECK(kept != NULL && has(kept, "\"level\":\"info\"") && has(kept, "\"level\":\"warning\""),
          "kept both: %s", kept ? kept : "(none)");
    CHECK(kept == NULL || !has(kept, secret), "no secret in the kept events");
    cashi_string_free(kept);

    /* Removing the callback and the keeping: nothing more is seen. */
    cashi_webhook_set_event_callback(webhook, NULL, NULL, NULL);
    cashi_webhook_keep_events(webhook, false, NULL);
    CHECK_RESULT(cashi_webhook_verify(webhook, body, strlen(body), signature, &event, NULL), NULL,
                 CASHI_RESULT_OK);
    cashi_event_free(event);
    CHECK(seen.count == 2, "no callback after removing it, saw %d", seen.count);
    CHECK(cashi_webhook_take_events(webhook) == NULL, "nothing kept after stopping");
    forget(&seen);
    cashi_string_free(body);
    cashi_string_free(signature);
    cashi_webhook_free(webhook);
}

int main(void) {
    test_success();
    test_retried_503();
    test_timeout();
    test_kept_events();
    test_webhook();
    return test_finish("test_events");
}
