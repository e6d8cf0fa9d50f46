/* Eight threads share one client (and one webhook verifier): each creates orders, reads
 * their status and verifies webhooks at the same time. CASHI_THREAD_ROUNDS rounds per
 * thread (default 5; scripts/robustness.sh runs 250, i.e. 8 threads x 500 API calls). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define THREADS 8

static long rounds = 5;

static cashi_client *shared_client;
static cashi_webhook *shared_webhook;

static void *worker(void *arg) {
    long n = (long)(intptr_t)arg;
    long *failures = (long *)calloc(1, sizeof(long));
    for (long round = 0; round < rounds; round++) {
        char id[128], prefix[32];
        snprintf(prefix, sizeof prefix, "C-T%ld", n);
        unique_id(id, sizeof id, prefix);
        cashi_order *order = NULL;
        cashi_status *status = NULL;
        cashi_error *err = NULL;
        /* Base amounts 100 apart: no two pending orders compete for the same unique codes. */
        int64_t amount = 10000 + (n * rounds + round) * 100;
        if (cashi_client_create_order(shared_client, amount, id, NULL, &order, &err) !=
            CASHI_RESULT_OK) {
            fprintf(stderr, "thread %ld: create: %s\n", n, cashi_error_message(err));
            cashi_error_free(err);
            (*failures)++;
            continue;
        }
        if (cashi_client_check_status(shared_client, id, &status, &err) != CASHI_RESULT_OK) {
            fprintf(stderr, "thread %ld: status: %s\n", n, cashi_error_message(err));
            cashi_error_free(err);
            (*failures)++;
        } else {
            if (cashi_status_amount(status) != cashi_order_amount(order) ||
                strcmp(cashi_status_order_id(status), id) != 0)
                (*failures)++;
            cashi_status_free(status);
        }
        char *body = NULL, *sig = NULL;
        cashi_event *event = NULL;
        cashi_testing_webhook_body(id, cashi_order_amount(order), &body, NULL);
        cashi_testing_sign("sk_threads", body, strlen(body), &sig, NULL);
        if (cashi_webhook_verify(shared_webhook, body, strlen(body), sig, &event, NULL) !=
                CASHI_RESULT_OK ||
            strcmp(cashi_event_order_id(event), id) != 0)
            (*failures)++;
        cashi_event_free(event);
        cashi_string_free(body);
        cashi_string_free(sig);
        cashi_order_free(order);
    }
    return failures;
}

int main(void) {
    const char *env_rounds = getenv("CASHI_THREAD_ROUNDS");
    if (env_rounds && atol(env_rounds) > 0)
        rounds = atol(env_rounds);
    shared_client = test_client(2, 10000);
    cashi_webhook_new("sk_threads", &shared_webhook, NULL);
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i) == 0, "spawn");
    for (int i = 0; i < THREADS; i++) {
        void *result = NULL;
        pthread_join(threads[i], &result);
        long failures = result ? *(long *)result : 1;
        CHECK(failures == 0, "thread %d had %ld failure(s)", i, failures);
        free(result);
    }
    cashi_webhook_free(shared_webhook);
    cashi_client_free(shared_client);
    return test_finish("test_threads");
}
