/* The opened store root behind the public berth_t. One per berth_open(); its pieces are owned
 * by the store (store/) and released by berth_close(). */
#ifndef BERTH_CORE_HANDLE_H
#define BERTH_CORE_HANDLE_H
#include "berth.h"

struct store_meta;   /* store/meta.c: the SQLite connection and its statements */

struct berth {
    char *root;                /* absolute path of the store root */
    struct store_meta *meta;   /* metadata database (berth.db) */
};

#endif
