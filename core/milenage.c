/* MILENAGE (3GPP TS 35.206 section 4) with AES-128 from libgcrypt; every intermediate value is wiped. */
#include "milenage.h"
#include "hash.h"

#include <string.h>
#include <gcrypt.h>

#define BLOCK 16

/* The rotations r1..r5 and constants c1..c5 of TS 35.206 section 4.1 (r in bits, c as its last byte). */
enum { R1 = 64, R2 = 0, R3 = 32, R4 = 64, R5 = 96 };
enum { C1 = 0x00, C2 = 0x01, C3 = 0x02, C4 = 0x04, C5 = 0x08 };

typedef struct {
    gcry_cipher_hd_t aes;
    guint8           opc[BLOCK];
    guint8           temp[BLOCK];   /* E_K(RAND xor OPc) */
} milenage_t;

static gboolean
encrypt(milenage_t *m, guint8 block[BLOCK])
{
    return gcry_cipher_encrypt(m->aes, block, BLOCK, NULL, 0) == 0;
}

static void
milenage_close(milenage_t *m)
{
    if (m->aes)
        gcry_cipher_close(m->aes);
    sa_wipe(m, sizeof *m);
}

static gboolean
milenage_open(milenage_t *m, const guint8 k[16], const guint8 opc[16], const guint8 rand[16])
{
    memset(m, 0, sizeof *m);
    sa_gcrypt_ensure();
    if (gcry_cipher_open(&m->aes, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, GCRY_CIPHER_SECURE) != 0) {
        m->aes = NULL;
        return FALSE;
    }
    if (gcry_cipher_setkey(m->aes, k, 16) != 0) {
        milenage_close(m);
        return FALSE;
    }
    memcpy(m->opc, opc, BLOCK);
    if (rand) {
        for (int i = 0; i < BLOCK; i++)
            m->temp[i] = rand[i] ^ opc[i];
        if (!encrypt(m, m->temp)) {
            milenage_close(m);
            return FALSE;
        }
    }
    return TRUE;
}

/* OUTn = E_K(rot(x xor OPc, r) xor c) xor OPc, for x = IN1-derived or TEMP. rot moves bytes towards the
 * most significant end; every r of the specification is a whole number of bytes. */
static gboolean
out_block(milenage_t *m, const guint8 x[BLOCK], int r_bits, guint8 c_last, guint8 out[BLOCK])
{
    guint8 masked[BLOCK];
    int shift = r_bits / 8;
    for (int i = 0; i < BLOCK; i++)
        masked[i] = x[i] ^ m->opc[i];
    for (int i = 0; i < BLOCK; i++)
        out[i] = masked[(i + shift) % BLOCK];
    out[BLOCK - 1] ^= c_last;
    sa_wipe(masked, sizeof masked);
    if (!encrypt(m, out))
        return FALSE;
    for (int i = 0; i < BLOCK; i++)
        out[i] ^= m->opc[i];
    return TRUE;
}

gboolean
sa_milenage_opc(const guint8 k[16], const guint8 op[16], guint8 opc[16])
{
    milenage_t m;
    if (!milenage_open(&m, k, op, NULL))
        return FALSE;
    guint8 block[BLOCK];
    memcpy(block, op, BLOCK);
    gboolean ok = encrypt(&m, block);
    for (int i = 0; ok && i < BLOCK; i++)
        opc[i] = block[i] ^ op[i];
    sa_wipe(block, sizeof block);
    milenage_close(&m);
    return ok;
}

gboolean
sa_milenage_f1(const guint8 k[16], const guint8 opc[16], const guint8 rand[16],
               const guint8 sqn[6], const guint8 amf[2], guint8 mac_a[8], guint8 mac_s[8])
{
    milenage_t m;
    if (!milenage_open(&m, k, opc, rand))
        return FALSE;
    /* IN1 = SQN || AMF || SQN || AMF; OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc. */
    guint8 in1[BLOCK], rotated[BLOCK], out1[BLOCK];
    memcpy(in1, sqn, 6);
    memcpy(in1 + 6, amf, 2);
    memcpy(in1 + 8, in1, 8);
    for (int i = 0; i < BLOCK; i++)
        rotated[i] = in1[(i + R1 / 8) % BLOCK] ^ m.opc[(i + R1 / 8) % BLOCK];
    rotated[BLOCK - 1] ^= C1;
    for (int i = 0; i < BLOCK; i++)
        out1[i] = m.temp[i] ^ rotated[i];
    gboolean ok = encrypt(&m, out1);
    if (ok) {
        for (int i = 0; i < BLOCK; i++)
            out1[i] ^= m.opc[i];
        if (mac_a)
            memcpy(mac_a, out1, 8);
        if (mac_s)
            memcpy(mac_s, out1 + 8, 8);
    }
    sa_wipe(in1, sizeof in1);
    sa_wipe(rotated, sizeof rotated);
    sa_wipe(out1, sizeof out1);
    milenage_close(&m);
    return ok;
}

gboolean
sa_milenage_f2345(const guint8 k[16], const guint8 opc[16], const guint8 rand[16],
                  guint8 res[8], guint8 ck[16], guint8 ik[16], guint8 ak[6])
{
    milenage_t m;
    if (!milenage_open(&m, k, opc, rand))
        return FALSE;
    guint8 out[BLOCK];
    /* OUT2 gives f5 (its first 48 bits) and f2 (its last 64); OUT3 f3, OUT4 f4. */
    gboolean ok = out_block(&m, m.temp, R2, C2, out);
    if (ok) {
        if (ak)
            memcpy(ak, out, 6);
        if (res)
            memcpy(res, out + 8, 8);
    }
    if (ok && ck) {
        ok = out_block(&m, m.temp, R3, C3, out);
        if (ok)
            memcpy(ck, out, 16);
    }
    if (ok && ik) {
        ok = out_block(&m, m.temp, R4, C4, out);
        if (ok)
            memcpy(ik, out, 16);
    }
    sa_wipe(out, sizeof out);
    milenage_close(&m);
    return ok;
}

gboolean
sa_milenage_f5star(const guint8 k[16], const guint8 opc[16], const guint8 rand[16], guint8 ak_s[6])
{
    milenage_t m;
    if (!milenage_open(&m, k, opc, rand))
        return FALSE;
    guint8 out[BLOCK];
    gboolean ok = out_block(&m, m.temp, R5, C5, out);
    if (ok)
        memcpy(ak_s, out, 6);
    sa_wipe(out, sizeof out);
    milenage_close(&m);
    return ok;
}
