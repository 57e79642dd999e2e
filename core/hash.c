/* The digest hashes over GLib and libgcrypt, HMAC-MD5, and the wiping of secrets. */
#include "hash.h"

#include <string.h>
#include <gcrypt.h>

/* Short input (every Digest string but an auth-int body or a hostile nonce) is gathered here and hashed in one
 * call without a context to allocate; longer input streams into a library context. */
#define SA_HASHER_BUFFER 480

struct sa_hasher {
    sa_hash_t     hash;
    gboolean      secret;
    gsize         buffered;
    GChecksum    *checksum;   /* streaming public input, MD5 or SHA-256 */
    gcry_md_hd_t  md;         /* streaming secret input, or SHA-512/256 which GLib lacks */
    gboolean      streaming;
    guint8        buffer[SA_HASHER_BUFFER];
};

void
sa_wipe(void *data, gsize len)
{
    explicit_bzero(data, len);
}

static gpointer
init_gcrypt(gpointer unused)
{
    (void)unused;
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        /* Like Wireshark: no locked secure pool (it needs privileges); contexts are still wiped on close. */
        gcry_check_version(NULL);
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    return NULL;
}

void
sa_gcrypt_ensure(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_gcrypt, NULL);
}

static int
gcry_algo(sa_hash_t hash)
{
    switch (hash) {
    case SA_HASH_MD5:
        return GCRY_MD_MD5;
    case SA_HASH_SHA256:
        return GCRY_MD_SHA256;
    case SA_HASH_SHA512_256:
        return GCRY_MD_SHA512_256;
    case SA_HASH_NONE:
        break;
    }
    return GCRY_MD_NONE;
}

sa_hasher_t *
sa_hasher_new(sa_hash_t hash, gboolean secret)
{
    if (hash == SA_HASH_NONE)
        return NULL;
    sa_gcrypt_ensure();
    sa_hasher_t *hasher = g_new(sa_hasher_t, 1);
    hasher->hash = hash;
    hasher->secret = secret;
    hasher->buffered = 0;
    hasher->checksum = NULL;
    hasher->md = NULL;
    hasher->streaming = FALSE;
    return hasher;
}

/* Moves from the buffer to a streaming context: GChecksum for public MD5/SHA-256, libgcrypt otherwise. */
static gboolean
start_streaming(sa_hasher_t *hasher)
{
    hasher->streaming = TRUE;
    if (!hasher->secret && hasher->hash != SA_HASH_SHA512_256) {
        hasher->checksum = g_checksum_new(hasher->hash == SA_HASH_MD5 ? G_CHECKSUM_MD5 : G_CHECKSUM_SHA256);
        g_checksum_update(hasher->checksum, hasher->buffer, (gssize)hasher->buffered);
    } else {
        if (gcry_md_open(&hasher->md, gcry_algo(hasher->hash), GCRY_MD_FLAG_SECURE) != 0) {
            hasher->md = NULL;
            return FALSE;
        }
        gcry_md_write(hasher->md, hasher->buffer, hasher->buffered);
    }
    sa_wipe(hasher->buffer, hasher->buffered);
    return TRUE;
}

void
sa_hasher_add(sa_hasher_t *hasher, const void *data, gsize len)
{
    if (!hasher->streaming && hasher->buffered + len <= SA_HASHER_BUFFER) {
        memcpy(hasher->buffer + hasher->buffered, data, len);
        hasher->buffered += len;
        return;
    }
    if (!hasher->streaming && !start_streaming(hasher))
        return;
    if (hasher->checksum)
        g_checksum_update(hasher->checksum, data, (gssize)len);
    else if (hasher->md)
        gcry_md_write(hasher->md, data, len);
}

gsize
sa_hasher_finish_hex(sa_hasher_t *hasher, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    guint8 digest[64];       /* libgcrypt writes SHA-512/256's 32 bytes; room for any */
    gsize len = SA_HASH_MAX;
    int algo = gcry_algo(hasher->hash);
    if (!hasher->streaming) {
        len = MIN(gcry_md_get_algo_dlen(algo), SA_HASH_MAX);
        gcry_md_hash_buffer(algo, digest, hasher->buffer, hasher->buffered);
        sa_wipe(hasher->buffer, hasher->buffered);
    } else if (hasher->checksum) {
        g_checksum_get_digest(hasher->checksum, digest, &len);
        g_checksum_free(hasher->checksum);
    } else if (hasher->md) {
        len = MIN(gcry_md_get_algo_dlen(algo), SA_HASH_MAX);
        memcpy(digest, gcry_md_read(hasher->md, algo), len);
        gcry_md_close(hasher->md);
    } else {
        len = 0;             /* the library refused a context: no digest, which matches no response */
    }
    g_free(hasher);
    for (gsize i = 0; i < len; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    hex[2 * len] = '\0';
    sa_wipe(digest, sizeof digest);
    return 2 * len;
}

gboolean
sa_hmac_md5(const guint8 *key, gsize key_len, const void *data, gsize len, guint8 out[16])
{
    sa_gcrypt_ensure();
    gcry_mac_hd_t mac;
    if (gcry_mac_open(&mac, GCRY_MAC_HMAC_MD5, GCRY_MAC_FLAG_SECURE, NULL) != 0)
        return FALSE;
    size_t out_len = 16;
    gboolean ok = gcry_mac_setkey(mac, key, key_len) == 0 && gcry_mac_write(mac, data, len) == 0
                  && gcry_mac_read(mac, out, &out_len) == 0 && out_len == 16;
    gcry_mac_close(mac);
    return ok;
}
