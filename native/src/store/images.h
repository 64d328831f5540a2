/* Internal image queries shared by the image_* files of the store: naming an image (tag,
 * repository digest, id, id prefix), and turning its rows into the documented JSON. */
#ifndef BERTH_STORE_IMAGES_H
#define BERTH_STORE_IMAGES_H
#include "store/store.h"
#include <json-c/json.h>
#include <sqlite3.h>

/* Points repository:tag at image_id (moves it if it pointed elsewhere). Inside a transaction. */
int store_tag_set(sqlite3 *db, const char *repository, const char *tag, const char *image_id);

typedef enum { IMAGE_BY_ID, IMAGE_BY_TAG, IMAGE_BY_DIGEST } image_name_kind;

/* What a user's name for an image resolved to. */
typedef struct {
    char id[DIGEST_TEXT_MAX];  /* the image id, sha256:<config hex> */
    image_name_kind kind;
    char *repository;          /* BY_TAG / BY_DIGEST: normalised repository */
    char *tag;                 /* BY_TAG */
    char *digest;              /* BY_DIGEST: the manifest digest */
} image_name;

/* Resolves a reference (repo[:tag], repo@digest), a full id ("sha256:<hex>" or 64 hex) or a
 * unique id prefix of at least 4 hex digits, as docker does: reference first, then prefix.
 * BERTH_ENOTFOUND, or BERTH_EINVAL for an ambiguous prefix (the message lists candidates)
 * or a malformed name. Run inside a transaction for a consistent answer. */
int image_name_resolve(image_name *out, sqlite3 *db, const char *name);
void image_name_clear(image_name *n);

/* The "image" object (docs/api.md) of one image. */
int image_to_json(json_object **out, sqlite3 *db, const char *id);

/* Hook for the containers concern: how many containers (running or not) use image_id, and
 * their names, comma-separated, into names. Returns the count (0: none) or a negative code.
 * Until containers exist this returns 0 (see image_users.c). */
int store_image_users(berth_t *b, const char *image_id, char *names, size_t len);

#endif
