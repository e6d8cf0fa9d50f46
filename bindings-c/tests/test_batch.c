/* The batch calls (cashi_client_create_orders, cashi_client_check_statuses) against a real
 * sandbox: every item's own result or error, bad arguments, retries, and that the calls
 * really run at the same time (latency faults armed through the sandbox's controls). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int contains(const char *text, const char *part) {
    return text != NULL && strstr(text, part) != NULL;
}

static void test_create_orders(cashi_client *client) {
    char id0[128], id2[128];
    unique_id(id0, sizeof id0, "C-B-QRIS");
    unique_id(id2, sizeof id2, "C-B-VA");
    cashi_order_request requests[5] = {
        {15000, id0, NULL},
        {-5, NULL, NULL},         /* an amount no channel takes */
        {50000, id2, "BCA"},
        {15000, "\xff\xfe", NULL}, /* not UTF-8 */
        {15000, NULL, "NOPE"},    /* a channel Cashi refuses */
    };
    cashi_order *orders[5];
    cashi_error *errors[5];
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_create_orders(client, requests, 5, orders, errors, &err), err,
                 CASHI_RESULT_OK);

    CHECK(orders[0] && !errors[0], "item 0 created");
    if (orders[0]) {
        CHECK(strcmp(cashi_order_order_id(orders[0]), id0) == 0, "item 0 id");
        CHECK(cashi_order_requested_amount(orders[0]) == 15000, "item 0 amount");
        CHECK(cashi_order_qr_url(orders[0]) != NULL, "item 0 QR");
    }
    CHECK(!orders[1] && errors[1], "item 1 failed");
    CHECK_RESULT(cashi_error_result(errors[1]), errors[1], CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(orders[2] && !errors[2], "item 2 created");
    if (orders[2]) {
        CHECK(cashi_order_virtual_account(orders[2]) != NULL, "item 2 is a VA order");
        CHECK(strcmp(cashi_order_order_id(orders[2]), id2) == 0, "item 2 id");
    }
    CHECK(!orders[3] && errors[3], "item 3 failed");
    CHECK(errors[3] && contains(cashi_error_message(errors[3]), "requests[3].order_id"),
          "item 3 names its field: %s", errors[3] ? cashi_error_message(errors[3]) : "");
    CHECK_RESULT(cashi_error_result(errors[3]), errors[3], CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(!orders[4] && errors[4] && cashi_error_http_status(errors[4]) == 400,
          "item 4 refused by Cashi");
    CHECK_RESULT(cashi_error_result(errors[4]), errors[4], CASHI_RESULT_API);
    for (int i = 0; i < 5; i++)
        cashi_order_free(orders[i]);

    /* The same id again, alone in a batch: the conflict of the single call. */
    err = NULL;
    CHECK_RESULT(cashi_client_create_orders(client, requests, 1, orders, errors, &err), err,
                 CASHI_RESULT_OK);
    CHECK(orders[0] == NULL && cashi_error_http_status(errors[0]) == 409, "conflict item");
    CHECK_RESULT(cashi_error_result(errors[0]), errors[0], CASHI_RESULT_CONFLICT);
}

static void test_check_statuses(cashi_client *client) {
    char id0[128], id3[128];
    unique_id(id0, sizeof id0, "C-B-S0");
    unique_id(id3, sizeof id3, "C-B-S3");
    cashi_error *err = NULL;
    cashi_order *order0 = NULL, *order3 = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, id0, NULL, &order0, &err), err,
                 CASHI_RESULT_OK);
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 20000, id3, NULL, &order3, &err), err,
                 CASHI_RESULT_OK);
    if (!order0 || !order3)
        return;

    const char *ids[5] = {id0, "C-B-NO-SUCH-ORDER", NULL, id3, ""};
    cashi_status *statuses[5];
    cashi_error *errors[5];
    err = NULL;
    CHECK_RESULT(cashi_client_check_statuses(client, ids, 5, statuses, errors, &err), err,
                 CASHI_RESULT_OK);
    CHECK(statuses[0] && !errors[0], "item 0 read");
    if (statuses[0]) {
        CHECK(strcmp(cashi_status_order_id(statuses[0]), id0) == 0, "item 0 id");
        CHECK(strcmp(cashi_status_status(statuses[0]), "PENDING") == 0, "item 0 pending");
        CHECK(cashi_status_amount(statuses[0]) == cashi_order_amount(order0), "item 0 amount");
    }
    CHECK(!statuses[1] && errors[1] && cashi_error_http_status(errors[1]) == 404, "item 1 404");
    CHECK_RESULT(cashi_error_result(errors[1]), errors[1], CASHI_RESULT_NOT_FOUND);
    CHECK(!statuses[2] && errors[2] && contains(cashi_error_message(errors[2]), "order_ids[2]"),
          "item 2 names its field: %s", errors[2] ? cashi_error_message(errors[2]) : "");
    CHECK_RESULT(cashi_error_result(errors[2]), errors[2], CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(statuses[3] && !errors[3], "item 3 read");
    if (statuses[3])
        CHECK(cashi_status_amount(statuses[3]) == cashi_order_amount(order3), "item 3 amount");
    CHECK(!statuses[4] && errors[4], "item 4 failed");
    CHECK_RESULT(cashi_error_result(errors[4]), errors[4], CASHI_RESULT_INVALID_ARGUMENT);
    for (int i = 0; i < 5; i++)
        cashi_status_free(statuses[i]);

    /* Retried as the single call is: one 500 first, then the answer. */
    arm_fault("{\"kind\":\"error\",\"count\":1,\"path\":\"check-status\",\"status\":500}");
    err = NULL;
    CHECK_RESULT(cashi_client_check_statuses(client, ids, 1, statuses, errors, &err), err,
                 CASHI_RESULT_OK);
    CHECK(statuses[0] && !errors[0], "retried past a 500");
    cashi_status_free(statuses[0]);
    cashi_error_free(errors[0]);
    clear_faults();
    cashi_order_free(order0);
    cashi_order_free(order3);
}

/* A call that failed as a whole: invalid_argument naming `field`, the first n slots of
 * both arrays NULL. */
static void check_refused(cashi_result rc, cashi_error *err, const char *field, void **a,
                          void **b, size_t n) {
    CHECK(err && contains(cashi_error_message(err), field), "names %s: %s", field,
          err ? cashi_error_message(err) : "(no error)");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    for (size_t i = 0; i < n; i++)
        CHECK(a[i] == NULL && b[i] == NULL, "slot %zu cleared for %s", i, field);
}

static void test_bad_calls(cashi_client *client) {
    const char *ids[2] = {"A", "B"};
    cashi_order_request requests[2] = {{15000, NULL, NULL}, {15000, NULL, NULL}};
    cashi_status *statuses[2];
    cashi_order *orders[2];
    cashi_error *errors[2];
    cashi_error *err;
    cashi_result rc;
#define DIRTY()                                                               \
    do {                                                                      \
        for (int i_ = 0; i_ < 2; i_++) {                                      \
            statuses[i_] = (cashi_status *)(uintptr_t)0x10;                   \
            orders[i_] = (cashi_order *)(uintptr_t)0x10;                      \
            errors[i_] = (cashi_error *)(uintptr_t)0x10;                      \
        }                                                                     \
        err = NULL;                                                           \
    } while (0)

    DIRTY();
    rc = cashi_client_check_statuses(NULL, ids, 2, statuses, errors, &err);
    check_refused(rc, err, "client", (void **)statuses, (void **)errors, 2);
    DIRTY();
    rc = cashi_client_check_statuses(client, NULL, 2, statuses, errors, &err);
    check_refused(rc, err, "order_ids", (void **)statuses, (void **)errors, 2);
    /* An empty batch does nothing and succeeds, with or without arrays (malloc(0) may give
     * NULL); a NULL client is still refused. */
    DIRTY();
    rc = cashi_client_check_statuses(client, ids, 0, statuses, errors, &err);
    CHECK_RESULT(rc, err, CASHI_RESULT_OK);
    CHECK(statuses[0] == (cashi_status *)(uintptr_t)0x10, "an empty batch writes no slot");
    err = NULL;
    rc = cashi_client_check_statuses(client, NULL, 0, NULL, NULL, &err);
    CHECK_RESULT(rc, err, CASHI_RESULT_OK);
    DIRTY();
    rc = cashi_client_check_statuses(NULL, NULL, 0, NULL, NULL, &err);
    check_refused(rc, err, "client", (void **)statuses, (void **)errors, 0);
    DIRTY();
    /* Too many items: the core refuses the whole batch, nothing is sent, and every slot
       holds NULL (an unreadable item among them changes nothing). */
    {
        size_t n = 10001;
        const char **many = calloc(n, sizeof *many);
        cashi_status **many_statuses = calloc(n, sizeof *many_statuses);
        cashi_error **many_errors = calloc(n, sizeof *many_errors);
        cashi_order_request *many_requests = calloc(n, sizeof *many_requests);
        cashi_order **many_orders = calloc(n, sizeof *many_orders);
        for (size_t i = 0; i < n; i++) {
            many[i] = "C-B-MANY";
            many_requests[i].amount = 15000;
        }
        many[5] = "\xff";
        err = NULL;
        rc = cashi_client_check_statuses(client, many, n, many_statuses, many_errors, &err);
        CHECK(err && contains(cashi_error_message(err), "10000") &&
                  contains(cashi_error_message(err), "order_ids"),
              "names the limit: %s", err ? cashi_error_message(err) : "(no error)");
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
        err = NULL;
        rc = cashi_client_create_orders(client, many_requests, n, many_orders, many_errors, &err);
        CHECK(err && contains(cashi_error_message(err), "10000") &&
                  contains(cashi_error_message(err), "requests"),
              "names the limit: %s", err ? cashi_error_message(err) : "(no error)");
        CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
        int all_null = 1;
        for (size_t i = 0; i < n; i++)
            all_null &= many_statuses[i] == NULL && many_errors[i] == NULL && many_orders[i] == NULL;
        CHECK(all_null, "a refused batch leaves only NULL");
        free(many);
        free(many_statuses);
        free(many_errors);
        free(many_requests);
        free(many_orders);
    }
    err = NULL;
    rc = cashi_client_check_statuses(client, ids, 2, NULL, errors, &err);
    CHECK(err && contains(cashi_error_message(err), "out_statuses"), "names out_statuses");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    rc = cashi_client_check_statuses(client, ids, 2, statuses, NULL, &err);
    CHECK(err && contains(cashi_error_message(err), "out_errors"), "names out_errors");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);

    DIRTY();
    rc = cashi_client_create_orders(NULL, requests, 2, orders, errors, &err);
    check_refused(rc, err, "client", (void **)orders, (void **)errors, 2);
    DIRTY();
    rc = cashi_client_create_orders(client, NULL, 2, orders, errors, &err);
    check_refused(rc, err, "requests", (void **)orders, (void **)errors, 2);
    err = NULL;
    rc = cashi_client_create_orders(client, NULL, 0, NULL, NULL, &err);
    CHECK_RESULT(rc, err, CASHI_RESULT_OK);
    err = NULL;
    rc = cashi_client_create_orders(client, requests, 2, NULL, errors, &err);
    CHECK(err && contains(cashi_error_message(err), "out_orders"), "names out_orders");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    /* err may be NULL, as everywhere. */
    CHECK(cashi_client_create_orders(client, requests, 2, NULL, errors, NULL) ==
              CASHI_RESULT_INVALID_ARGUMENT,
          "no error object wanted");
#undef DIRTY
}

/* N calls that each wait `latency_ms` at the sandbox; returns the batch's milliseconds. */
static double delayed_batch(cashi_client *client, const char *id, size_t n, int latency_ms) {
    char fault[256];
    snprintf(fault, sizeof fault,
             "{\"kind\":\"latency\",\"count\":%zu,\"path\":\"check-status\",\"latency_ms\":%d}",
             n, latency_ms);
    arm_fault(fault);
    const char **ids = calloc(n, sizeof *ids);
    cashi_status **statuses = calloc(n, sizeof *statuses);
    cashi_error **errors = calloc(n, sizeof *errors);
    for (size_t i = 0; i < n; i++)
        ids[i] = id;
    cashi_error *err = NULL;
    double start = now_ms();
    CHECK_RESULT(cashi_client_check_statuses(client, ids, n, statuses, errors, &err), err,
                 CASHI_RESULT_OK);
    double elapsed = now_ms() - start;
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
        ok += statuses[i] != NULL;
        cashi_status_free(statuses[i]);
        cashi_error_free(errors[i]);
    }
    CHECK(ok == n, "%zu of %zu delayed calls answered", ok, n);
    free(ids);
    free(statuses);
    free(errors);
    clear_faults();
    return elapsed;
}

static void test_calls_overlap(cashi_client *client) {
    char id[128];
    unique_id(id, sizeof id, "C-B-LAT");
    cashi_order *order = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, id, NULL, &order, &err), err,
                 CASHI_RESULT_OK);
    cashi_order_free(order);

    const int latency = 200;
    double one = delayed_batch(client, id, 1, latency);
    double eight = delayed_batch(client, id, 8, latency);
    /* In turn, 8 delayed calls would take 8 times one; at the same time about one. */
    CHECK(eight < 3.0 * one, "8 delayed calls took %.0f ms, one took %.0f ms: not concurrent",
          eight, one);
    /* At most 64 in flight: the 65th starts only when one of the first 64 has answered, so
     * 65 calls take at least two delays (a lower bound the sandbox's sleeps guarantee). */
    double many = delayed_batch(client, id, 65, latency);
    if (getenv("CASHI_TEST_VERBOSE"))
        fprintf(stderr, "delayed calls: 1 in %.0f ms, 8 in %.0f ms, 65 in %.0f ms\n", one, eight,
                many);
    CHECK(many >= 2.0 * latency, "65 delayed calls took %.0f ms, under two delays of %d ms",
          many, latency);
    CHECK(many < 16.0 * one, "65 delayed calls took %.0f ms, one took %.0f ms", many, one);
}

int main(void) {
    cashi_client *client = test_client(2, 10000);
    test_create_orders(client);
    test_check_statuses(client);
    test_bad_calls(client);
    test_calls_overlap(client);
    cashi_client_free(client);
    return test_finish("test_batch");
}
