/* Shared helpers for libcashi's C tests: checks, a client for the test sandbox, and a
 * tiny HTTP client for the sandbox's control endpoints. */
#ifndef CASHI_TEST_COMMON_H
#define CASHI_TEST_COMMON_H

#include <stddef.h>
#include <stdio.h>

#include "cashi.h"

extern int test_failures;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            test_failures++;                                                 \
        }                                                                    \
    } while (0)

/* Checks that `rc` is `want`, and that `err` carries the matching code; frees `err`. */
#define CHECK_RESULT(rc, err, want)                                     \
    do {                                                                \
        cashi_result check_rc_ = (rc); /* before reading err */         \
        check_result_at(__FILE__, __LINE__, check_rc_, (err), (want));  \
    } while (0)
void check_result_at(const char *file, int line, cashi_result rc, cashi_error *err,
                     cashi_result want);

/* The sandbox's base URL (CASHI_BASE_URL) and API key (CASHI_API_KEY). */
const char *test_base_url(void);
const char *test_api_key(void);

/* A client for the sandbox with small retries/backoff; aborts the test on failure. */
cashi_client *test_client(unsigned max_retries, unsigned long long timeout_ms);

/* POSTs (or DELETEs when body is NULL and method is "DELETE") to the sandbox's
 * /api/sandbox/<path>; returns the HTTP status, with the answer body in resp. */
int sandbox_call(const char *method, const char *path, const char *body, char *resp,
                 size_t resp_cap);

/* Arms one of the sandbox's faults (a JSON object for /api/sandbox/faults), checking it
 * was accepted; clear_faults() removes every armed fault. */
void arm_fault(const char *fault_json);
void clear_faults(void);

/* A unique order id with the given prefix. */
void unique_id(char *buf, size_t cap, const char *prefix);

/* Prints the summary and returns the exit code. */
int test_finish(const char *name);

#endif
