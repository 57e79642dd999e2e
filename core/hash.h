/* The digest hashes and the secret hygiene of the credential engine: one interface over GLib and libgcrypt. */
#ifndef SIPAUTH_HASH_H
#define SIPAUTH_HASH_H

#include <string.h>
#include <glib.h>
#include "sipauth/digest.h"

G_BEGIN_DECLS

/* The longest digest, in bytes (SHA-256, SHA-512/256) and in hex. */
#define SA_HASH_MAX     32
#define SA_HASH_HEX_MAX (2 * SA_HASH_MAX)

/*
 * A running hash. Short input is gathered in the hasher and hashed in one libgcrypt call (no context to
 * allocate: a retry is verified with three hashes), the buffer wiped after; longer input streams into a
 * context: libgcrypt's for a secret (a password, HA1, RES: wiped when closed), GLib's GChecksum for public
 * input (method, uri, body), libgcrypt's for SHA-512/256, which GLib lacks.
 */
typedef struct sa_hasher sa_hasher_t;

/* NULL when the hash is SA_HASH_NONE or the library refuses. */
sa_hasher_t *sa_hasher_new(sa_hash_t hash, gboolean secret);
void sa_hasher_add(sa_hasher_t *hasher, const void *data, gsize len);
static inline void
sa_hasher_add_str(sa_hasher_t *hasher, const char *str)
{
    sa_hasher_add(hasher, str, strlen(str));
}
/* Writes the lowercase hex digest and a NUL to hex (SA_HASH_HEX_MAX + 1 bytes) and frees the hasher;
 * returns the number of hex digits. */
gsize sa_hasher_finish_hex(sa_hasher_t *hasher, char *hex);

/* HMAC-MD5 of data under key (RFC 4169's PRF); FALSE if the library refuses. */
gboolean sa_hmac_md5(const guint8 *key, gsize key_len, const void *data, gsize len, guint8 out[16]);

/* Clears memory that held a secret so that the compiler cannot drop the clearing. */
void sa_wipe(void *data, gsize len);

/* Makes libgcrypt usable unless the host program (Wireshark) already did. */
void sa_gcrypt_ensure(void);

G_END_DECLS

#endif
