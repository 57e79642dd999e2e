/* Unit tests of MILENAGE against the design conformance test data of 3GPP TS 35.208 section 4.3. */
#include <string.h>
#include "milenage.h"

/*
 * 35.208's test sets as public implementations transcribe them (hostapd's tests/test-milenage.c; the same
 * values in independent Go and Python HSS test suites), numbered as they number them. Set 2 is left out:
 * those transcriptions give it set 1's values.
 */
typedef struct {
    int         set;
    const char *k, *rand, *sqn, *amf, *op, *opc;
    const char *f1, *f1star, *f2, *f3, *f4, *f5, *f5star;
} test_set_t;

static const test_set_t test_sets[] = {
    { 1, "465b5ce8b199b49faa5f0a2ee238a6bc", "23553cbe9637a89d218ae64dae47bf35", "ff9bb4d0b607", "b9b9",
      "cdc202d5123e20f62b6d676ac72cb318", "cd63cb71954a9f4e48a5994e37a02baf",
      "4a9ffac354dfafb3", "01cfaf9ec4e871e9", "a54211d5e3ba50bf", "b40ba9a3c58b2a05bbf0d987b21bf8cb",
      "f769bcd751044604127672711c6d3441", "aa689c648370", "451e8beca43b" },
    { 3, "fec86ba6eb707ed08905757b1bb44b8f", "9f7c8d021accf4db213ccff0c7f71a6a", "9d0277595ffc", "725c",
      "dbc59adcb6f9a0ef735477b7fadf8374", "1006020f0a478bf6b699f15c062e42b3",
      "9cabc3e99baf7281", "95814ba2b3044324", "8011c48c0c214ed2", "5dbdbb2954e8f3cde665b046179a5098",
      "59a92d3b476a0443487055cf88b2307b", "33484dc2136b", "deacdd848cc6" },
    { 4, "9e5944aea94b81165c82fbf9f32db751", "ce83dbc54ac0274a157c17f80d017bd6", "0b604a81eca8", "9e09",
      "223014c5806694c007ca1eeef57f004f", "a64a507ae1a2a98bb88eb4210135dc87",
      "74a58220cba84c49", "ac2cc74a96871837", "f365cd683cd92e96", "e203edb3971574f5a94b0d61b816345d",
      "0c4524adeac041c4dd830d20854fc46b", "f0b9c08ad02e", "6085a86c6f63" },
    { 5, "4ab1deb05ca6ceb051fc98e77d026a84", "74b0cd6031a1c8339b2b6ce2b8c4a186", "e880a1b580b6", "9f07",
      "2d16c5cd1fdf6b22383584e3bef2a8d8", "dcf07cbd51855290b92a07a9891e523e",
      "49e785dd12626ef2", "9e85790336bb3fa2", "5860fc1bce351e7e", "7657766b373d1c2138f307e3de9242f9",
      "1c42e960d89b8fa99f2744e0708ccb53", "31e11a609118", "fe2555e54aa9" },
    { 6, "6c38a116ac280c454f59332ee35c8c4f", "ee6466bc96202c5a557abbeff8babf63", "414b98222181", "4464",
      "1ba00a1a7c6700ac8c3ff3e96ad08725", "3803ef5363b947c6aaa225e58fae3934",
      "078adfb488241a57", "80246b8d0186bcf1", "16c8233f05a0ac28", "3f8c7587fe8e4b233af676aede30ba3b",
      "a7466cc1e6b2a1337d49d3b66e95d7b4", "45b0f69ab06c", "1f53cd2b1113" },
    { 7, "2d609d4db0ac5bf0d2c0de267014de0d", "194aa756013896b74b4a2a3b0af4539e", "6bf69438c2e4", "5f67",
      "460a48385427aa39264aac8efc9e73e8", "c35a0ab0bcbfc9252caff15f24efbde0",
      "bd07d3003b9e5cc3", "bcb6c2fcad152250", "8c25a16cd918a1df", "4cd0846020f8fa0731dd47cbdc6be411",
      "88ab80a415f15c73711254a1d388f696", "7e6455f34cf3", "dc6dd01e8f15" },
    { 8, "a530a7fe428fad1082c45eddfce13884", "3a4c2b3245c50eb5c71d08639395764d", "f63f5d768784", "b90e",
      "511c6c4e83e38c89b1c5d8dde62426fa", "27953e49bc8af6dcc6e730eb80286be3",
      "53761fbd679b0bad", "21adfd334a10e7ce", "a63241e1ffc3e5ab", "10f05bab75a99a5fbb98a9c287679c3b",
      "f9ec0865eb32f22369cade40c59c3a44", "88196c47986f", "c987a3d23115" },
    { 9, "d9151cf04896e25830bf2e08267b8360", "f761e5e93d603feb730e27556cb8a2ca", "47ee0199820a", "9113",
      "75fc2233a44294ee8e6de25c4353d26b", "c4c93effe8a08138c203d4c27ce4e3d9",
      "66cc4be44862af1f", "7a4b8d7a8753f246", "4a90b2171ac83a76", "71236b7129f9b22ab77ea7a54c96da22",
      "90527ebaa5588968db41727325a04d9e", "82a0f5287a71", "527dbf41f35f" },
    { 10, "a0e2971b6822e8d354a18cc235624ecb", "08eff828b13fdb562722c65c7f30a9b2", "db5c066481e0", "716b",
      "323792faca21fb4d5d6f13c145a9d2c1", "82a26f22bba9e9488f949a10d98e9cc4",
      "9485fe24621cb9f6", "bce325ce03e2e9b9", "4bc2212d8624910a", "08cef6d004ec61471a3c3cda048137fa",
      "ed0318ca5deb9206272f6e8fa64ba411", "a2f858aa9e5d", "74e76fbbec38" },
};

static void
from_hex(const char *hex, guint8 *out, gsize len)
{
    g_assert_cmpuint(strlen(hex), ==, 2 * len);
    for (gsize i = 0; i < len; i++)
        out[i] = (guint8)(g_ascii_xdigit_value(hex[2 * i]) << 4 | g_ascii_xdigit_value(hex[2 * i + 1]));
}

static char *
to_hex(const guint8 *bytes, gsize len)
{
    GString *hex = g_string_new(NULL);
    for (gsize i = 0; i < len; i++)
        g_string_append_printf(hex, "%02x", bytes[i]);
    return g_string_free(hex, FALSE);
}

static void
assert_bytes(const guint8 *actual, gsize len, const char *expected)
{
    char *hex = to_hex(actual, len);
    g_assert_cmpstr(hex, ==, expected);
    g_free(hex);
}

static void
test_conformance_sets(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(test_sets); i++) {
        const test_set_t *t = &test_sets[i];
        guint8 k[16], rand[16], sqn[6], amf[2], op[16], opc[16];
        guint8 opc_computed[16], mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], ak_s[6];
        g_test_message("test set %d", t->set);
        from_hex(t->k, k, 16);
        from_hex(t->rand, rand, 16);
        from_hex(t->sqn, sqn, 6);
        from_hex(t->amf, amf, 2);
        from_hex(t->op, op, 16);
        from_hex(t->opc, opc, 16);

        g_assert_true(sa_milenage_opc(k, op, opc_computed));
        assert_bytes(opc_computed, 16, t->opc);
        g_assert_true(sa_milenage_f1(k, opc, rand, sqn, amf, mac_a, mac_s));
        assert_bytes(mac_a, 8, t->f1);
        assert_bytes(mac_s, 8, t->f1star);
        g_assert_true(sa_milenage_f2345(k, opc, rand, res, ck, ik, ak));
        assert_bytes(res, 8, t->f2);
        assert_bytes(ck, 16, t->f3);
        assert_bytes(ik, 16, t->f4);
        assert_bytes(ak, 6, t->f5);
        g_assert_true(sa_milenage_f5star(k, opc, rand, ak_s));
        assert_bytes(ak_s, 6, t->f5star);
    }
}

/* Outputs asked for alone are the same as asked for together. */
static void
test_partial_outputs(void)
{
    const test_set_t *t = &test_sets[0];
    guint8 k[16], rand[16], opc[16], sqn[6], amf[2], res[8], ik[16], mac_s[8];
    from_hex(t->k, k, 16);
    from_hex(t->rand, rand, 16);
    from_hex(t->opc, opc, 16);
    from_hex(t->sqn, sqn, 6);
    from_hex(t->amf, amf, 2);
    g_assert_true(sa_milenage_f2345(k, opc, rand, res, NULL, NULL, NULL));
    assert_bytes(res, 8, t->f2);
    g_assert_true(sa_milenage_f2345(k, opc, rand, NULL, NULL, ik, NULL));
    assert_bytes(ik, 16, t->f4);
    g_assert_true(sa_milenage_f1(k, opc, rand, sqn, amf, NULL, mac_s));
    assert_bytes(mac_s, 8, t->f1star);
}

/* One bit of K changed changes RES: the test can tell a wrong key from a right one. */
static void
test_other_key_other_res(void)
{
    const test_set_t *t = &test_sets[0];
    guint8 k[16], rand[16], opc[16], res[8];
    from_hex(t->k, k, 16);
    from_hex(t->rand, rand, 16);
    from_hex(t->opc, opc, 16);
    k[15] ^= 0x01;
    g_assert_true(sa_milenage_f2345(k, opc, rand, res, NULL, NULL, NULL));
    char *hex = to_hex(res, 8);
    g_assert_cmpstr(hex, !=, t->f2);
    g_free(hex);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/milenage/ts35208/test_sets", test_conformance_sets);
    g_test_add_func("/milenage/partial_outputs", test_partial_outputs);
    g_test_add_func("/milenage/other_key_other_res", test_other_key_other_res);
    return g_test_run();
}
