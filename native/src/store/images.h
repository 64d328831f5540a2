/* Internal image queries shared by the image_* files of the store: naming an image (tag,
 * repository digest, id, id prefix), and turning its rows into the documented JSON. */
#ifndef BERTH_STORE_IMAGES_H
#define BERTH_STORE_IMAGES_H
#include "store/store.h"
#include <json-c/json.h>
#include <sqlite3.h>

/* Points repository:tag at image_id (moves it if it pointed elsewhere). Inside a transaction. */
int store_tag_set(sqlite3 *db, const char *repository, const char *tag, const char *image_id);

#endif
