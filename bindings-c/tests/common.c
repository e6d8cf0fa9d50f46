#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int test_failures = 0;

void check_result_at(const char *file, int line, cashi_result rc, cashi_error *err,
                     cashi_result want) {
    if (rc != want) {
        fprintf(stderr, "%s:%d: expected %s, got %s (%s)\n", file, line,
                cashi_result_code(want), cashi_result_code(rc),
                err ? cashi_error_message(err) : "no error object");
        test_failures++;
    } else if (want != CASHI_RESULT_OK) {
        if (err == NULL) {
            fprintf(stderr, "%s:%d: %s without an error object\n", file, line,
                    cashi_result_code(want));
            test_failures++;
        } else if (strcmp(cashi_error_code(err), cashi_result_code(want)) != 0 ||
                   cashi_error_result(err) != want) {
            fprintf(stderr, "%s:%d: error code %s does not match %s\n", file, line,
                    cashi_error_code(err), cashi_result_code(want));
            test_failures++;
        } else if (cashi_error_message(err) == NULL || cashi_error_message(err)[0] == '\0') {
            fprintf(stderr, "%s:%d: empty error message\n", file, line);
            test_failures++;
        }
    } else if (err != NULL) {
        fprintf(stderr, "%s:%d: success left an error object\n", file, line);
        test_failures++;
    }
    cashi_error_free(err);
}

const char *test_base_url(void) {
    const char *url = getenv("CASHI_BASE_URL");
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "CASHI_BASE_URL is not set (run the tests through bindings-c/test.sh)\n");
        exit(2);
    }
    return url;
}

const char *test_api_key(void) {
    const char *key = getenv("CASHI_API_KEY");
    return key && key[0] ? key : "CASHI-SANDBOX01";
}

cashi_client *test_client(unsigned max_retries, unsigned long long timeout_ms) {
    cashi_error *err = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    cashi_client *client = NULL;
    if (cashi_client_options_set_api_key(opts, test_api_key(), &err) != CASHI_RESULT_OK ||
        cashi_client_options_set_base_url(opts, test_base_url(), &err) != CASHI_RESULT_OK ||
        cashi_client_options_set_max_retries(opts, max_retries, &err) != CASHI_RESULT_OK ||
        cashi_client_options_set_timeout_ms(opts, timeout_ms, &err) != CASHI_RESULT_OK ||
        cashi_client_options_set_retry_backoff_ms(opts, 20, 100, &err) != CASHI_RESULT_OK ||
        cashi_client_new(opts, &client, &err) != CASHI_RESULT_OK) {
        fprintf(stderr, "could not make a client: %s\n", cashi_error_message(err));
        exit(2);
    }
    cashi_client_options_free(opts);
    return client;
}

int sandbox_call(const char *method, const char *path, const char *body, char *resp,
                 size_t resp_cap) {
    const char *url = test_base_url(); /* http://127.0.0.1:PORT/api */
    const char *host = strstr(url, "://");
    int port = 0;
    if (host == NULL || sscanf(host + 3, "127.0.0.1:%d", &port) != 1) {
        fprintf(stderr, "CASHI_BASE_URL must look like http://127.0.0.1:PORT/api: %s\n", url);
        exit(2);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        fprintf(stderr, "cannot reach the sandbox on port %d\n", port);
        exit(2);
    }
    char request[4096];
    size_t body_len = body ? strlen(body) : 0;
    int n = snprintf(request, sizeof request,
                     "%s /api/sandbox/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nx-api-key: %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     method, path, port, test_api_key(), body_len, body ? body : "");
    if (n < 0 || (size_t)n >= sizeof request || write(fd, request, (size_t)n) != n) {
        fprintf(stderr, "sandbox request failed\n");
        exit(2);
    }
    char answer[65536];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof answer - 1 && (r = read(fd, answer + got, sizeof answer - 1 - got)) > 0)
        got += (size_t)r;
    answer[got] = '\0';
    close(fd);
    int status = 0;
    sscanf(answer, "HTTP/1.1 %d", &status);
    if (resp && resp_cap) {
        const char *start = strstr(answer, "\r\n\r\n");
        snprintf(resp, resp_cap, "%s", start ? start + 4 : "");
    }
    return status;
}

void arm_fault(const char *fault_json) {
    char resp[4096];
    int status = sandbox_call("POST", "faults", fault_json, resp, sizeof resp);
    CHECK(status == 200, "arming %s answered %d: %s", fault_json, status, resp);
}

void clear_faults(void) {
    int status = sandbox_call("DELETE", "faults", NULL, NULL, 0);
    CHECK(status == 200, "clearing faults answered %d", status);
}

void unique_id(char *buf, size_t cap, const char *prefix) {
    static unsigned counter = 0;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    unsigned n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
    snprintf(buf, cap, "%s-%d-%ld%06ld-%u", prefix, (int)getpid(), (long)tv.tv_sec,
             (long)tv.tv_usec, n);
}

int test_finish(const char *name) {
    if (test_failures) {
        fprintf(stderr, "%s: %d check(s) FAILED\n", name, test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}
