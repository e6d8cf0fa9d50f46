/* libcashi over HTTPS: a sandbox started with --tls (CASHI_TLS_BASE_URL), whose CA
 * certificate (CASHI_TLS_CA) is trusted with cashi_client_options_set_ca_bundle; without
 * it the certificate is refused, and a bundle that cannot be read is an invalid_argument
 * naming its path. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const char *env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "%s is not set (run the tests through bindings-c/test.sh)\n", name);
        exit(2);
    }
    return value;
}

/* A client of the TLS sandbox, with `ca_bundle` unless it is NULL; its creation's result. */
static cashi_result tls_client(const char *ca_bundle, cashi_client **client, cashi_error **err) {
    cashi_client_options *opts = cashi_client_options_new();
    cashi_client_options_set_api_key(opts, test_api_key(), NULL);
    cashi_client_options_set_base_url(opts, env("CASHI_TLS_BASE_URL"), NULL);
    cashi_client_options_set_max_retries(opts, 0, NULL);
    cashi_client_options_set_timeout_ms(opts, 10000, NULL);
    if (ca_bundle != NULL) {
        cashi_error *set_err = NULL;
        CHECK_RESULT(cashi_client_options_set_ca_bundle(opts, ca_bundle, &set_err), set_err,
                     CASHI_RESULT_OK);
    }
    cashi_result rc = cashi_client_new(opts, client, err);
    cashi_client_options_free(opts);
    return rc;
}

static void test_trusted_with_the_bundle(void) {
    cashi_client *client = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(tls_client(env("CASHI_TLS_CA"), &client, &err), err, CASHI_RESULT_OK);
    if (client == NULL) return;
    CHECK(strncmp(cashi_client_base_url(client), "https://", 8) == 0, "%s",
          cashi_client_base_url(client));
    char id[64];
    unique_id(id, sizeof id, "C-TLS");
    cashi_order *order = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_create_order(client, 15000, id, NULL, &order, &err), err,
                 CASHI_RESULT_OK);
    CHECK(order && cashi_order_amount(order) > 15000, "amount to pay");
    cashi_status *status = NULL;
    err = NULL;
    CHECK_RESULT(cashi_client_check_status(client, id, &status, &err), err, CASHI_RESULT_OK);
    CHECK(status && strcmp(cashi_status_status(status), "PENDING") == 0, "%s",
          status ? cashi_status_status(status) : "no status");
    cashi_status_free(status);
    cashi_order_free(order);
    cashi_client_free(client);
}

static void test_refused_without_it(void) {
    cashi_client *client = NULL;
    cashi_error *err = NULL;
    CHECK_RESULT(tls_client(NULL, &client, &err), err, CASHI_RESULT_OK);
    if (client == NULL) return;
    cashi_status *status = NULL;
    err = NULL;
    cashi_result rc = cashi_client_check_status(client, "C-TLS-NONE", &status, &err);
    CHECK(err && strstr(cashi_error_message(err), "invalid peer certificate") != NULL &&
              strstr(cashi_error_message(err), "ca_bundle") != NULL,
          "names the certificate and the option: %s", err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_CONNECTION);
    CHECK(status == NULL, "no status");
    cashi_client_free(client);
}

static void test_a_bad_bundle_is_named(void) {
    cashi_client *client = NULL;
    cashi_error *err = NULL;
    const char *missing = "/nonexistent/cashi-ca.pem";
    cashi_result rc = tls_client(missing, &client, &err);
    CHECK(err && strncmp(cashi_error_message(err), "ca_bundle: /nonexistent/cashi-ca.pem ",
                         strlen("ca_bundle: ") + strlen(missing) + 1) == 0,
          "names the option and the path: %s", err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    CHECK(client == NULL, "no client");

    /* A file that is not PEM: the message names it, and quotes none of it. */
    char path[] = "/tmp/cashi-c-notpem-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    const char junk[] = "CASHI-JUNK-CONTENT not a certificate\n";
    CHECK(write(fd, junk, sizeof junk - 1) == (ssize_t)(sizeof junk - 1), "write");
    close(fd);
    err = NULL;
    rc = tls_client(path, &client, &err);
    CHECK(err && strstr(cashi_error_message(err), path) != NULL &&
              strstr(cashi_error_message(err), "JUNK") == NULL,
          "%s", err ? cashi_error_message(err) : "");
    CHECK_RESULT(rc, err, CASHI_RESULT_INVALID_ARGUMENT);
    unlink(path);

    err = NULL;
    cashi_client_options *opts = cashi_client_options_new();
    CHECK_RESULT(cashi_client_options_set_ca_bundle(opts, NULL, &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    err = NULL;
    CHECK_RESULT(cashi_client_options_set_ca_bundle(NULL, "/x.pem", &err), err,
                 CASHI_RESULT_INVALID_ARGUMENT);
    cashi_client_options_free(opts);
}

int main(void) {
    test_trusted_with_the_bundle();
    test_refused_without_it();
    test_a_bad_bundle_is_named();
    return test_finish("test_tls");
}
