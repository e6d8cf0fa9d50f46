/* A client made and used in the parent keeps working in a forked child (the runtime and
 * the connection pool are rebuilt there), and in the parent afterwards. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static int use_client(cashi_client *client, const char *who) {
    char id[128];
    unique_id(id, sizeof id, who);
    cashi_order *order = NULL;
    cashi_status *status = NULL;
    cashi_error *err = NULL;
    if (cashi_client_create_order(client, 15000, id, NULL, &order, &err) != CASHI_RESULT_OK) {
        fprintf(stderr, "%s: create: %s\n", who, cashi_error_message(err));
        cashi_error_free(err);
        return 1;
    }
    int bad = 0;
    if (cashi_client_check_status(client, id, &status, &err) != CASHI_RESULT_OK) {
        fprintf(stderr, "%s: status: %s\n", who, cashi_error_message(err));
        cashi_error_free(err);
        bad = 1;
    } else {
        bad = cashi_status_amount(status) != cashi_order_amount(order);
        cashi_status_free(status);
    }
    cashi_order_free(order);
    return bad;
}

int main(void) {
    cashi_client *client = test_client(2, 10000);
    /* The parent's runtime and pooled connections exist before the fork. */
    CHECK(use_client(client, "C-PARENT") == 0, "parent before fork");
    for (int i = 0; i < 2; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            int bad = use_client(client, "C-CHILD");
            bad |= use_client(client, "C-CHILD");
            cashi_client_free(client);
            exit(bad ? 3 : 0);
        }
        CHECK(pid > 0, "fork");
        int wstatus = 0;
        CHECK(waitpid(pid, &wstatus, 0) == pid, "wait");
        CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "child %d failed (status %d)", i,
              wstatus);
    }
    /* A child that only frees the parent's client (a worker that exits unused). */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        cashi_client_free(client);
        exit(0);
    }
    int wstatus = 0;
    CHECK(pid > 0 && waitpid(pid, &wstatus, 0) == pid, "fork/wait");
    CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "freeing child (status %d)", wstatus);
    CHECK(use_client(client, "C-PARENT") == 0, "parent after fork");
    cashi_client_free(client);
    return test_finish("test_fork");
}
